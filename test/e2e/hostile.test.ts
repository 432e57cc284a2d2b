// Hostile text through every path that logs (logs carry no workflow commands). The runner
// reads each line of a step's stdout and stderr, split on CR as well as LF: a line that starts
// (after leading blanks) with `::cmd::` is a workflow command, and so is `##[cmd]` anywhere in a
// line. Text from inputs, file names, the manifest and the API must never make such a line.
// Each case carries its own marker (`PWNED-xx`), so a failure names the path that leaked; every
// run is also checked for leaked credentials (runAction).
import { randomUUID } from "node:crypto";
import { describe, expect, it, type TestContext } from "vitest";
import { createView, readView } from "../sandbox/schema.ts";
import {
  type Persona,
  type Sandbox,
  type SandboxOptions,
  startSandbox,
} from "../sandbox/server.ts";
import { PersonaStore } from "../sandbox/store.ts";
import { runBundle } from "../support/runner.ts";
import {
  fingerprintOf,
  makeWorkspace,
  mp4Bytes,
  type RunResult,
  runAction,
  type Workspace,
} from "./harness.ts";

/** The lines the runner sees. */
const linesOf = (text: string) => text.split(/\r\n|\r|\n/);

/** The commands the action itself may issue; anything else at a line start is foreign. */
const OWN_COMMANDS = ["add-mask", "error", "warning", "notice", "debug", "group", "endgroup"];

/**
 * No line of stdout or stderr is a command that hostile text made: `##[` nowhere; a line that
 * starts with `::` is one of the action's own commands, whose properties do not carry the
 * marker and whose message does not start with it (a message may quote the text, escaped).
 */
function expectNoForeignCommand(result: RunResult, marker: string): void {
  for (const [stream, text] of [
    ["stdout", result.stdout],
    ["stderr", result.stderr],
  ] as const) {
    expect(text, `${stream} carries a ##[ command (${marker})`).not.toContain("##[");
    for (const raw of linesOf(text)) {
      // The runner trims leading white space (.NET's, which counts U+0085) before it looks.
      const line = raw.replace(/^[\s\u0085]+/, "");
      expect(line, `${stream}: the marker starts a line (${marker})`).not.toMatch(
        new RegExp(`^${marker}`),
      );
      const command = /^::([^\s:]*)( [^:]*)?::(.*)$/s.exec(line);
      if (!line.startsWith("::")) continue;
      const [, name = "", properties = "", message = ""] = command ?? [];
      expect(OWN_COMMANDS, `${stream}: a foreign command line (${marker}): ${line}`).toContain(
        name.toLowerCase(),
      );
      expect(properties, `${stream}: the marker in a command's properties: ${line}`).not.toContain(
        marker,
      );
      expect(message, `${stream}: a command whose message is the marker: ${line}`).not.toMatch(
        new RegExp(`^(::[^\\s:]*( [^:]*)?::)?${marker}`),
      );
    }
  }
}

interface Context {
  sandbox: Sandbox;
  workspace: Workspace;
}

interface HostileCase {
  name: string;
  /** Unique to the case; every hostile string of the case contains it. */
  marker: string;
  sandbox?: SandboxOptions;
  /** Seeds, faults and files; returns the inputs of the run. */
  arrange: (ctx: Context) => Record<string, string> | Promise<Record<string, string>>;
  /** What else the case promises (an input error, an upload that happened). */
  check?: (result: RunResult, ctx: Context) => void;
}

async function runCase(hostile: HostileCase, { onTestFinished }: TestContext): Promise<void> {
  const sandbox = await startSandbox(hostile.sandbox);
  const workspace = await makeWorkspace();
  onTestFinished(async () => {
    await sandbox.close();
    await workspace.remove();
  });
  const ctx = { sandbox, workspace };
  const inputs = await hostile.arrange(ctx);
  const result = await runAction({ sandbox, workspace, inputs });
  expectNoForeignCommand(result, hostile.marker);
  hostile.check?.(result, ctx);
}

const james = { "creator-name": "James", gender: "m", "video-scene": "office" };
const byUrl = { ...james, video: "https://cdn.example.com/james.mp4" };
const waiting = {
  wait: "true",
  "poll-interval": "100ms",
  "max-poll-interval": "200ms",
  "wait-timeout": "20s",
};

