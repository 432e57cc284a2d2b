import { AvatarsClient } from "../creatify/avatars.js";
import { Http } from "../creatify/http.js";
import { sleep } from "../duration.js";
import { runStep } from "../github/step.js";
import type { AvatarContext } from "./context.js";
import { parseInputs } from "./inputs.js";
import { checkAvatar, followAvatar, lookUpAvatar } from "./journey.js";
import { deleteReplacedOf } from "./replaced.js";
import { Report } from "./report.js";
import { submitAvatars } from "./submit.js";

/** The avatar action: parse every input, then submit, follow or batch. */
export function run(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  return runStep(env, async (step) => {
    const report = step.show(new Report(step.outputs));
    const inputs = parseInputs(step.input, step.workspace, step.env);
    if (inputs.wait.shortened) step.log.notice(inputs.wait.shortened);
    report.dryRun = inputs.dryRun;
    const options = step.http(inputs);
    const context: AvatarContext = {
      client: new AvatarsClient(new Http(options), options),
      log: step.log,
      report,
      wait: inputs.wait,
      deleteReplaced: inputs.deleteReplaced,
      now: Date.now,
      sleep,
      random: Math.random,
    };
    const submit = { dryRun: inputs.dryRun, offline: inputs.apiId === "" };
    const { target } = inputs;
    if (target.mode === "single") {
      const describe = (name: string) => `Input "${name}"`;
      const wanted = await checkAvatar(target.avatar, step.workspace, describe, context);
      const options = { ...submit, maxParallel: 1, onError: () => {} };
      const [failed] = await submitAvatars([wanted], context, options);
      if (failed?.error) throw new Error(failed.error);
    } else if (target.mode === "existing") {
      const record = await lookUpAvatar(target.avatarId, context);
      await followAvatar(record, context);
      await deleteReplacedOf(record, context);
    } else {
      // Loaded only here: the manifest parser and the GitHub client are batch-only weight.
      const { runBatch } = await import("./batch/run.js");
      await runBatch(target.batch, step, context, submit);
    }
  });
}