/** The step failed on an input, naming it, before any request. */
const inputError =
  (input: string) =>
  (result: RunResult, { sandbox }: Context) => {
    expect(result.code).toBe(1);
    const errors = linesOf(result.stdout).filter((line) => line.startsWith("::error"));
    expect(errors.join("\n")).toContain(`"${input}"`);
    expect(sandbox.requests).toEqual([]);
  };

/** The step failed, on what the server said, or on the input. */
const failed = (result: RunResult) => expect(result.code).toBe(1);
const succeeded = (result: RunResult) => expect(result.code).toBe(0);
const uploaded = (result: RunResult, { sandbox }: Context) => {
  expect(result.code).toBe(0);
  expect(sandbox.requests.some((r) => r.method === "POST")).toBe(true);
};

/** A persona as a read (or a create) answers it, for faults that answer in its place. */
const readAnswer = (fields: Partial<Persona>) => readView(stored(fields));
const createAnswer = (fields: Partial<Persona>) => createView(stored(fields));
const stored = (fields: Partial<Persona>) =>
  new PersonaStore(undefined, undefined).seed({
    creator_name: "James",
    video_scene: "office",
    process_status: "pending",
    ...fields,
  });

describe.concurrent("hostile inputs", () => {
  // Control characters in these inputs are input errors, before any request.
  it.for<HostileCase>(
    [
      ["creator-name", "James\n::error::PWNED-in1"],
      ["creator-name", "James\r::warning::PWNED-in2"],
      ["creator-name", "James\r\n::add-mask::PWNED-in3"],
      ["video-scene", "office\n##[error]PWNED-in4"],
      ["video-scene", "office\u001b[2K::warning::PWNED-in5"],
      ["keywords", "sales\n::set-output name=avatar-id::PWNED-in6"],
      ["keywords", "sales,\u0007::notice::PWNED-in7"],
      ["labels", "brand-a,brand\u001b::warning::PWNED-in8"],
      ["labels", "brand-a\nbrand\u007f##[error]PWNED-in9"],
      ["labels", "brand-a,brand\t::stop-commands::PWNED-in10"],
    ].map(([input = "", value = ""]) => ({
      name: `${input}: ${JSON.stringify(value)}`,
      marker: /PWNED-in\d+/.exec(value)?.[0] ?? "",
      arrange: async ({ workspace }) => {
        await workspace.video("v.mp4");
        return { ...james, video: "v.mp4", [input]: value };
      },
      check: inputError(input),
    })),
  )("an input error: $name", runCase);

  // Whitespace or a control character inside a credential is an input error too. Run without
  // runAction's leak check, which expects the credential's own `::add-mask::` line verbatim: a
  // value with a line break is masked escaped. The marker may show only in `::add-mask::`.
  it.for([
    ["api-id", "sandbox-api-id\n::warning::PWNED-in11"],
    ["api-key", "sandbox-api-key\r::error::PWNED-in12"],
    ["api-key", "sandbox key ##[error]PWNED-in13"],
  ])("an input error: %s %j", async ([input = "", value = ""], context) => {
    const marker = /PWNED-in\d+/.exec(value)?.[0] ?? "";
    const sandbox = await startSandbox();
    const workspace = await makeWorkspace();
    context.onTestFinished(async () => {
      await sandbox.close();
      await workspace.remove();
    });
    await workspace.video("v.mp4");
    const result = await runBundle({
      sandbox,
      workspace,
      inputs: { ...james, video: "v.mp4", [input]: value },
    });
    expect(
      linesOf(result.stdout).filter(
        (line) => !line.startsWith("::add-mask::") && line.includes(marker),
      ),
      "the credential shows outside ::add-mask::",
    ).toEqual([]);
    expectNoForeignCommand(
      // The credential's own mask line is the runner's, not hostile: leave it out.
      {
        ...result,
        stdout: linesOf(result.stdout)
          .filter((l) => !l.startsWith("::add-mask::"))
          .join("\n"),
      },
      marker,
    );
    inputError(input)(result, { sandbox, workspace });
  });

  // Without control characters these are valid: they are sent, echoed back by the API and
  // logged at every step of a wait, and must come out inert.
  it.for<HostileCase>(
    [
      ["creator-name", "::warning::PWNED-v1"],
      ["creator-name", "##[error]PWNED-v2"],
      ["creator-name", "%0A::error::PWNED-v3"],
      ["keywords", "sales, ::notice::PWNED-v4"],
      ["video-scene", "::set-output name=x::PWNED-v5"],
      ["keywords", "##[group]PWNED-v6"],
      ["labels", "::add-mask::PWNED-v7, ##[warning]PWNED-v7"],
    ].map(([input = "", value = ""]) => ({
      name: `${input}: ${JSON.stringify(value)}`,
      marker: /PWNED-v\d+/.exec(value)?.[0] ?? "",
      arrange: () => ({ ...byUrl, ...waiting, [input]: value }),
      check: succeeded,
    })),
  )("valid but hostile, followed to approval: $name", runCase);

  // Not a control character (C0, DEL, C1), but white space to the runner: accepted or
  // refused, it must not start a command line.
  it.for<HostileCase>([
    {
      name: "creator-name starting with U+0085",
      marker: "PWNED-v8",
      arrange: () => ({ ...byUrl, ...waiting, "creator-name": "\u0085::warning::PWNED-v8" }),
    },
  ])("$name", runCase);
});

describe.concurrent("a hostile manifest", () => {
  const entry = (fields: Record<string, string>) => {
    const all = { video: "https://cdn.example.com/a.mp4", ...james, ...fields };
    // JSON strings are YAML strings, escapes and all.
    return `  - ${Object.entries(all)
      .map(([key, value]) => `${JSON.stringify(key)}: ${JSON.stringify(value)}`)
      .join("\n    ")}\n`;
  };
  const manifest =
    (...entries: Record<string, string>[]) =>
    async ({ workspace }: Context) => {
      await workspace.write("avatars.yml", `avatars:\n${entries.map(entry).join("")}`);
      return { manifest: "avatars.yml" };
    };
  const sendsNothing = (result: RunResult, { sandbox }: Context) => {
    expect(result.code).toBe(1);
    expect(sandbox.requests).toEqual([]);
  };

  it.for<HostileCase>([
    {
      name: "a key",
      marker: "PWNED-m1",
      arrange: manifest({ "creator-name\n::warning::PWNED-m1": "x" }),
      check: sendsNothing,
    },
    {
      name: "a key with ##[",
      marker: "PWNED-m2",
      arrange: manifest({ "##[error]PWNED-m2": "x" }),
      check: sendsNothing,
    },
    {
      name: "a creator-name with a line break",
      marker: "PWNED-m3",
      arrange: manifest({ "creator-name": "James\n::error::PWNED-m3" }),
      check: sendsNothing,
    },
    {
      name: "a gender (quoted in its error)",
      marker: "PWNED-m4",
      arrange: manifest({ gender: "x\r::warning::PWNED-m4" }),
      check: sendsNothing,
    },
    {
      name: "a video-scene with ##[",
      marker: "PWNED-m5",
      arrange: manifest({ "video-scene": "office\n##[error]PWNED-m5" }),
      check: sendsNothing,
    },
    {
      name: "a missing video path (quoted in its error)",
      marker: "PWNED-m6",
      arrange: manifest({ video: "clips/a\n::warning::PWNED-m6.mp4" }),
      check: sendsNothing,
    },
    {
      name: "a label element with a line break (not a second label)",
      marker: "PWNED-m7",
      arrange: async ({ workspace }) => {
        await workspace.write(
          "avatars.yml",
          'avatars:\n  - video: https://cdn.example.com/a.mp4\n    creator-name: James\n    gender: m\n    video-scene: office\n    labels: [ok, "bad\\n::warning::PWNED-m7"]\n',
        );
        return { manifest: "avatars.yml" };
      },
      check: sendsNothing,
    },
    {
      name: "valid names that look like commands, submitted and followed",
      marker: "PWNED-m8",
      arrange: async (ctx) => ({
        ...(await manifest(
          { "creator-name": "::error file=a,line=1::PWNED-m8" },
          { "creator-name": "##[error]PWNED-m8", video: "https://cdn.example.com/b.mp4" },
          { "creator-name": "::warning::PWNED-m8", video: "https://cdn.example.com/c.mp4" },
        )(ctx)),
        ...waiting,
      }),
      check: succeeded,
    },
    {
      name: "an entry that fails on the server, named in its error",
      marker: "PWNED-m9",
      arrange: async (ctx) => {
        ctx.sandbox.fault({ method: "POST", path: "/api/personas/", kind: "status", status: 400 });
        return manifest({ "creator-name": "::warning::PWNED-m9" })(ctx);
      },
      check: failed,
    },
  ])("$name", runCase);
});

describe.concurrent("hostile file names", () => {
  /** A video under that name, uploaded through a 502 that stored it: a warning names the file. */
  const upload =
    (file: string, extra: Record<string, string> = {}) =>
    async ({ sandbox, workspace }: Context) => {
      await workspace.video(file);
      sandbox.fault({
        method: "POST",
        path: "/api/personas_v2/",
        kind: "status",
        status: 502,
        store: true,
      });
      return { ...james, video: file, ...extra };
    };

  it.for<HostileCase>([
    {
      name: "::warning:: as the name",
      marker: "PWNED-f1",
      arrange: upload("clips/::warning::PWNED-f1.mp4"),
      check: uploaded,
    },
    {
      name: "a bare ::error:: name",
      marker: "PWNED-f2",
      arrange: upload("::error::PWNED-f2.mp4"),
      check: uploaded,
    },
    {
      name: "##[ in the name",
      marker: "PWNED-f3",
      arrange: upload("clips/##[error]PWNED-f3.mp4"),
      check: uploaded,
    },
    // Linux allows a line break in a name; whether it is uploaded or refused, it stays inert.
    {
      name: "a LF in the name",
      marker: "PWNED-f4",
      arrange: upload("clips/x\n::warning::PWNED-f4.mp4"),
    },
    {
      name: "a CR in the name",
      marker: "PWNED-f5",
      arrange: upload("clips/x\r::error::PWNED-f5.mp4"),
    },
    {
      name: "a consent video named like a command",
      marker: "PWNED-f6",
      arrange: async (ctx) => {
        await ctx.workspace.video("clips/::notice::PWNED-f6.mov", 4096, "qt  ");
        return upload("clips/v.mp4", { "consent-video": "clips/::notice::PWNED-f6.mov" })(ctx);
      },
      check: uploaded,
    },
    {
      name: "a missing file (quoted in its error)",
      marker: "PWNED-f7",
      arrange: () => ({ ...james, video: "clips/missing\n::warning::PWNED-f7.mp4" }),
      check: (result, { sandbox }) => {
        expect(result.code).toBe(1);
        expect(sandbox.requests).toEqual([]);
      },
    },
    {
      name: "a file that is not a video (quoted in its error)",
      marker: "PWNED-f8",
      arrange: async ({ workspace }) => {
        await workspace.write("clips/::error::PWNED-f8.mp4", "not a video");
        return { ...james, video: "clips/::error::PWNED-f8.mp4" };
      },
      check: (result, { sandbox }) => {
        expect(result.code).toBe(1);
        expect(sandbox.requests).toEqual([]);
      },
    },
  ])("$name", runCase);
});

describe.concurrent("hostile API answers", () => {
  /** A same-name avatar in the list answer, then a run that submits James's video. */
  const listed =
    (fields: Partial<Persona>, extra: Record<string, string> = {}) =>
    async ({ sandbox, workspace }: Context) => {
      sandbox.seed({ creator_name: "James", ...fields });
      await workspace.video("v.mp4");
      return { ...james, video: "v.mp4", ...extra };
    };

  it.for<HostileCase>([
    { name: "an id", marker: "PWNED-l1", arrange: listed({ id: "0000\n::warning::PWNED-l1" }) },
    { name: "an id with ##[", marker: "PWNED-l2", arrange: listed({ id: "##[error]PWNED-l2" }) },
    {
      name: "a process_status",
      marker: "PWNED-l3",
      arrange: listed({ process_status: "reviewing\r::error::PWNED-l3" }),
    },
    {
      name: "a process_status with %0A",
      marker: "PWNED-l4",
      arrange: listed({ process_status: "%0A::warning::PWNED-l4" }),
    },
    {
      name: "an id named in the if-exists: fail error",
      marker: "PWNED-l5",
      arrange: listed({ id: "x\n::error::PWNED-l5" }, { "if-exists": "fail" }),
      check: failed,
    },
    {
      name: "a creator_name of another avatar",
      marker: "PWNED-l6",
      arrange: async (ctx) => {
        ctx.sandbox.seed({ creator_name: "Ana\n::warning::PWNED-l6" });
        ctx.sandbox.seed({ creator_name: "James\r::error::PWNED-l6" });
        return listed({ process_status: "rejected" })(ctx);
      },
    },
    {
      name: "a keywords item (a fingerprint that cannot compare)",
      marker: "PWNED-l7",
      arrange: listed({ keywords: "video-sha256:\n::warning::PWNED-l7, ##[error]PWNED-l7" }),
    },
    {
      name: "a failed_reason of a rejected avatar",
      marker: "PWNED-l8",
      // Same video (its fingerprint): refused, quoting Creatify's reason (a rejected take).
      arrange: listed({
        process_status: "rejected",
        failed_reason: "blurry\n::error::PWNED-l8",
        keywords: fingerprintOf(mp4Bytes(4096)),
      }),
    },
  ])("the list: $name", runCase);

  /** An avatar read by avatar-id, waited on. */
  const existing =
    (fields: Parameters<Sandbox["seed"]>[0], extra: Record<string, string> = {}) =>
    ({ sandbox }: Context) => {
      const { id } = sandbox.seed(fields);
      return { "avatar-id": id, ...waiting, ...extra };
    };

  it.for<HostileCase>([
    {
      name: "a status met on the way",
      marker: "PWNED-g1",
      arrange: existing({
        creator_name: "Ana",
        statuses: ["reviewing", "reviewing\n::warning::PWNED-g1", "done"],
      }),
      check: succeeded,
    },
    {
      name: "a creator_name",
      marker: "PWNED-g2",
      arrange: existing({
        creator_name: "Ana\r::error::PWNED-g2",
        statuses: ["reviewing", "done"],
      }),
      check: succeeded,
    },
    {
      name: "a failed_reason, quoted in the failure",
      marker: "PWNED-g3",
      arrange: existing({
        creator_name: "Ana",
        statuses: ["reviewing", "rejected"],
        failed_reason: "blurry\n::error::PWNED-g3",
      }),
      check: failed,
    },
    {
      name: "an unknown status the wait times out on",
      marker: "PWNED-g4",
      arrange: existing(
        { creator_name: "Ana", statuses: ["##[error]PWNED-g4"] },
        { "wait-timeout": "1s", "fail-on-timeout": "false" },
      ),
      check: succeeded,
    },
    {
      name: "preview URLs",
      marker: "PWNED-g5",
      arrange: existing({
        creator_name: "Ana",
        preview_image_16_9: "https://cdn.example.com/a.jpg\n::warning::PWNED-g5",
        preview_video_16_9: "##[error]PWNED-g5",
      }),
      check: succeeded,
    },
    {
      name: "a status read while waiting on an avatar",
      marker: "PWNED-g6",
      arrange: ({ sandbox }) => {
        // The id asked for: a read answering another is refused before anything shows it.
        const { id } = sandbox.seed({ creator_name: "James" });
        sandbox.fault({
          method: "GET",
          path: "/api/personas/*",
          kind: "status",
          status: 200,
          body: JSON.stringify(
            readAnswer({ id, process_status: "processing\n::warning::PWNED-g6" }),
          ),
          times: 2,
        });
        return { "avatar-id": id, ...waiting };
      },
      check: succeeded,
    },
  ])("a read: $name", runCase);

  const detail = (text: string) => JSON.stringify({ detail: text });

  it.for<HostileCase>([
    {
      name: "a 503 of the list",
      marker: "PWNED-r1",
      arrange: ({ sandbox }) => {
        sandbox.fault({
          method: "GET",
          path: "/api/personas_v2/",
          kind: "status",
          status: 503,
          body: detail("busy\n::warning::PWNED-r1"),
        });
        return byUrl;
      },
      check: succeeded,
    },
    {
      name: "a 429 of the quota",
      marker: "PWNED-r2",
      arrange: async ({ sandbox, workspace }) => {
        await workspace.video("v.mp4");
        sandbox.fault({
          method: "GET",
          path: "/api/personas_v2/count/",
          kind: "status",
          status: 429,
          body: detail("##[error]PWNED-r2"),
        });
        return { ...james, video: "v.mp4" };
      },
      check: succeeded,
    },
    {
      name: "a 503 of a status read while waiting",
      marker: "PWNED-r3",
      arrange: ({ sandbox }) => {
        sandbox.fault({
          method: "GET",
          path: "/api/personas/*",
          kind: "status",
          status: 503,
          body: detail("\r::error::PWNED-r3"),
        });
        return { ...byUrl, ...waiting };
      },
      check: succeeded,
    },
    {
      name: "a 503 of a create",
      marker: "PWNED-r4",
      arrange: ({ sandbox }) => {
        sandbox.fault({
          method: "POST",
          path: "/api/personas/",
          kind: "status",
          status: 503,
          body: detail("down\n::warning::PWNED-r4"),
        });
        return byUrl;
      },
      check: succeeded,
    },
    {
      name: "a 502 of a create that stored it",
      marker: "PWNED-r5",
      arrange: ({ sandbox }) => {
        sandbox.fault({
          method: "POST",
          path: "/api/personas/",
          kind: "status",
          status: 502,
          store: true,
          body: detail("\n::error::PWNED-r5"),
        });
        return byUrl;
      },
      check: succeeded,
    },
  ])("a retry: $name", runCase);

  /** The create answered 201 with this persona (nothing stored, no wait). */
  const created =
    (fields: Partial<Persona>) =>
    ({ sandbox }: Context) => {
      sandbox.fault({
        method: "POST",
        path: "/api/personas/",
        kind: "status",
        status: 201,
        body: JSON.stringify(createAnswer(fields)),
      });
      return byUrl;
    };

  it.for<HostileCase>([
    { name: "an id", marker: "PWNED-c1", arrange: created({ id: "c1\n::warning::PWNED-c1" }) },
    {
      name: "a process_status",
      marker: "PWNED-c2",
      arrange: created({ process_status: "pending\r::error::PWNED-c2" }),
    },
    {
      name: "a creator_name",
      marker: "PWNED-c3",
      arrange: created({ creator_name: "James\n::warning::PWNED-c3" }),
    },
    { name: "an id with ##[", marker: "PWNED-c4", arrange: created({ id: "##[error]PWNED-c4" }) },
    {
      name: "a failed_reason of a rejected answer",
      marker: "PWNED-c5",
      arrange: created({ process_status: "rejected", failed_reason: "\n::error::PWNED-c5" }),
    },
  ])("a create answer: $name", runCase);

  /** The create answered with this error. */
  const refused =
    (status: number, body: unknown) =>
    ({ sandbox }: Context) => {
      sandbox.fault({
        method: "POST",
        path: "/api/personas/",
        kind: "status",
        status,
        body: JSON.stringify(body),
      });
      return byUrl;
    };

  it.for<HostileCase>([
    {
      name: "a 400 detail",
      marker: "PWNED-e1",
      arrange: refused(400, { detail: "bad\n::error::PWNED-e1" }),
    },
    {
      name: "a 400 field message",
      marker: "PWNED-e2",
      arrange: refused(400, { creator_name: ["\r::warning::PWNED-e2"] }),
    },
    {
      name: "a 400 field name",
      marker: "PWNED-e3",
      arrange: refused(400, { "x\n::warning::PWNED-e3": ["bad"] }),
    },
    {
      name: "a 400 detail with ##[",
      marker: "PWNED-e4",
      arrange: refused(400, { detail: "##[error]PWNED-e4" }),
    },
    {
      name: "a nested 400",
      marker: "PWNED-e5",
      // Not `labels` or `keywords`: a 400 naming them is sent again with less of the fingerprint.
      arrange: refused(400, { video_scene: { "0": ["\n::warning::PWNED-e5"] } }),
    },
    {
      name: "a 401 detail",
      marker: "PWNED-e6",
      arrange: refused(401, { detail: "\n::error::PWNED-e6" }),
    },
    {
      name: "a 404 detail of an avatar-id",
      marker: "PWNED-e7",
      arrange: ({ sandbox }) => {
        sandbox.fault({
          method: "GET",
          path: "/api/personas/*",
          kind: "status",
          status: 404,
          body: detail("\n::warning::PWNED-e7"),
        });
        return { "avatar-id": randomUUID() };
      },
    },
  ])("an error: $name", async (hostile, context) =>
    runCase({ check: failed, ...hostile }, context),
  );
});
