import { createRequire as __WEBPACK_EXTERNAL_createRequire } from "module";
/******/ var __webpack_modules__ = ({

/***/ 2697:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  u0: () => (/* binding */ carryOut),
  w2: () => (/* binding */ checkAvatar),
  bh: () => (/* binding */ followAvatar),
  et: () => (/* binding */ lookUpAvatar)
});

// EXTERNAL MODULE: ./src/constants.ts
var constants = __nccwpck_require__(7242);
// EXTERNAL MODULE: ./src/creatify/errors.ts
var errors = __nccwpck_require__(2094);
// EXTERNAL MODULE: ./src/creatify/persona.ts
var creatify_persona = __nccwpck_require__(1509);
// EXTERNAL MODULE: ./src/duration.ts
var duration = __nccwpck_require__(7607);
// EXTERNAL MODULE: ./src/mp4.ts
var mp4 = __nccwpck_require__(2160);
// EXTERNAL MODULE: ./src/report.ts + 1 modules
var report = __nccwpck_require__(5598);
// EXTERNAL MODULE: ./src/upload.ts
var upload = __nccwpck_require__(1550);
// EXTERNAL MODULE: ./src/video.ts
var src_video = __nccwpck_require__(4672);
;// CONCATENATED MODULE: ./src/wait.ts


const GROWTH = 1.5;
const JITTER = 0.1;
const HEARTBEAT_MS = 5 * 60_000;
/** A read at the deadline still gets this long, so the last look is a real one. */
const LAST_READ_GRACE_MS = 2_000;
/** The delay before poll number `poll` (0 first): grows ×1.5 to the cap, ±10 % jitter within it. */
function pollDelay(poll, schedule, random) {
    const base = Math.min(schedule.maxPollIntervalMs, schedule.pollIntervalMs * GROWTH ** poll);
    const jittered = base * (1 - JITTER + 2 * JITTER * random());
    return Math.round(Math.min(jittered, schedule.maxPollIntervalMs));
}
/**
 * Polls until the avatar is approved, has failed, or the timeout passes. The last
 * read happens at the deadline, not after it, and is itself cut off shortly after.
 */
async function waitForVerdict(initial, schedule, deps) {
    const started = deps.now();
    const deadline = started + schedule.timeoutMs;
    const elapsed = () => deps.now() - started;
    let persona = initial;
    let lastLine = started;
    let retryAfterMs = 0;
    deps.onChange(persona, 0);
    for (let poll = 0;; poll++) {
        const verdict = (0,creatify_persona/* verdictOf */.Vj)(persona);
        if (verdict !== "in-progress")
            return { outcome: verdict, persona };
        const remaining = deadline - deps.now();
        if (remaining <= 0)
            return { outcome: "timeout", persona };
        await deps.sleep(Math.min(Math.max(pollDelay(poll, schedule, deps.random), retryAfterMs), remaining));
        retryAfterMs = 0;
        try {
            const next = await deps.read(Math.max(deadline, deps.now() + LAST_READ_GRACE_MS));
            if ((0,creatify_persona/* statusOf */.c2)(next) !== (0,creatify_persona/* statusOf */.c2)(persona) || next.is_active !== persona.is_active) {
                deps.onChange(next, elapsed());
                lastLine = deps.now();
            }
            else if (deps.now() - lastLine >= HEARTBEAT_MS) {
                deps.onHeartbeat(next, elapsed());
                lastLine = deps.now();
            }
            persona = next;
        }
        catch (error) {
            if (!(error instanceof errors/* CreatifyError */.WT) || error.kind === "final")
                throw error;
            deps.onReadError(error, elapsed());
            retryAfterMs = error.retryAfterMs ?? 0;
        }
    }
}

;// CONCATENATED MODULE: ./src/avatar.ts









/**
 * Checks the videos a spec names before anything is sent: files must exist, stay in the
 * workspace and be MP4 or QuickTime (`describe` names the field at fault); what their
 * headers say only warns. The record it starts joins the report once every avatar is checked.
 */
async function checkAvatar(spec, workspace, describe, context) {
    const { video, consentVideo } = spec;
    let videos;
    if (video.kind === "url") {
        const consent = consentVideo?.kind === "url" ? consentVideo.url : undefined;
        videos = { kind: "url", video: video.url, consent };
    }
    else {
        const inspect = async (file, key) => {
            const checked = await (0,src_video/* inspectVideo */.i5)(file, workspace, describe(key));
            for (const line of (0,mp4/* headerWarnings */.Tx)(checked.header, describe(key), file.relativePath)) {
                context.log.warning(line);
            }
            return checked;
        };
        videos = {
            kind: "file",
            video: await inspect(video, constants/* Input */.pd.Video),
            consent: consentVideo?.kind === "file" ? await inspect(consentVideo, constants/* Input */.pd.ConsentVideo) : undefined,
        };
    }
    const name = video.kind === "url" ? video.url : video.relativePath;
    const record = (0,report/* newRecord */.Mx)(name, spec.creatorName, context.now());
    if (videos.kind === "file") {
        record.sent = `${(0,upload/* formatBytes */.z3)(videos.video.size)} · ${(0,mp4/* formatVideoHeader */.qg)(videos.video.header)}`;
    }
    return { spec, videos, record };
}
/**
 * Reads an existing avatar by id (`avatar-id`) into a new record of the report. The id is
 * an output even when the read fails. When the step is to wait, this first read is already
 * part of the wait and keeps its deadline.
 */
async function lookUpAvatar(id, context) {
    const { wait } = context;
    const record = context.report.add((0,report/* newRecord */.Mx)("", "", context.now()));
    record.id = id;
    const deadline = wait.enabled ? context.now() + wait.timeoutMs + LAST_READ_GRACE_MS : undefined;
    const persona = await context.client.get(id, deadline);
    record.persona = persona;
    record.creatorName = persona.creator_name;
    context.log.info(`Avatar "${persona.creator_name}" (${persona.id}) is ${(0,creatify_persona/* statusOf */.c2)(persona)}.`);
    return record;
}
/** Carries out what was decided for one avatar, then follows it (SPEC §8). */
async function carryOut(planned, context) {
    const { decision, record, spec } = planned;
    const name = `Avatar "${spec.creatorName}"`;
    if (decision.action === "refuse") {
        // A rejected take's verdict is this avatar's too; an avatar that merely exists is not.
        if ((0,creatify_persona/* verdictOf */.Vj)(decision.avatar) === "failed")
            record.persona = decision.avatar;
        throw new Error(`${name}: ${decision.reason}.`);
    }
    if (decision.action === "reuse") {
        record.persona = decision.avatar;
        record.id = decision.avatar.id;
        record.reused = true;
        const line = `${name}: reusing ${decision.avatar.id}, nothing uploaded: ${decision.reason}.`;
        if (decision.uncompared)
            context.log.notice(line);
        else
            context.log.info(line);
    }
    else {
        record.persona = await create(planned, context);
        record.id = record.persona.id;
        const replaces = decision.replaces ? `, replacing ${decision.replaces.id}` : "";
        context.log.info(`${name}: created ${record.persona.id} (${(0,creatify_persona/* statusOf */.c2)(record.persona)})${replaces}.`);
    }
    await followAvatar(record, context);
}
/**
 * Creates the avatar with its fingerprint label. A Creatify that refuses the label (HTTP 400
 * naming `labels`) created nothing, so it is sent once more without it (SPEC §8).
 */
async function create(planned, context) {
    const { spec, record } = planned;
    const plan = record.plan;
    const send = (withFingerprint) => {
        const fingerprint = withFingerprint ? plan?.fingerprint : undefined;
        return createOnce(planned, context, fingerprint, withFingerprint && !fingerprint);
    };
    try {
        return await send(true);
    }
    catch (error) {
        if (!refusesLabels(error))
            throw error;
        context.log.warning(`Avatar "${spec.creatorName}": Creatify refused the video fingerprint label (${error.message}); sending it once more without it. Re-runs will match this avatar by name only.`);
        if (plan)
            plan.fingerprint = undefined;
        return await send(false);
    }
}
async function createOnce({ spec, videos, record, known }, context, fingerprint, hashWhileUploading) {
    const fields = {
        creator_name: spec.creatorName,
        gender: spec.gender,
        video_scene: spec.videoScene,
        keywords: spec.keywords,
        webhook_url: spec.webhookUrl,
        labels: fingerprint ? [...spec.labels, fingerprint] : spec.labels,
    };
    if (videos.kind === "url") {
        return context.client.createFromUrls(fields, videos.video, videos.consent, known);
    }
    const onFingerprint = (label) => {
        if (record.plan)
            record.plan.fingerprint = label;
    };
    return context.client.createFromFiles(fields, videos.video, videos.consent, known, hashWhileUploading ? onFingerprint : undefined);
}
function refusesLabels(error) {
    return (error instanceof errors/* CreatifyError */.WT &&
        error.status === 400 &&
        /HTTP 400: (?:.*; )?labels: /.test(error.message));
}
/**
 * Follows an avatar whose id is known: waits for a verdict when asked to, and
 * throws when it failed, or timed out with `fail-on-timeout`.
 */
async function followAvatar(record, context) {
    const initial = record.persona;
    if (!initial)
        throw new Error(`avatar "${record.creatorName}" has no id to follow`);
    const name = `Avatar "${record.creatorName}" (${initial.id})`;
    const track = (persona, elapsedMs) => {
        record.persona = persona;
        record.creatorName = persona.creator_name || record.creatorName;
        record.timeline.push({ status: (0,creatify_persona/* statusOf */.c2)(persona), elapsedMs });
    };
    try {
        if (context.wait.enabled)
            await waitFor(record, initial, name, context, track);
        else
            track(initial, 0);
    }
    finally {
        record.finishedAt = context.now();
    }
    const persona = record.persona ?? initial;
    if ((0,creatify_persona/* verdictOf */.Vj)(persona) === "failed") {
        throw new Error(`${name} was ${(0,creatify_persona/* statusOf */.c2)(persona)}: ${persona.failed_reason || "no reason given"}`);
    }
}
/** Polls for a verdict; throws on a timeout when `fail-on-timeout` asks for it. */
async function waitFor(record, initial, name, context, track) {
    const { client, log, wait } = context;
    log.info(`Waiting up to ${(0,duration/* formatDuration */.a3)(wait.timeoutMs)} for ${name} to be approved.`);
    const result = await waitForVerdict(initial, wait, {
        // Every read, changed or not, is the "last persona seen" of the outputs and of a cancel.
        read: async (deadline) => {
            record.persona = await client.get(initial.id, deadline);
            return record.persona;
        },
        now: context.now,
        sleep: context.sleep,
        random: context.random,
        onChange: (persona, elapsedMs) => {
            track(persona, elapsedMs);
            const approved = persona.is_active ? ", approved" : "";
            log.info(`${name}: ${(0,creatify_persona/* statusOf */.c2)(persona)}${approved} after ${(0,duration/* formatDuration */.a3)(elapsedMs)}`);
        },
        onHeartbeat: (persona, elapsedMs) => {
            log.info(`${name}: still ${(0,creatify_persona/* statusOf */.c2)(persona)} after ${(0,duration/* formatDuration */.a3)(elapsedMs)}`);
        },
        onReadError: (error) => log.warning(`${name}: ${error.message}; polling on.`),
    });
    if (result.outcome === "timeout") {
        record.waitedMs = wait.timeoutMs;
        const message = `${name} is still ${(0,creatify_persona/* statusOf */.c2)(result.persona)} after ${(0,duration/* formatDuration */.a3)(wait.timeoutMs)}. ` +
            `Follow it up later with avatar-id: ${initial.id} and wait: true (e.g. in a scheduled workflow).`;
        if (wait.failOnTimeout)
            throw new Error(message);
        log.warning(message);
    }
}


/***/ }),

/***/ 7242:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   YJ: () => (/* binding */ InputDefault),
/* harmony export */   k7: () => (/* binding */ Output),
/* harmony export */   pd: () => (/* binding */ Input)
/* harmony export */ });
/** Input names exactly as action.yml declares them; code and tests share these. */
const Input = {
    ApiId: "api-id",
    ApiKey: "api-key",
    Video: "video",
    ConsentVideo: "consent-video",
    CreatorName: "creator-name",
    Gender: "gender",
    VideoScene: "video-scene",
    Keywords: "keywords",
    Labels: "labels",
    WebhookUrl: "webhook-url",
    AvatarId: "avatar-id",
    IfExists: "if-exists",
    Wait: "wait",
    WaitTimeout: "wait-timeout",
    PollInterval: "poll-interval",
    MaxPollInterval: "max-poll-interval",
    FailOnTimeout: "fail-on-timeout",
    BaseUrl: "base-url",
    Manifest: "manifest",
    ChangedOnly: "changed-only",
    MaxParallel: "max-parallel",
    GithubToken: "github-token",
    Only: "only",
    DryRun: "dry-run",
};
/**
 * action.yml's defaults, applied again here because a runner only fills them in
 * for the `uses:` step; a direct `node dist/index.js` (tests, the demo) does not.
 */
const InputDefault = {
    [Input.IfExists]: "reuse",
    [Input.Wait]: "false",
    [Input.WaitTimeout]: "6h",
    [Input.PollInterval]: "30s",
    [Input.MaxPollInterval]: "5m",
    [Input.FailOnTimeout]: "true",
    [Input.BaseUrl]: "https://api.creatify.ai",
    [Input.ChangedOnly]: "false",
    [Input.MaxParallel]: "3",
    [Input.DryRun]: "false",
};
const Output = {
    AvatarId: "avatar-id",
    Status: "status",
    IsActive: "is-active",
    FailedReason: "failed-reason",
    Reused: "reused",
    Avatar: "avatar",
    Avatars: "avatars",
    Replaces: "replaces",
    Plan: "plan",
};


/***/ }),

/***/ 2094:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   WT: () => (/* binding */ CreatifyError),
/* harmony export */   rd: () => (/* binding */ networkFailure),
/* harmony export */   tG: () => (/* binding */ httpFailure)
/* harmony export */ });
/** The one error type of the API client. Its message never carries a credential. */
class CreatifyError extends Error {
    name = "CreatifyError";
    kind;
    reason;
    status;
    retryAfterMs;
    constructor(message, kind, reason, status, retryAfterMs) {
        super(message);
        this.kind = kind;
        this.reason = reason;
        this.status = status;
        this.retryAfterMs = retryAfterMs;
    }
    /** Same failure, with what the caller was doing in front: `uploading x.mp4: HTTP 502 ...`. */
    withContext(context) {
        return new CreatifyError(`${context}: ${this.message}`, this.kind, this.reason, this.status, this.retryAfterMs);
    }
}
/** Connection-level errors that mean the request never reached the server. */
const NEVER_CONNECTED = new Set([
    "ECONNREFUSED",
    "ENOTFOUND",
    "EAI_AGAIN",
    "ENETUNREACH",
    "EHOSTUNREACH",
    "CONNECT_TIMEOUT",
    // The proxy refused or failed the CONNECT: nothing reached the API.
    "ERR_PROXY_TUNNEL",
]);
const TIMEOUTS = new Set(["IDLE_TIMEOUT", "ETIMEDOUT"]);
/**
 * OpenSSL's verdicts on a server's certificate: the request was never sent, and sending it
 * again meets the same certificate.
 */
const UNTRUSTED = new Set([
    "DEPTH_ZERO_SELF_SIGNED_CERT",
    "SELF_SIGNED_CERT_IN_CHAIN",
    "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
    "UNABLE_TO_GET_ISSUER_CERT",
    "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
    "CERT_HAS_EXPIRED",
    "CERT_NOT_YET_VALID",
    "CERT_REVOKED",
    "CERT_UNTRUSTED",
    "ERR_TLS_CERT_ALTNAME_INVALID",
]);
/**
 * Classifies an error thrown by the transport (no whole HTTP answer was read); `limit`
 * names what `timedOut` ran into.
 */
function networkFailure(error, what, timedOut, limit = "deadline") {
    const codes = errorCodes(error);
    const refused = codes.find((code) => NEVER_CONNECTED.has(code));
    if (refused) {
        return new CreatifyError(`${what}: cannot connect (${refused})`, "unprocessed", "network");
    }
    const untrusted = codes.find((code) => UNTRUSTED.has(code));
    if (untrusted) {
        return new CreatifyError(`${what}: cannot trust the server's certificate (${untrusted}); behind a proxy that inspects TLS, give Node its CA with NODE_EXTRA_CA_CERTS`, "final", "network");
    }
    const timeout = codes.find((code) => TIMEOUTS.has(code));
    if (timedOut || timeout) {
        return new CreatifyError(`${what}: no answer in time (${timeout ?? limit})`, "ambiguous", "timeout");
    }
    const detail = codes.join(", ") || (error instanceof Error ? error.message : String(error));
    return new CreatifyError(`${what}: connection lost (${detail})`, "ambiguous", "network");
}
/** Classifies an HTTP answer that is not a success; `detail` is the server's own words. */
function httpFailure(status, what, detail, retryAfterMs) {
    const message = `${what}: HTTP ${status}${detail ? `: ${detail}` : ""}`;
    if (status === 401 || status === 403) {
        return new CreatifyError(`${what}: Creatify refused the credentials (HTTP ${status}); check the api-id and api-key inputs${detail ? ` (${detail})` : ""}`, "final", "credentials", status);
    }
    if (status === 404)
        return new CreatifyError(message, "final", "not-found", status);
    if (status === 429)
        return new CreatifyError(message, "unprocessed", "throttled", status, retryAfterMs);
    if (status === 503)
        return new CreatifyError(message, "unprocessed", "server", status, retryAfterMs);
    if (status >= 500)
        return new CreatifyError(message, "ambiguous", "server", status, retryAfterMs);
    return new CreatifyError(message, "final", "bad-request", status);
}
/** Every error code on the error, its causes and aggregated errors (happy eyeballs tries every address). */
function errorCodes(error, depth = 0) {
    if (typeof error !== "object" || error === null || depth > 4)
        return [];
    const { code, cause, errors } = error;
    const nested = [cause, ...(Array.isArray(errors) ? errors : [])];
    return [
        ...(typeof code === "string" ? [code] : []),
        ...nested.flatMap((inner) => errorCodes(inner, depth + 1)),
    ];
}


/***/ }),

/***/ 1509:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   HS: () => (/* binding */ isPersona),
/* harmony export */   LQ: () => (/* binding */ DOCUMENTED_FIELDS),
/* harmony export */   PT: () => (/* binding */ previewsOf),
/* harmony export */   Vj: () => (/* binding */ verdictOf),
/* harmony export */   c2: () => (/* binding */ statusOf)
/* harmony export */ });
/** Approved once `is_active`; failed when rejected or failed; anything else is still moving. */
function verdictOf(persona) {
    if (persona.is_active === true)
        return "approved";
    if (persona.process_status === "failed" || persona.process_status === "rejected")
        return "failed";
    return "in-progress";
}
/** The status to show: `process_status`, or `unknown` when the API left it out. */
function statusOf(persona) {
    return persona.process_status ?? "unknown";
}
const PREVIEW_FIELDS = [
    "preview_image_16_9",
    "preview_image_1_1",
    "preview_image_9_16",
    "preview_video_16_9",
    "preview_video_1_1",
    "preview_video_9_16",
];
/** The fields SPEC §2 documents, for when a server's answer is too large to keep whole. */
const DOCUMENTED_FIELDS = [
    "id",
    "creator_name",
    "gender",
    "video_scene",
    "is_active",
    "process_status",
    "failed_reason",
    ...PREVIEW_FIELDS,
    "created_at",
    "updated_at",
];
/** The preview links the API gave, by field name, skipping empty ones. */
function previewsOf(persona) {
    return PREVIEW_FIELDS.flatMap((field) => {
        const url = persona[field];
        return typeof url === "string" && url !== "" ? [{ field, url }] : [];
    });
}
/** Whether a value is shaped like a persona; guards what the API returns. */
function isPersona(value) {
    return (typeof value === "object" &&
        value !== null &&
        typeof value.id === "string" &&
        value.id !== "");
}


/***/ }),

/***/ 7607:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   E9: () => (/* binding */ parseDuration),
/* harmony export */   _o: () => (/* binding */ MAX_TIMER_MS),
/* harmony export */   a3: () => (/* binding */ formatDuration),
/* harmony export */   yy: () => (/* binding */ sleep)
/* harmony export */ });
const UNIT_MS = {
    ms: 1,
    s: 1000,
    m: 60_000,
    h: 3_600_000,
    d: 86_400_000,
};
/**
 * Parses `90s`, `45m`, `6h`, `2d`, `250ms` or bare seconds (`120`) into milliseconds.
 * Returns undefined for anything else so the caller can name the input at fault.
 */
function parseDuration(text) {
    const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?$/i.exec(text.trim());
    if (!match?.[1])
        return undefined;
    const unit = UNIT_MS[(match[2] ?? "s").toLowerCase()] ?? 1000;
    return Math.round(Number(match[1]) * unit);
}
/** Node's timers fire at once past 2^31-1 ms (about 24.8 days). */
const MAX_TIMER_MS = 2 ** 31 - 1;
/** Waits `ms`, in steps where it is longer than one timer can wait: a wait of weeks still waits. */
async function sleep(ms) {
    for (let left = ms; left > 0; left -= MAX_TIMER_MS) {
        await new Promise((resolve) => setTimeout(resolve, Math.min(left, MAX_TIMER_MS)));
    }
}
/** `4m12s`, `2h3m`, `850ms`: short enough for a log line, exact enough to compare runs. */
function formatDuration(ms) {
    if (ms < 1000)
        return `${Math.round(ms)}ms`;
    let seconds = Math.round(ms / 1000);
    const days = Math.floor(seconds / 86_400);
    seconds -= days * 86_400;
    const hours = Math.floor(seconds / 3600);
    seconds -= hours * 3600;
    const minutes = Math.floor(seconds / 60);
    seconds -= minutes * 60;
    const parts = [
        [days, "d"],
        [hours, "h"],
        [minutes, "m"],
        [seconds, "s"],
    ];
    const first = parts.findIndex(([value]) => value > 0);
    return parts
        .slice(first, first + 2)
        .filter(([value]) => value > 0)
        .map(([value, unit]) => `${value}${unit}`)
        .join("");
}


/***/ }),

/***/ 3916:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   b: () => (/* binding */ messageOf),
/* harmony export */   d: () => (/* binding */ InputError)
/* harmony export */ });
/**
 * A bad input, found before any request is sent. The message is the one line the
 * user sees, and it always starts with the input (or manifest entry) at fault.
 */
class InputError extends Error {
    name = "InputError";
    /** Set when a file the user wrote (a manifest) is at fault, for an annotation. */
    file;
    line;
    constructor(message, location) {
        super(message);
        this.file = location?.file;
        this.line = location?.line;
    }
}
/** The message of anything thrown, including non-Error throws. */
function messageOf(error) {
    if (error instanceof Error)
        return error.message;
    return String(error);
}


/***/ }),

/***/ 2659:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   TI: () => (/* binding */ fingerprintLabel),
/* harmony export */   am: () => (/* binding */ fingerprintOfFile),
/* harmony export */   tm: () => (/* binding */ fingerprintsOf),
/* harmony export */   xz: () => (/* binding */ fingerprintOfUrl)
/* harmony export */ });
/* unused harmony export FINGERPRINT_PREFIX */
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(7598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__nccwpck_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(1455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__nccwpck_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _video_js__WEBPACK_IMPORTED_MODULE_2__ = __nccwpck_require__(4672);



/**
 * The label that ties an avatar to the video it was made from (SPEC §8): `video-sha256:`
 * and the first 16 hex digits of the SHA-256 of the file's bytes, or of a URL's text.
 */
const FINGERPRINT_PREFIX = "video-sha256:";
function fingerprintLabel(sha256Hex) {
    return FINGERPRINT_PREFIX + sha256Hex.slice(0, 16).toLowerCase();
}
function fingerprintOfUrl(url) {
    return fingerprintLabel((0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)("sha256").update(url, "utf8").digest("hex"));
}
/** Large reads into one reused buffer: one sequential pass, memory flat whatever the size. */
const READ_BYTES = 1024 * 1024;
/** Hashes a file in one sequential read. */
async function fingerprintOfFile(path) {
    const hash = (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)("sha256");
    const buffer = (0,_video_js__WEBPACK_IMPORTED_MODULE_2__/* .readBuffer */ .X)(READ_BYTES);
    const handle = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.open)(path, "r");
    try {
        for (;;) {
            const { bytesRead } = await handle.read(buffer, 0, READ_BYTES, null);
            if (bytesRead === 0)
                break;
            hash.update(buffer.subarray(0, bytesRead));
        }
    }
    finally {
        await handle.close();
    }
    return fingerprintLabel(hash.digest("hex"));
}
/** The fingerprint labels an avatar carries (none for one made by hand or before fingerprints). */
function fingerprintsOf(persona) {
    const labels = persona.labels;
    if (!Array.isArray(labels))
        return [];
    return labels.filter((label) => typeof label === "string" && label.startsWith(FINGERPRINT_PREFIX));
}


/***/ }),

/***/ 9407:
/***/ ((module, __unused_webpack___webpack_exports__, __nccwpck_require__) => {

__nccwpck_require__.a(module, async (__webpack_handle_async_dependencies__, __webpack_async_result__) => { try {
/* harmony import */ var _main_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(5377);

await (0,_main_js__WEBPACK_IMPORTED_MODULE_0__/* .run */ .e)();

__webpack_async_result__();
} catch(e) { __webpack_async_result__(e); } }, 1);

/***/ }),

/***/ 8422:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   Fj: () => (/* binding */ secretsOf),
/* harmony export */   N0: () => (/* binding */ parseAvatar),
/* harmony export */   TL: () => (/* binding */ parseInputs),
/* harmony export */   nb: () => (/* binding */ AVATAR_KEYS)
/* harmony export */ });
/* harmony import */ var _constants_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(7242);
/* harmony import */ var _duration_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(7607);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_2__ = __nccwpck_require__(3916);
/* harmony import */ var _text_js__WEBPACK_IMPORTED_MODULE_4__ = __nccwpck_require__(8992);
/* harmony import */ var _workspace_js__WEBPACK_IMPORTED_MODULE_3__ = __nccwpck_require__(3338);





/** The keys an avatar takes, as inputs and as manifest entry keys alike. */
const AVATAR_KEYS = [
    _constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Input */ .pd.Video,
    _constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Input */ .pd.ConsentVideo,
    _constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Input */ .pd.CreatorName,
    _constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Input */ .pd.Gender,
    _constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Input */ .pd.VideoScene,
    _constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Input */ .pd.Keywords,
    _constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Input */ .pd.Labels,
    _constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Input */ .pd.WebhookUrl,
    _constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Input */ .pd.IfExists,
];
const GENDERS = {
    m: "m",
    male: "m",
    f: "f",
    female: "f",
    nb: "nb",
    "non-binary": "nb",
    nonbinary: "nb",
};
const IF_EXISTS = ["reuse", "create", "fail"];
const TRUE = ["true", "True", "TRUE"];
const FALSE = ["false", "False", "FALSE"];
const URL_LIKE = /^[a-z][a-z0-9+.-]*:\/\//i;
const ID_LIKE = /^[A-Za-z0-9._-]+$/;
/** `setTimeout` overflows past 2^31-1 ms (~24.8 days); waits are capped well inside a month. */
const MAX_DURATION_MS = 30 * 86_400_000;
/** Parses and validates every input; throws InputError naming the first one at fault. */
function parseInputs(read, workspace) {
    const get = (name) => read(name).trim() || _constants_js__WEBPACK_IMPORTED_MODULE_0__/* .InputDefault */ .YJ[name] || "";
    const describe = (name) => `Input "${name}"`;
    const dryRun = parseBoolean(get(_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Input */ .pd.DryRun), describe(_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Input */ .pd.DryRun));
    const [apiId, apiKey] = credentials(get(_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Input */ .pd.ApiId), get(_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Input */ .pd.ApiKey), dryRun);
    const baseUrl = parseHttpUrl(get(_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Input */ .pd.BaseUrl), describe(_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Input */ .pd.BaseUrl)).replace(/\/+$/, "");
    const wait = parseWait(get, describe);
    const given = [_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Input */ .pd.Video, _constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Input */ .pd.AvatarId, _constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Input */ .pd.Manifest].filter((name) => get(name) !== "");
    if (given.length !== 1) {
        const which = given.length === 0 ? "none was given" : `got ${given.join(" and ")}`;
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .InputError */ .d(`Give exactly one of inputs "video", "avatar-id" or "manifest" (${which}).`);
    }
    const only = list(get(_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Input */ .pd.Only));
    if (only.length > 0 && given[0] !== _constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Input */ .pd.Manifest) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .InputError */ .d(`${describe(_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Input */ .pd.Only)}: goes with "manifest", not "${given[0]}".`);
    }
    let target;
    if (given[0] === _constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Input */ .pd.AvatarId) {
        const avatarId = get(_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Input */ .pd.AvatarId);
        if (!ID_LIKE.test(avatarId)) {
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .InputError */ .d(`${describe(_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Input */ .pd.AvatarId)}: "${avatarId}" is not an avatar id.`);
        }
        if (dryRun) {
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .InputError */ .d(`${describe(_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Input */ .pd.DryRun)}: a dry run plans submissions; it does not go with "avatar-id".`);
        }
        target = { mode: "existing", avatarId };
    }
    else if (given[0] === _constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Input */ .pd.Manifest) {
        target = {
            mode: "batch",
            batch: {
                manifest: (0,_workspace_js__WEBPACK_IMPORTED_MODULE_3__/* .workspacePath */ .X)(get(_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Input */ .pd.Manifest), workspace, describe(_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Input */ .pd.Manifest)).path,
                changedOnly: parseBoolean(get(_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Input */ .pd.ChangedOnly), describe(_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Input */ .pd.ChangedOnly)),
                maxParallel: parseCount(get(_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Input */ .pd.MaxParallel), describe(_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Input */ .pd.MaxParallel)),
                githubToken: get(_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Input */ .pd.GithubToken),
                only,
            },
        };
    }
    else {
        const source = { read: get, describe };
        target = { mode: "single", avatar: parseAvatar(source, workspace, "reuse") };
    }
    return { apiId, apiKey, baseUrl, wait, dryRun, target };
}
/**
 * Both credentials, or (in a dry run only) neither. A space or line break inside one is a
 * copy-paste slip that the server would answer with a dropped connection, not a 401.
 */
function credentials(apiId, apiKey, dryRun) {
    if (dryRun && apiId === "" && apiKey === "")
        return ["", ""];
    for (const [name, value] of [
        [_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Input */ .pd.ApiId, apiId],
        [_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Input */ .pd.ApiKey, apiKey],
    ]) {
        if (value === "") {
            const hint = dryRun ? "" : " (only a dry-run may leave api-id and api-key both empty)";
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .InputError */ .d(`Input "${name}" is required${hint}.`);
        }
        if (/\s/.test(value) || _text_js__WEBPACK_IMPORTED_MODULE_4__/* .CONTROL */ .W3.test(value)) {
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .InputError */ .d(`Input "${name}" contains a space, line break or control character; copy it again.`);
        }
    }
    return [apiId, apiKey];
}
/** A comma- or newline-separated list, blanks dropped. */
function list(text) {
    return text
        .split(/[,\n]/)
        .map((item) => item.trim())
        .filter((item) => item !== "");
}
function parseWait(get, describe) {
    const duration = (name) => {
        const ms = (0,_duration_js__WEBPACK_IMPORTED_MODULE_1__/* .parseDuration */ .E9)(get(name));
        if (ms === undefined) {
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .InputError */ .d(`${describe(name)}: "${get(name)}" is not a duration (use 90s, 45m, 6h, 2d or seconds).`);
        }
        if (ms > MAX_DURATION_MS) {
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .InputError */ .d(`${describe(name)}: "${get(name)}" is longer than the limit of 30d.`);
        }
        return ms;
    };
    const pollIntervalMs = duration(_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Input */ .pd.PollInterval);
    if (pollIntervalMs <= 0) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .InputError */ .d(`${describe(_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Input */ .pd.PollInterval)}: must be longer than zero.`);
    }
    return {
        enabled: parseBoolean(get(_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Input */ .pd.Wait), describe(_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Input */ .pd.Wait)),
        timeoutMs: duration(_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Input */ .pd.WaitTimeout),
        pollIntervalMs,
        // A cap below the first delay would be meaningless; the first delay wins.
        maxPollIntervalMs: Math.max(duration(_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Input */ .pd.MaxPollInterval), pollIntervalMs),
        failOnTimeout: parseBoolean(get(_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Input */ .pd.FailOnTimeout), describe(_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Input */ .pd.FailOnTimeout)),
    };
}
/** Parses one avatar's fields; shared by the step inputs and every manifest entry. */
function parseAvatar(source, workspace, defaultIfExists) {
    const field = (key) => source.read(key).trim();
    const at = (key) => source.describe(key);
    const video = parseVideoSource(required(field(_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Input */ .pd.Video), at(_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Input */ .pd.Video)), workspace, at(_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Input */ .pd.Video));
    const consentText = field(_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Input */ .pd.ConsentVideo);
    const consentVideo = consentText
        ? parseVideoSource(consentText, workspace, at(_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Input */ .pd.ConsentVideo))
        : undefined;
    if (consentVideo && consentVideo.kind !== video.kind) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .InputError */ .d(`${at(_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Input */ .pd.ConsentVideo)}: must be a ${video.kind === "file" ? "path" : "URL"} like "video" (files and URLs go to different endpoints).`);
    }
    const genderText = required(field(_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Input */ .pd.Gender), at(_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Input */ .pd.Gender));
    const gender = GENDERS[genderText.toLowerCase()];
    if (!gender) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .InputError */ .d(`${at(_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Input */ .pd.Gender)}: "${genderText}" is not one of m, f, nb (male, female, non-binary).`);
    }
    const ifExistsText = field(_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Input */ .pd.IfExists) || defaultIfExists;
    const ifExists = IF_EXISTS.find((value) => value === ifExistsText.toLowerCase());
    if (!ifExists) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .InputError */ .d(`${at(_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Input */ .pd.IfExists)}: "${ifExistsText}" is not one of reuse, create, fail.`);
    }
    const webhookText = field(_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Input */ .pd.WebhookUrl);
    const text = (key, value) => limited(plain(value, at(key)), 255, at(key));
    return {
        video,
        consentVideo,
        creatorName: text(_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Input */ .pd.CreatorName, required(field(_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Input */ .pd.CreatorName), at(_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Input */ .pd.CreatorName))),
        gender,
        videoScene: text(_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Input */ .pd.VideoScene, required(field(_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Input */ .pd.VideoScene), at(_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Input */ .pd.VideoScene))),
        keywords: text(_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Input */ .pd.Keywords, field(_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Input */ .pd.Keywords)) || undefined,
        labels: list(field(_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Input */ .pd.Labels)).map((label) => plain(label, at(_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Input */ .pd.Labels))),
        webhookUrl: webhookText
            ? limited(parseHttpUrl(webhookText, at(_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Input */ .pd.WebhookUrl)), 200, at(_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Input */ .pd.WebhookUrl))
            : undefined,
        ifExists,
    };
}
/** Values of a spec to mask in logs: a webhook URL with a query string usually carries a token. */
function secretsOf(spec) {
    return spec.webhookUrl?.includes("?") ? [spec.webhookUrl] : [];
}
function parseVideoSource(text, workspace, name) {
    if (URL_LIKE.test(text))
        return { kind: "url", url: parseHttpUrl(text, name) };
    return { kind: "file", ...(0,_workspace_js__WEBPACK_IMPORTED_MODULE_3__/* .workspacePath */ .X)(text, workspace, name) };
}
function parseHttpUrl(text, name) {
    let url;
    try {
        url = new URL(text);
    }
    catch {
        // A URL's query may carry a token (a webhook's usually does): never print it.
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .InputError */ .d(`${name}: "${(0,_text_js__WEBPACK_IMPORTED_MODULE_4__/* .withoutQuery */ .j$)(text)}" is not a URL.`);
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .InputError */ .d(`${name}: "${url.protocol}" URLs are not supported; use http(s).`);
    }
    return text;
}
function parseBoolean(text, name) {
    if (TRUE.includes(text))
        return true;
    if (FALSE.includes(text))
        return false;
    throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .InputError */ .d(`${name}: "${text}" is not true or false.`);
}
function parseCount(text, name) {
    const count = Number(text);
    if (!Number.isInteger(count) || count < 1 || count > 20) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .InputError */ .d(`${name}: "${text}" is not a whole number from 1 to 20.`);
    }
    return count;
}
function required(text, name) {
    if (text === "")
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .InputError */ .d(`${name} is required.`);
    return text;
}
/** Text that goes to Creatify and into log lines: a control character in it is a slip. */
function plain(text, name) {
    if (_text_js__WEBPACK_IMPORTED_MODULE_4__/* .CONTROL */ .W3.test(text)) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .InputError */ .d(`${name}: contains a line break or another control character.`);
    }
    return text;
}
function limited(text, max, name) {
    if ([...text].length > max) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .InputError */ .d(`${name}: ${[...text].length} characters, at most ${max} allowed.`);
    }
    return text;
}


/***/ }),

/***/ 5377:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  e: () => (/* binding */ run)
});

// EXTERNAL MODULE: ./src/avatar.ts + 1 modules
var avatar = __nccwpck_require__(2697);
// EXTERNAL MODULE: ./src/constants.ts
var constants = __nccwpck_require__(7242);
// EXTERNAL MODULE: ./src/errors.ts
var errors = __nccwpck_require__(3916);
// EXTERNAL MODULE: ./src/fingerprint.ts
var fingerprint = __nccwpck_require__(2659);
// EXTERNAL MODULE: ./src/text.ts
var src_text = __nccwpck_require__(8992);
// EXTERNAL MODULE: ./src/upload.ts
var upload = __nccwpck_require__(1550);
// EXTERNAL MODULE: ./src/creatify/errors.ts
var creatify_errors = __nccwpck_require__(2094);
// EXTERNAL MODULE: ./src/duration.ts
var duration = __nccwpck_require__(7607);
;// CONCATENATED MODULE: ./src/retry.ts
const DEFAULT_BACKOFF = {
    attempts: 5,
    baseMs: 500,
    maxMs: 15_000,
    maxRetryAfterMs: 120_000,
};
/** Delay before retry number `retry` (0 for the first retry). */
function backoffDelay(retry, policy, random, retryAfterMs) {
    const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** retry);
    const jittered = ceiling / 2 + (random() * ceiling) / 2;
    return Math.round(Math.max(jittered, Math.min(retryAfterMs ?? 0, policy.maxRetryAfterMs)));
}
/** `Retry-After` as seconds or an HTTP date, in ms from `now`; undefined when absent or unreadable. */
function parseRetryAfter(value, now) {
    if (!value)
        return undefined;
    const trimmed = value.trim();
    if (/^\d+$/.test(trimmed))
        return Number(trimmed) * 1000;
    const date = Date.parse(trimmed);
    return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

;// CONCATENATED MODULE: ./src/creatify/answer.ts
/**
 * Bounds on one answer that keep the action under 256 MB whatever a server sends (SPEC §11).
 * Parsed, a JSON value can cost V8 ~120 bytes however short its text, and a new object key
 * several hundred, so 16 MiB of `[{},{},…]` alone would take ~700 MB: values (commas and
 * opening brackets) and distinct keys are bounded too. 20,000 avatars are about 460,000
 * values and 21 keys.
 */
const MAX_ANSWER_BYTES = 16 * 2 ** 20;
const MAX_ANSWER_VALUES = 750_000;
const MAX_ANSWER_KEYS = 10_000;
const TOO_LARGE = { refused: `answer larger than ${MAX_ANSWER_BYTES / 2 ** 20} MiB` };
const TOO_MANY_VALUES = {
    // Written out: toLocaleString would load ICU at start-up (10-15 ms).
    refused: `answer of more than 750,000 JSON values`,
};
const TOO_MANY_KEYS = {
    refused: `answer with more than 10,000 distinct keys`,
};
/**
 * An answer's text, read only while it stays within the bounds; past one, the body is
 * destroyed, and the connection with it, unread.
 */
async function readBounded({ headers, body }, isJson) {
    if (Number(headers["content-length"]) > MAX_ANSWER_BYTES) {
        // The connection goes with it rather than read a body this long.
        body.destroy();
        return TOO_LARGE;
    }
    const tally = new JsonTally();
    const chunks = [];
    let size = 0;
    for await (const chunk of body) {
        size += chunk.length;
        // Returning from the loop destroys the body.
        if (size > MAX_ANSWER_BYTES)
            return TOO_LARGE;
        if (isJson) {
            tally.add(chunk);
            if (tally.values > MAX_ANSWER_VALUES)
                return TOO_MANY_VALUES;
            if (tally.keys > MAX_ANSWER_KEYS)
                return TOO_MANY_KEYS;
        }
        chunks.push(chunk);
    }
    return Buffer.concat(chunks, size).toString("utf8");
}
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const COMMA = 0x2c;
const OPEN_BRACKET = 0x5b;
const OPEN_BRACE = 0x7b;
const WHITESPACE = new Set([0x20, 0x09, 0x0a, 0x0d]);
/** A key longer than this is not remembered but counted as new, as a hostile one would be. */
const MAX_KEY_BYTES = 64;
/**
 * Tallies, chunk by chunk, what a JSON text will cost to parse: its values and its distinct
 * object keys (a string followed by a colon). Strings may be split across chunks.
 */
class JsonTally {
    values = 0;
    #keys = new Set();
    #inString = false;
    #escaped = false;
    /** The open string's bytes, up to one more than MAX_KEY_BYTES. */
    #string = [];
    /** A string has closed and only whitespace followed: a colon now makes it a key. */
    #closed = false;
    get keys() {
        return this.#keys.size;
    }
    add(chunk) {
        // Indexed: twice as fast as for-of over a typed array, on every byte of a 16 MiB answer.
        for (let i = 0; i < chunk.length; i++) {
            const byte = chunk[i];
            if (this.#inString)
                this.#inStringByte(byte);
            else
                this.#outsideByte(byte);
        }
    }
    #inStringByte(byte) {
        if (this.#escaped)
            this.#escaped = false;
        else if (byte === BACKSLASH)
            this.#escaped = true;
        else if (byte === QUOTE) {
            this.#inString = false;
            this.#closed = true;
            return;
        }
        if (this.#string.length <= MAX_KEY_BYTES)
            this.#string.push(byte);
    }
    #outsideByte(byte) {
        if (WHITESPACE.has(byte))
            return;
        if (byte === COLON && this.#closed)
            this.#keys.add(this.#key());
        else if (byte === COMMA || byte === OPEN_BRACKET || byte === OPEN_BRACE)
            this.values++;
        else if (byte === QUOTE) {
            this.#inString = true;
            this.#string.length = 0;
        }
        this.#closed = false;
    }
    #key() {
        // U+0100 is no byte's character: a long key never matches a remembered one.
        if (this.#string.length > MAX_KEY_BYTES)
            return `\u0100${this.#keys.size}`;
        return String.fromCharCode(...this.#string);
    }
}
function parseJson(text) {
    try {
        return { value: JSON.parse(text) };
    }
    catch {
        return undefined;
    }
}

// EXTERNAL MODULE: external "node:http"
var external_node_http_ = __nccwpck_require__(7067);
var external_node_http_default = /*#__PURE__*/__nccwpck_require__.n(external_node_http_);
;// CONCATENATED MODULE: external "node:https"
const external_node_https_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:https");
var external_node_https_default = /*#__PURE__*/__nccwpck_require__.n(external_node_https_namespaceObject);
;// CONCATENATED MODULE: ./src/creatify/transport.ts
// One HTTP exchange over Node's own http/https, with keep-alive and the runner's proxy
// variables. Node's client rather than undici: undici's evaluation alone took start-up to
// 2.9–3.6× `node -e 0`, node:http to 1.8× (docs/benchmarks.md). The limits on an answer,
// the retries and the error classes stay in http.ts; this file only moves bytes.


/** How long a connection may take to open, through a proxy or not. */
const CONNECT_TIMEOUT_MS = 30_000;
/** A transport error with a code, which errors.ts classifies. */
const failure = (code, message) => Object.assign(new Error(message), { code });
class Transport {
    #agents;
    constructor(env) {
        const proxyEnv = proxyVariables(env);
        // Node 24.5's built-in proxy support: CONNECT for https, absolute-form for http. An idle
        // connection is closed after 4 s, before servers' usual 5 s, so that a request never
        // goes out on one the server is closing (as undici and Node's global agent do).
        const options = { keepAlive: true, timeout: 4_000, proxyEnv };
        this.#agents = { "http:": new (external_node_http_default()).Agent(options), "https:": new (external_node_https_default()).Agent(options) };
    }
    /** Sends the request and resolves with the answer's head; its body is left to the caller. */
    send(exchange) {
        const { url, method, headers, body, idleTimeoutMs, signal } = exchange;
        const client = url.protocol === "https:" ? (external_node_https_default()) : (external_node_http_default());
        return new Promise((resolve, reject) => {
            const request = client.request(url, {
                method,
                headers,
                agent: this.#agents[url.protocol],
                signal,
            });
            request.on("error", reject);
            request.once("socket", (socket) => {
                if (!socket.connecting)
                    return;
                const timer = setTimeout(() => request.destroy(failure("CONNECT_TIMEOUT", "connection not opened in time")), CONNECT_TIMEOUT_MS);
                socket.once("connect", () => clearTimeout(timer)).once("close", () => clearTimeout(timer));
            });
            let answer;
            // Socket inactivity: while the server stores an upload, and between an answer's chunks
            // (the answer's reader then gets this error, not the reset it would cause).
            request.setTimeout(idleTimeoutMs, () => {
                const silent = failure("IDLE_TIMEOUT", `nothing received for ${idleTimeoutMs} ms`);
                answer?.destroy(silent);
                request.destroy(silent);
            });
            request.once("response", (response) => {
                answer = response;
                // An answer before the whole body (a refusal): the connection cannot serve another.
                if (!request.writableFinished)
                    response.once("end", () => request.destroy());
                resolve({
                    statusCode: response.statusCode ?? 0,
                    headers: response.headers,
                    body: response,
                });
            });
            pump(request, body).catch((error) => request.destroy(error));
        });
    }
    close() {
        this.#agents["http:"].destroy();
        this.#agents["https:"].destroy();
    }
}
/**
 * Writes the body a chunk at a time, and asks for the next only once the last has reached
 * the socket: the upload reads every chunk into the same buffer (upload.ts). Reading the
 * next chunk ahead, into a second buffer, measured no faster.
 */
async function pump(request, body) {
    if (body === undefined || typeof body === "string") {
        request.end(body);
        return;
    }
    // Settles when the chunk is in the socket or the request is gone, whose write callback
    // may never come. A listener per chunk, removed with it: racing each write against one
    // long-lived "closed" promise would leave a reaction on it per chunk, memory growing with
    // the file.
    const written = (chunk) => new Promise((resolve, reject) => {
        request.once("close", resolve);
        request.write(chunk, (error) => {
            request.off("close", resolve);
            if (error)
                reject(error);
            else
                resolve();
        });
    });
    try {
        for await (const chunk of body) {
            await written(chunk);
            if (request.destroyed)
                return;
        }
        request.end();
    }
    finally {
        // Closes the file when the exchange ended before the body did.
        await body.return(undefined);
    }
}
/** Node before 24.5 ignores `proxyEnv`: a proxy set for the runner would go unused. */
function proxyUnsupported(env, version = process.versions.node) {
    const [major = 0, minor = 0] = version.split(".").map(Number);
    const proxy = proxyVariables(env);
    return (proxy.HTTP_PROXY ?? proxy.HTTPS_PROXY) !== undefined && major * 100 + minor < 2405;
}
/**
 * HTTPS_PROXY, HTTP_PROXY and NO_PROXY in either case, as self-hosted runners set them.
 * The API is https, so a runner may set only HTTPS_PROXY; an http:// API root (a
 * gateway, a test) then goes through that proxy too rather than around it.
 */
function proxyVariables(env) {
    const https = env.https_proxy || env.HTTPS_PROXY || undefined;
    return {
        HTTP_PROXY: env.http_proxy || env.HTTP_PROXY || https,
        HTTPS_PROXY: https,
        NO_PROXY: env.no_proxy || env.NO_PROXY || undefined,
    };
}

;// CONCATENATED MODULE: ./src/creatify/http.ts






/** How long one read may take, retries and answer bodies included (SPEC §11). */
const CALL_BUDGET_MS = 180_000;
/**
 * The one HTTP layer: authentication headers, timeouts, proxy, status and body
 * checks, the bounds on an answer's size and time, and the retry of reads. Creates
 * get one attempt here; the client decides whether another is safe.
 */
class Http {
    #options;
    #transport;
    #backoff;
    #sleep;
    #random;
    #now;
    #budgetMs;
    #redact;
    constructor(options) {
        this.#options = options;
        this.#transport = new Transport(process.env);
        if (proxyUnsupported(process.env)) {
            options.log.warning(`Node ${process.version} ignores HTTPS_PROXY and HTTP_PROXY (Node 24.5 or later uses them): requests go direct.`);
        }
        this.#backoff = options.backoff ?? DEFAULT_BACKOFF;
        this.#sleep = options.sleep ?? duration/* sleep */.yy;
        this.#random = options.random ?? Math.random;
        this.#now = options.now ?? Date.now;
        this.#budgetMs = options.callBudgetMs ?? CALL_BUDGET_MS;
        this.#redact = (0,src_text/* redactor */.$p)([options.apiId, options.apiKey]);
    }
    /**
     * A read: retried on network errors, 429 and 5xx, with backoff and `Retry-After`,
     * all of it within the call budget or the call's deadline, whichever ends first.
     */
    async read(call) {
        const limit = tighter(deadlineOf(call), this.#budget());
        for (let attempt = 1;; attempt++) {
            try {
                return await this.#attempt(call, limit);
            }
            catch (error) {
                if (!(error instanceof creatify_errors/* CreatifyError */.WT) || error.kind === "final")
                    throw error;
                const delay = this.retryDelay(error, attempt, limit.at);
                if (delay === undefined)
                    throw error;
                await this.pause(error, delay, attempt);
            }
        }
    }
    /** The policy's delay before the next attempt, undefined when out of attempts or time. */
    retryDelay(error, attempt, deadline) {
        if (attempt >= this.#backoff.attempts)
            return undefined;
        const delay = backoffDelay(attempt - 1, this.#backoff, this.#random, error.retryAfterMs);
        if (deadline !== undefined && this.#now() + delay >= deadline)
            return undefined;
        return delay;
    }
    /** Logs why a retry comes and waits for it. */
    async pause(error, delayMs, attempt) {
        this.#options.log.info(`${error.message}; retrying in ${(0,duration/* formatDuration */.a3)(delayMs)} (attempt ${attempt + 1} of ${this.#backoff.attempts})`);
        await this.#sleep(delayMs);
    }
    /**
     * One attempt: resolves with the decoded JSON of a 2xx, throws a classified CreatifyError.
     * Only the call's deadline bounds the request (an upload over a slow link takes what it
     * takes); reading the answer is bounded by the call budget as well.
     */
    send(call) {
        return this.#attempt(call, deadlineOf(call));
    }
    async #attempt(call, limit) {
        const what = `${call.method} ${call.path}`;
        if (limit && limit.at <= this.#now())
            throw (0,creatify_errors/* networkFailure */.rd)(undefined, what, true, limit.name);
        const alarm = new Alarm(this.#now);
        alarm.aim(limit);
        try {
            const response = await this.#request(call, what, alarm);
            alarm.aim(tighter(limit, this.#budget()));
            return await this.#answer(response, what, alarm);
        }
        finally {
            alarm.disarm();
        }
    }
    async #request(call, what, alarm) {
        const body = call.body?.();
        try {
            return await this.#transport.send({
                url: new URL(this.#options.baseUrl + call.path),
                method: call.method,
                headers: {
                    accept: "application/json",
                    "x-api-id": this.#options.apiId,
                    "x-api-key": this.#options.apiKey,
                    ...(body && {
                        "content-type": body.contentType,
                        "content-length": String(body.contentLength),
                    }),
                },
                body: body?.stream,
                // The alarm bounds the whole answer; this, the silences within it.
                idleTimeoutMs: body
                    ? (this.#options.createTimeoutMs ?? 300_000)
                    : (this.#options.readTimeoutMs ?? 30_000),
                signal: alarm.signal,
            });
        }
        catch (error) {
            // The transport has closed the body (its file) whichever way the exchange ended.
            throw alarm.failure(error, what);
        }
    }
    /** Reads an answer within its bounds: the JSON of a 2xx, or a classified CreatifyError. */
    async #answer(response, what, alarm) {
        const status = response.statusCode;
        const success = status >= 200 && status < 300;
        const contentType = String(response.headers["content-type"] ?? "");
        const isJson = contentType.includes("json");
        let text;
        try {
            text = await readBounded(response, isJson);
        }
        catch (error) {
            throw alarm.failure(error, what);
        }
        if (typeof text !== "string") {
            // Unreadable, as a non-JSON 2xx is: the server acted, so a create looks for its
            // avatar rather than sending it again.
            if (success) {
                throw new creatify_errors/* CreatifyError */.WT(`${what}: HTTP ${status}: ${text.refused}`, "final", "not-json", status);
            }
            throw this.#httpFailure(response, what, text.refused);
        }
        const json = isJson ? parseJson(text) : undefined;
        if (success) {
            if (json === undefined) {
                throw new creatify_errors/* CreatifyError */.WT(`${what}: HTTP ${status} with a ${contentType || "missing"} content type, not JSON`, "final", "not-json", status);
            }
            return json.value;
        }
        // The server's words, echoing the request perhaps: no credential, no 20 MB reason.
        const detail = json === undefined
            ? `a ${contentType || "body without content type"} body, not JSON`
            : (0,src_text/* clip */.$Q)(this.#redact(describeErrorBody(json.value)));
        throw this.#httpFailure(response, what, detail);
    }
    #httpFailure(response, what, detail) {
        const retryAfter = response.headers["retry-after"];
        return (0,creatify_errors/* httpFailure */.tG)(response.statusCode, what, detail, parseRetryAfter(Array.isArray(retryAfter) ? retryAfter[0] : retryAfter, this.#now()));
    }
    #budget() {
        return {
            at: this.#now() + this.#budgetMs,
            name: `${(0,duration/* formatDuration */.a3)(this.#budgetMs)} limit per call`,
        };
    }
    close() {
        this.#transport.close();
    }
}
function deadlineOf(call) {
    return call.deadline === undefined ? undefined : { at: call.deadline, name: "deadline" };
}
function tighter(limit, other) {
    return limit && limit.at <= other.at ? limit : other;
}
/**
 * Aborts one attempt when its limit passes, and names that limit in the error. Node's
 * timers fire at once past 2^31-1 ms, so a limit further out is reached in steps.
 */
class Alarm {
    #controller = new AbortController();
    #now;
    #timer;
    #rang;
    constructor(now) {
        this.#now = now;
    }
    get signal() {
        return this.#controller.signal;
    }
    /** Aims at `limit` instead of any earlier one; undefined leaves the attempt unbounded. */
    aim(limit) {
        clearTimeout(this.#timer);
        if (!limit)
            return;
        const left = limit.at - this.#now();
        this.#timer =
            left > duration/* MAX_TIMER_MS */._o
                ? setTimeout(() => this.aim(limit), duration/* MAX_TIMER_MS */._o)
                : setTimeout(() => this.#ring(limit), Math.max(0, left));
    }
    disarm() {
        clearTimeout(this.#timer);
    }
    /** A transport error, classified: a timeout named after the limit if this alarm cut it. */
    failure(error, what) {
        return (0,creatify_errors/* networkFailure */.rd)(error, what, this.#rang !== undefined, this.#rang?.name);
    }
    #ring(limit) {
        this.#rang = limit;
        this.#controller.abort();
    }
}
/**
 * Django REST Framework errors: `{"detail": "..."}`, or field errors such as
 * `{"gender": ["\"x\" is not a valid choice."]}`, listed as `gender: "x" is not...`.
 */
function describeErrorBody(body) {
    if (typeof body === "string")
        return body;
    if (typeof body !== "object" || body === null)
        return JSON.stringify(body);
    const entries = Object.entries(body);
    const detail = entries.find(([key]) => key === "detail");
    if (detail && entries.length === 1)
        return flatten(detail[1]);
    return entries.map(([field, messages]) => `${field}: ${flatten(messages)}`).join("; ");
}
function flatten(value) {
    if (Array.isArray(value))
        return value.map(flatten).join(" ");
    if (typeof value === "string")
        return value;
    return JSON.stringify(value);
}

// EXTERNAL MODULE: ./src/creatify/persona.ts
var persona = __nccwpck_require__(1509);
;// CONCATENATED MODULE: ./src/creatify/client.ts







/** A created persona's `created_at` may trail our clock by this much and still be ours. */
const CLOCK_SKEW_MS = 120_000;
/**
 * Creatify's custom avatar API (SPEC §2): one method per call, over one HTTP layer. Every
 * avatar it returns is clean: strings redacted and cut, a webhook URL without its query.
 */
class CreatifyClient {
    #http;
    #log;
    #now;
    #redact;
    constructor(options) {
        this.#http = new Http(options);
        this.#log = options.log;
        this.#now = options.now ?? Date.now;
        this.#redact = options.redact ?? ((text) => text);
    }
    #clean(persona) {
        // The query goes first: redacting the whole URL (a secret too) would leave only `***`.
        const webhook = persona.webhook_url;
        const shown = typeof webhook === "string" ? { ...persona, webhook_url: (0,src_text/* withoutQuery */.j$)(webhook) } : persona;
        return (0,src_text/* cleanJson */.We)(shown, this.#redact);
    }
    async quota() {
        const quota = await this.#http.read({ method: "GET", path: "/api/personas_v2/count/" });
        const { max_count, current_count } = (quota ?? {});
        if (typeof max_count !== "number" || typeof current_count !== "number") {
            throw new creatify_errors/* CreatifyError */.WT("GET /api/personas_v2/count/: answer lacks max_count and current_count", "final", "not-json");
        }
        return { max_count, current_count };
    }
    /** Your custom avatars; the endpoint is not paginated. */
    async list() {
        const answer = await this.#http.read({ method: "GET", path: "/api/personas_v2/" });
        // A plain array per the API; a paginated `{results: [...]}` is read the same way.
        const personas = Array.isArray(answer) ? answer : answer?.results;
        if (!Array.isArray(personas)) {
            throw new creatify_errors/* CreatifyError */.WT("GET /api/personas_v2/: answer is not a list", "final", "not-json");
        }
        return personas.filter(persona/* isPersona */.HS).map((persona) => this.#clean(persona));
    }
    /** One avatar's state; `deadline` abandons the read (and its retries) at that time. */
    async get(id, deadline) {
        const path = `/api/personas/${encodeURIComponent(id)}/`;
        try {
            const answer = await this.#http.read({ method: "GET", path, deadline });
            return this.#clean(expectPersona(answer, path));
        }
        catch (error) {
            if (error instanceof creatify_errors/* CreatifyError */.WT && error.reason === "not-found") {
                throw new creatify_errors/* CreatifyError */.WT(`Avatar "${id}" does not exist (HTTP 404 from GET ${path}); check the avatar-id input`, error.kind, error.reason, error.status);
            }
            throw error;
        }
    }
    /**
     * `POST /api/personas_v2/`: the videos streamed from disk as multipart parts. With
     * `onFingerprint`, the video is hashed as it streams and its fingerprint label is sent
     * after it (and handed to `onFingerprint`), so a first take costs one read of the file.
     */
    createFromFiles(fields, video, consent, known, onFingerprint) {
        let sentLabel = "";
        const { labels, ...single } = fields;
        const form = {
            fields: [
                ...Object.entries(single).flatMap(([name, value]) => value === undefined ? [] : [[name, value]]),
                ...labels.map((label) => ["labels", label]),
            ],
            files: [
                ["lipsync_input", video],
                ...(consent ? [["consent_video", consent]] : []),
            ],
            // Also called with a stand-in digest to size the part: the label counts once sent.
            ...(onFingerprint && {
                digestField: {
                    name: "labels",
                    value: (sha256Hex) => {
                        sentLabel = (0,fingerprint/* fingerprintLabel */.TI)(sha256Hex);
                        return sentLabel;
                    },
                },
            }),
        };
        const context = `uploading ${video.relativePath}`;
        const created = this.#create({
            method: "POST",
            path: "/api/personas_v2/",
            body: () => (0,upload/* multipartBody */.RP)(form, (0,upload/* progressLogger */.St)(context, this.#log, this.#now)),
        }, fields.creator_name, known, context);
        // The avatar's own label says best what was sent; else, a create answered means its
        // whole body went out, the real digest's part last.
        return onFingerprint
            ? created.then((persona) => {
                onFingerprint((0,fingerprint/* fingerprintsOf */.tm)(persona)[0] ?? sentLabel);
                return persona;
            })
            : created;
    }
    /** `POST /api/personas/`: the videos passed by URL in a JSON body. */
    createFromUrls(fields, video, consent, known) {
        const json = JSON.stringify({ ...fields, lipsync_input: video, consent_video: consent });
        const body = () => ({
            stream: json,
            contentType: "application/json",
            contentLength: Buffer.byteLength(json),
        });
        const context = `submitting ${(0,src_text/* withoutQuery */.j$)(video)}`;
        return this.#create({ method: "POST", path: "/api/personas/", body }, fields.creator_name, known, context);
    }
    /**
     * Sends a create until it lands, never making two avatars (SPEC §5): a failure the
     * server provably did not act on is retried; after an ambiguous one the avatar is
     * looked for first (same name, not in `known`, created since the attempt began)
     * and adopted if there, sent again only if not. A success whose answer cannot be
     * read is looked for too, but never sent again.
     */
    async #create(call, creatorName, known, context) {
        for (let attempt = 1;; attempt++) {
            const started = this.#now();
            let failure;
            try {
                const answer = await this.#http.send(call);
                if ((0,persona/* isPersona */.HS)(answer))
                    return this.#clean(answer);
                failure = new creatify_errors/* CreatifyError */.WT(`${call.path}: answer has no avatar id`, "final", "not-json");
            }
            catch (error) {
                if (!(error instanceof creatify_errors/* CreatifyError */.WT))
                    throw error;
                failure = error;
            }
            const accepted = failure.reason === "not-json";
            if (failure.kind === "final" && !accepted)
                throw failure.withContext(context);
            if (failure.kind === "ambiguous" || accepted) {
                this.#log.warning(`${context}: ${failure.message}; the server may have stored it, looking for the avatar before anything else`);
                const adopted = await this.#findCreatedSince(creatorName, known, started).catch((error) => {
                    // Say what was sent and that it may exist, not only that the list failed.
                    throw new creatify_errors/* CreatifyError */.WT(`${context}: ${failure.message}; the avatar may have been created, but looking for it failed: ${(0,errors/* messageOf */.b)(error)}`, "ambiguous", failure.reason, failure.status);
                });
                if (adopted) {
                    this.#log.info(`Found avatar ${adopted.id} created by that attempt; using it.`);
                    return adopted;
                }
                if (accepted)
                    throw failure.withContext(context);
            }
            const delay = this.#http.retryDelay(failure, attempt);
            if (delay === undefined)
                throw failure.withContext(context);
            await this.#http.pause(failure, delay, attempt);
        }
    }
    async #findCreatedSince(creatorName, known, since) {
        const candidates = (await this.list()).filter((persona) => {
            if (persona.creator_name !== creatorName || known.has(persona.id))
                return false;
            const created = Date.parse(persona.created_at ?? "");
            return Number.isNaN(created) || created >= since - CLOCK_SKEW_MS;
        });
        return candidates.at(-1);
    }
    close() {
        this.#http.close();
    }
}
function expectPersona(value, path) {
    if (!(0,persona/* isPersona */.HS)(value)) {
        throw new creatify_errors/* CreatifyError */.WT(`${path}: answer has no avatar id`, "final", "not-json");
    }
    return value;
}

// EXTERNAL MODULE: ./src/inputs.ts
var src_inputs = __nccwpck_require__(8422);
// EXTERNAL MODULE: ./src/runner.ts + 1 modules
var runner = __nccwpck_require__(8186);
;// CONCATENATED MODULE: ./src/log.ts


/** Server text is cut to 1,000 characters where it enters; a line carries a few such at most. */
const MAX_LINE = 4000;
/**
 * The action's log: every line, whatever outside text it carries, is redacted and made
 * log-safe here, so no module has to remember to (SPEC §10).
 */
function actionLog(redact) {
    const safe = (message) => (0,src_text/* clip */.$Q)((0,src_text/* logSafe */.sN)(redact(message)), MAX_LINE);
    return {
        info: (message) => (0,runner/* info */.pq)(safe(message)),
        notice: (message) => (0,runner/* issueCommand */.Lb)("notice", safe(message)),
        warning: (message) => (0,runner/* issueCommand */.Lb)("warning", safe(message)),
        error: (message, at) => (0,runner/* issueCommand */.Lb)("error", safe(message), at && { file: (0,src_text/* logSafe */.sN)(at.file), line: at.line }),
        debug: (message) => (0,runner/* issueCommand */.Lb)("debug", safe(message)),
    };
}

// EXTERNAL MODULE: ./src/report.ts + 1 modules
var src_report = __nccwpck_require__(5598);
// EXTERNAL MODULE: ./src/submit.ts + 1 modules
var src_submit = __nccwpck_require__(7657);
;// CONCATENATED MODULE: ./src/main.ts












/** The action: parse every input, then submit, follow or batch; the only place that fails the step. */
async function run(env = process.env) {
    // Masked before anything else runs, so no later line, error included, can show them. A
    // webhook URL's query usually holds a token, and is masked before the URL is checked.
    const secrets = [constants/* Input */.pd.ApiId, constants/* Input */.pd.ApiKey, constants/* Input */.pd.WebhookUrl]
        .map((name) => (0,runner/* getInput */.V4)(name, env))
        .filter((value, index) => value !== "" && (index < 2 || value.includes("?")));
    for (const secret of secrets)
        (0,runner/* setSecret */.Pq)(secret);
    const redact = (0,src_text/* redactor */.$p)(secrets);
    const log = actionLog(redact);
    const report = new src_report/* Report */.pl((name, value) => (0,runner/* setOutput */.uH)(name, value, env), redact);
    const onSignal = (signal) => cancel(signal, report, log);
    process.once("SIGINT", onSignal).once("SIGTERM", onSignal);
    let client;
    try {
        const workspace = env.GITHUB_WORKSPACE || process.cwd();
        const inputs = (0,src_inputs/* parseInputs */.TL)((name) => (0,runner/* getInput */.V4)(name, env), workspace);
        report.dryRun = inputs.dryRun;
        const timeoutMs = (0,duration/* parseDuration */.E9)(env.CREATIFY_REQUEST_TIMEOUT ?? "");
        client = new CreatifyClient({
            baseUrl: inputs.baseUrl,
            apiId: inputs.apiId,
            apiKey: inputs.apiKey,
            log,
            redact,
            readTimeoutMs: timeoutMs,
            createTimeoutMs: timeoutMs,
            callBudgetMs: (0,duration/* parseDuration */.E9)(env.CREATIFY_CALL_BUDGET ?? ""),
        });
        const context = {
            client,
            log,
            report,
            wait: inputs.wait,
            now: Date.now,
            sleep: duration/* sleep */.yy,
            random: Math.random,
        };
        const submit = { dryRun: inputs.dryRun, offline: inputs.apiId === "" };
        const { target } = inputs;
        if (target.mode === "single") {
            const wanted = await (0,avatar/* checkAvatar */.w2)(target.avatar, workspace, (name) => `Input "${name}"`, context);
            const options = { ...submit, maxParallel: 1, onError: () => { } };
            const [failed] = await (0,src_submit/* submitAvatars */.L)([wanted], context, options);
            if (failed?.error)
                throw new Error(failed.error);
        }
        else if (target.mode === "existing") {
            await (0,avatar/* followAvatar */.bh)(await (0,avatar/* lookUpAvatar */.et)(target.avatarId, context), context);
        }
        else {
            // Loaded only here: the manifest parser and the GitHub client are batch-only weight.
            const { runBatch } = await Promise.all(/* import() */[__nccwpck_require__.e(815), __nccwpck_require__.e(108)]).then(__nccwpck_require__.bind(__nccwpck_require__, 7108));
            await runBatch(target.batch, workspace, env, context, submit);
        }
    }
    catch (error) {
        fail(error, log);
    }
    finally {
        report.publish();
        await report
            .writeSummary(Date.now())
            .catch((error) => log.warning(`job summary: ${(0,errors/* messageOf */.b)(error)}`));
        client?.close();
        process.off("SIGINT", onSignal).off("SIGTERM", onSignal);
    }
}
/** A failed step: its error as a log line, made safe like every other, then the exit code. */
function fail(error, log) {
    const file = error instanceof errors/* InputError */.d ? error.file : undefined;
    log.error((0,errors/* messageOf */.b)(error), file ? { file, line: error.line } : undefined);
    process.exitCode = 1;
}
/** Cancelled by the runner: leave the outputs known so far, say where things stood, exit. */
function cancel(signal, report, log) {
    report.publish();
    for (const record of report.records) {
        const id = record.persona?.id ?? record.id;
        const state = record.persona
            ? `${id} was ${(0,persona/* statusOf */.c2)(record.persona)}`
            : id
                ? `${id}`
                : "had no id yet";
        log.warning(`Cancelled (${signal}): avatar "${record.creatorName}" ${state}.`);
    }
    log.error(`Cancelled by ${signal}.`);
    process.exitCode = 1;
    void report.writeSummary(Date.now()).finally(() => process.exit(1));
}


/***/ }),

/***/ 2160:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   Tx: () => (/* binding */ headerWarnings),
/* harmony export */   nD: () => (/* binding */ readVideoHeader),
/* harmony export */   qg: () => (/* binding */ formatVideoHeader)
/* harmony export */ });
/* unused harmony exports parseVideoHeader, fileSource */
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(1455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__nccwpck_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(3916);
// What an MP4/QuickTime header says about a video, for the job summary (SPEC §10). Hand-written
// on purpose: four fields need only a walk over box headers, a few hundred lines, where a media
// library would read or pull in far more than that, and nothing already in the stack parses MP4.


// A real moov is a few MiB even for an hour of 4K video (its sample tables); a hostile or broken
// file can claim gigabytes, and this is read into memory, so anything larger is not read.
const MAX_MOOV_BYTES = 64 * 1024 * 1024;
/**
 * Decodes the header in `head` (8 bytes, or 16 with a 64-bit size) of a box at `offset` in a
 * region ending at `end`; a string says why there is no usable box there.
 */
function decodeHeader(head, offset, end) {
    const pastEnd = `box at offset ${offset} runs past the end of the file`;
    if (head.length < 8)
        return pastEnd;
    const size32 = head.readUInt32BE(0);
    const type = head.toString("latin1", 4, 8);
    if (size32 === 1 && head.length < 16)
        return pastEnd;
    const size = size32 === 1 ? Number(head.readBigUInt64BE(8)) : size32 === 0 ? end - offset : size32;
    const headerSize = (size32 === 1 ? 16 : 8) + (type === "uuid" ? 16 : 0);
    // Every box moves the walk forward by at least its header, so no input can make it loop.
    if (size < headerSize) {
        return `box "${type}" at offset ${offset} has an impossible size (${size})`;
    }
    if (offset + size > end)
        return `box "${type}" at offset ${offset} runs past the end of the file`;
    return { type, headerSize, size };
}
/**
 * Walks the top-level boxes by their headers alone, wherever `moov` lies (often after gigabytes
 * of `mdat`), and reads only `moov` itself. Never throws: a failed read is a reason too.
 */
async function parseVideoHeader(source) {
    try {
        for (let offset = 0; offset < source.size;) {
            let head = Buffer.from(await source.read(offset, 8));
            // Only a 64-bit size needs the next 8 bytes; other boxes' next bytes may be media data.
            if (head.length === 8 && head.readUInt32BE(0) === 1) {
                head = Buffer.concat([head, await source.read(offset + 8, 8)]);
            }
            const box = decodeHeader(head, offset, source.size);
            if (typeof box === "string")
                return { found: false, reason: box };
            if (box.type === "moov")
                return await readMoov(source, offset, box);
            offset += box.size;
        }
        return { found: false, reason: "no moov box before the end of the file" };
    }
    catch (error) {
        return readFailure(error);
    }
}
function readFailure(error) {
    const why = error.code ?? (0,_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .messageOf */ .b)(error);
    return { found: false, reason: `the file cannot be read (${why})` };
}
async function readMoov(source, offset, box) {
    const length = box.size - box.headerSize;
    if (length > MAX_MOOV_BYTES) {
        const mib = MAX_MOOV_BYTES / 1024 / 1024;
        const reason = `box "moov" at offset ${offset} is larger than the ${mib} MiB this reads`;
        return { found: false, reason };
    }
    const moov = Buffer.from(await source.read(offset + box.headerSize, length));
    // The size was checked against the file's size before; a file being rewritten can still shrink.
    if (moov.length < length) {
        return { found: false, reason: `box "moov" at offset ${offset} runs past the end of the file` };
    }
    return parseMoov(moov);
}
/** Reads the header of a file by path, or of a handle the caller opened (and will close). */
async function readVideoHeader(file) {
    let handle;
    try {
        handle = typeof file === "string" ? await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.open)(file, "r") : file;
        const { size } = await handle.stat();
        return await parseVideoHeader(fileSource(handle, size));
    }
    catch (error) {
        return readFailure(error);
    }
    finally {
        if (typeof file === "string")
            await handle?.close().catch(() => undefined);
    }
}
/** Positioned reads of an open file; exported so tests can count what is read. */
function fileSource(handle, size) {
    return {
        size,
        async read(offset, length) {
            const buffer = Buffer.alloc(Math.max(0, Math.min(length, size - offset)));
            let filled = 0;
            while (filled < buffer.length) {
                const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, offset + filled);
                if (bytesRead === 0)
                    break;
                filled += bytesRead;
            }
            return buffer.subarray(0, filled);
        },
    };
}
/** The children of a box's body; a malformed child ends the walk, keeping what came before. */
function* children(body) {
    for (let offset = 0; offset < body.length;) {
        const box = decodeHeader(body.subarray(offset, offset + 16), offset, body.length);
        if (typeof box === "string")
            return;
        yield { type: box.type, body: body.subarray(offset + box.headerSize, offset + box.size) };
        offset += box.size;
    }
}
function child(body, type) {
    for (const box of body ? children(body) : [])
        if (box.type === type)
            return box.body;
    return undefined;
}
function parseMoov(moov) {
    let resolution;
    let hasVideo = false;
    let hasAudio = false;
    for (const trak of children(moov)) {
        if (trak.type !== "trak")
            continue;
        const handler = child(child(trak.body, "mdia"), "hdlr");
        // hdlr: version and flags, then QuickTime's component type (zero in MP4), then the handler.
        const kind = handler && handler.length >= 12 ? handler.toString("latin1", 8, 12) : "";
        if (kind === "soun")
            hasAudio = true;
        if (kind !== "vide")
            continue;
        hasVideo = true;
        resolution ??= displaySize(child(trak.body, "tkhd"));
    }
    return {
        found: true,
        durationSeconds: movieDuration(child(moov, "mvhd")),
        resolution,
        hasVideo,
        hasAudio,
    };
}
/**
 * The movie's duration from `mvhd` rather than a track's `mdhd`: it is the length a player shows,
 * edit lists applied, and one number where tracks may differ by a few frames.
 */
function movieDuration(mvhd) {
    if (!mvhd)
        return undefined;
    const v1 = mvhd[0] === 1;
    const at = v1 ? 20 : 12; // after version, flags, and creation and modification times
    if (mvhd.length < at + (v1 ? 12 : 8))
        return undefined;
    const timescale = mvhd.readUInt32BE(at);
    const duration = v1 ? mvhd.readBigUInt64BE(at + 4) : BigInt(mvhd.readUInt32BE(at + 4));
    // All ones is how the format writes "unknown".
    const unknown = v1 ? 0xffffffffffffffffn : 0xffffffffn;
    if (timescale === 0 || duration === 0n || duration === unknown)
        return undefined;
    return Number(duration) / timescale;
}
function displaySize(tkhd) {
    if (!tkhd)
        return undefined;
    // The matrix follows the times, track id and duration (wider in version 1), then 16 bytes.
    const matrix = 4 + (tkhd[0] === 1 ? 32 : 20) + 16;
    if (tkhd.length < matrix + 44)
        return undefined;
    const width = Math.round(tkhd.readUInt32BE(matrix + 36) / 65536);
    const height = Math.round(tkhd.readUInt32BE(matrix + 40) / 65536);
    if (width === 0 || height === 0)
        return undefined;
    // Phones store portrait video as landscape frames that the matrix turns a quarter.
    const quarterTurn = tkhd.readInt32BE(matrix) === 0 && tkhd.readInt32BE(matrix + 4) !== 0;
    return quarterTurn ? { width: height, height: width } : { width, height };
}
/** The warnings SPEC §10 asks for; `name` names the input (`Input "video"`), `file` the path. */
function headerWarnings(header, name, file) {
    const subject = `${name}: "${file}"`;
    if (!header.found) {
        const guess = "is it a truncated copy or a recording still in progress?";
        return [`${subject} has no readable MP4 header (${header.reason}); ${guess}`];
    }
    const warnings = [];
    if (!header.hasVideo)
        warnings.push(`${subject} has no video track; an avatar is made from a video of a person.`);
    if (!header.hasAudio) {
        warnings.push(`${subject} has no audio track; a lipsync video needs a person speaking.`);
    }
    return warnings;
}
/** `12.5 s · 1920×1080 · audio`, for the summary; what the header does not say is left out. */
function formatVideoHeader(header) {
    if (!header.found)
        return "no MP4 header";
    const { durationSeconds: seconds, resolution: size } = header;
    return [
        seconds === undefined ? "" : `${Number(seconds.toFixed(1))} s`,
        size ? `${size.width}×${size.height}` : header.hasVideo ? "" : "no video",
        header.hasAudio ? "audio" : "no audio",
    ]
        .filter(Boolean)
        .join(" · ");
}


/***/ }),

/***/ 5598:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  pl: () => (/* binding */ Report),
  Mx: () => (/* binding */ newRecord)
});

// UNUSED EXPORTS: outputsFor, planOf, summarize

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __nccwpck_require__(1455);
// EXTERNAL MODULE: ./src/constants.ts
var constants = __nccwpck_require__(7242);
// EXTERNAL MODULE: ./src/creatify/persona.ts
var creatify_persona = __nccwpck_require__(1509);
// EXTERNAL MODULE: ./src/runner.ts + 1 modules
var runner = __nccwpck_require__(8186);
// EXTERNAL MODULE: ./src/duration.ts
var duration = __nccwpck_require__(7607);
// EXTERNAL MODULE: ./src/text.ts
var src_text = __nccwpck_require__(8992);
;// CONCATENATED MODULE: ./src/summary.ts



/**
 * The job summary as GitHub Flavored Markdown: pure, so what it renders to is tested
 * without a runner. Only Markdown: an HTML block not followed by a blank line swallows the
 * table after it (SPEC §10).
 */
/** GitHub refuses a step summary over 1 MiB; rows past this are left out, and counted. */
const MAX_SUMMARY_BYTES = 1024 * 1024 - 16 * 1024;
const REAL_HEADER = [
    "avatar",
    "id",
    "status",
    "approved",
    "outcome",
    "video",
    "preview",
    "elapsed",
];
const PLAN_HEADER = ["avatar", "action", "avatar id", "replaces", "fingerprint", "video", "reason"];
function summaryMarkdown(records, now, dryRun) {
    const title = dryRun ? "## Creatify avatar plan (dry run)" : "## Creatify custom avatars";
    const header = dryRun ? PLAN_HEADER : REAL_HEADER;
    const lines = [title, "", row(header), row(header.map(() => "---"))];
    let size = Buffer.byteLength(lines.join("\n"));
    let shown = 0;
    const details = [];
    for (const record of records) {
        const line = row(dryRun ? planCells(record) : resultCells(record, now));
        const more = dryRun ? [] : detailsOf(record);
        const cost = Buffer.byteLength(line) + Buffer.byteLength(more.join("\n")) + 2;
        if (size + cost > MAX_SUMMARY_BYTES)
            break;
        size += cost;
        lines.push(line);
        details.push(...more);
        shown++;
    }
    lines.push("");
    if (shown < records.length) {
        lines.push(`${records.length - shown} more avatars were left out: the summary is full.`, "");
    }
    if (dryRun)
        lines.push("A dry run: nothing was created and nothing was waited for.", "");
    return [...lines, ...details].join("\n");
}
function resultCells(record, now) {
    const persona = record.persona;
    const preview = persona ? (0,creatify_persona/* previewsOf */.PT)(persona)[0] : undefined;
    const id = persona?.id ?? record.id;
    return [
        summary_text(persona?.creator_name || record.creatorName),
        id ? code(id) : "–",
        persona ? summary_text((0,creatify_persona/* statusOf */.c2)(persona)) : "error",
        persona?.is_active === true ? "✅ yes" : "no",
        summary_text(outcomeOf(record)),
        videoCell(record),
        preview ? `[preview](${summary_link(preview.url)})` : "–",
        (0,duration/* formatDuration */.a3)((record.finishedAt ?? now) - record.startedAt),
    ];
}
/** Every outcome in words: what was done, how the wait ended, and why it failed. */
function outcomeOf(record) {
    const { persona, plan } = record;
    const parts = [];
    if (plan?.action === "reuse")
        parts.push(`reused: ${plan.reason}`);
    if (plan?.action === "create" && persona) {
        parts.push(plan.replaces ? `created; replaces ${plan.replaces}` : "created");
    }
    if (record.waitedMs !== undefined && persona) {
        parts.push(`wait timed out after ${(0,duration/* formatDuration */.a3)(record.waitedMs)}, still ${(0,creatify_persona/* statusOf */.c2)(persona)}`);
    }
    if (persona && (0,creatify_persona/* verdictOf */.Vj)(persona) === "approved")
        parts.push("approved");
    if (plan?.action === "refuse")
        parts.push(`refused: ${plan.reason}`);
    else if (persona && (0,creatify_persona/* verdictOf */.Vj)(persona) === "failed") {
        parts.push(`${(0,creatify_persona/* statusOf */.c2)(persona)}: ${persona.failed_reason || "no reason given"}`);
    }
    else if (record.error)
        parts.push(`error: ${record.error}`);
    return parts.join("; ") || "–";
}
function planCells(record) {
    const plan = record.plan;
    return [
        summary_text(record.creatorName),
        plan ? `**${plan.action}**` : "error",
        plan?.avatarId ? code(plan.avatarId) : "–",
        plan?.replaces ? code(plan.replaces) : "–",
        plan?.fingerprint ? code(plan.fingerprint) : "–",
        videoCell(record),
        summary_text(plan?.reason ?? record.error ?? ""),
    ];
}
function videoCell(record) {
    if (!record.video)
        return "–";
    const video = summary_text((0,src_text/* withoutQuery */.j$)(record.video));
    return record.sent ? `${video} (${summary_text(record.sent)})` : video;
}
/** Preview image and videos of an approved avatar, and the timeline of a followed one. */
function detailsOf(record) {
    const lines = [];
    const persona = record.persona;
    const previews = persona?.is_active ? (0,creatify_persona/* previewsOf */.PT)(persona) : [];
    const image = previews.find(({ field }) => field.startsWith("preview_image"));
    if (image)
        lines.push(`![${summary_text(record.creatorName)}](${summary_link(image.url)})`, "");
    const videos = previews.filter(({ field }) => field.startsWith("preview_video"));
    if (videos.length > 0) {
        const links = videos.map(({ field, url }) => `[${field.replace("preview_video_", "").replace("_", ":")}](${summary_link(url)})`);
        lines.push(`Preview videos: ${links.join(", ")}`, "");
    }
    if (record.timeline.length > 1) {
        const steps = record.timeline.map(({ status, elapsedMs }) => `${summary_text(status)} after ${(0,duration/* formatDuration */.a3)(elapsedMs)}`);
        lines.push(steps.join(" → "), "");
    }
    return lines.length > 0 ? [`### ${summary_text(record.creatorName)}`, "", ...lines] : [];
}
function row(cells) {
    return `| ${cells.join(" | ")} |`;
}
/**
 * Outside text as inline Markdown that renders as itself, on one line: a backslash before
 * every punctuation mark that could start markup (`|` included, which GFM tables honour).
 */
function summary_text(value) {
    return (0,src_text/* clip */.$Q)(value)
        .replace(src_text/* CONTROL_RUNS */.zr, " ")
        .replace(/[\\`*_[\]<>|~#!&]/g, "\\$&");
}
/** An id as code when it is plain, else as escaped text (a backtick would end the span). */
function code(value) {
    return /^[\w.:-]+$/.test(value) ? `\`${value}\`` : summary_text(value);
}
/** A link target: only http(s), with no character that could end the Markdown link. */
function summary_link(url) {
    return /^https?:\/\/[^\s()<>\\|]+$/i.test(url) ? url : "#";
}

;// CONCATENATED MODULE: ./src/report.ts






function newRecord(video, creatorName, now) {
    return {
        video,
        creatorName,
        id: undefined,
        persona: undefined,
        reused: false,
        plan: undefined,
        sent: undefined,
        waitedMs: undefined,
        error: undefined,
        startedAt: now,
        finishedAt: undefined,
        timeline: [],
    };
}
function summarize(record) {
    const persona = record.persona;
    return {
        video: record.video,
        creator_name: persona?.creator_name ?? record.creatorName,
        avatar_id: persona?.id ?? record.id ?? null,
        status: persona ? (0,creatify_persona/* statusOf */.c2)(persona) : "error",
        is_active: persona?.is_active === true,
        failed_reason: persona?.failed_reason || (0,src_text/* clip */.$Q)(record.error ?? ""),
        reused: record.reused,
        replaces: record.plan?.replaces ?? null,
    };
}
/** One element of the `plan` output (SPEC §4). */
function planOf(record) {
    const plan = record.plan;
    return {
        creator_name: record.creatorName,
        video: record.video,
        action: plan?.action ?? null,
        avatar_id: plan?.avatarId ?? (plan?.action === "create" ? (record.persona?.id ?? null) : null),
        replaces: plan?.replaces ?? null,
        fingerprint: plan?.fingerprint ?? null,
        reason: plan?.reason ?? (0,src_text/* clip */.$Q)(record.error ?? ""),
    };
}
/** The `avatar` output's budget: one avatar's outputs stay under GitHub's 64 KiB with room. */
const MAX_AVATAR_JSON = 32 * 1024;
/** The persona as JSON within its budget: whole when it fits, else its documented fields. */
function avatarJson(persona) {
    const whole = JSON.stringify(persona);
    if (whole.length <= MAX_AVATAR_JSON)
        return whole;
    return JSON.stringify(Object.fromEntries(creatify_persona/* DOCUMENTED_FIELDS */.LQ.map((field) => [field, persona[field]])));
}
/** The step outputs: single-avatar ones only when there is exactly one avatar with an id. */
function outputsFor(records, dryRun) {
    const outputs = new Map([
        [constants/* Output */.k7.Plan, JSON.stringify(records.filter((record) => record.plan).map(planOf))],
        [constants/* Output */.k7.Avatars, dryRun ? "[]" : JSON.stringify(records.map(summarize))],
    ]);
    const only = records.length === 1 && !dryRun ? records[0] : undefined;
    const id = only?.persona?.id ?? only?.id;
    if (only && id) {
        const summary = summarize(only);
        outputs.set(constants/* Output */.k7.AvatarId, id);
        if (only.persona) {
            outputs.set(constants/* Output */.k7.Status, summary.status);
            outputs.set(constants/* Output */.k7.IsActive, String(summary.is_active));
            outputs.set(constants/* Output */.k7.FailedReason, only.persona.failed_reason ?? "");
            outputs.set(constants/* Output */.k7.Avatar, avatarJson(only.persona));
        }
        outputs.set(constants/* Output */.k7.Reused, String(only.reused));
        outputs.set(constants/* Output */.k7.Replaces, only.plan?.replaces ?? "");
    }
    return outputs;
}
/**
 * The one place that writes outputs and the job summary. Outputs are written when
 * the step ends, however it ends (success, failure, cancellation): the runner reads
 * GITHUB_OUTPUT only then, and one value per output leaves nothing for a reader of
 * the file to choose between.
 */
class Report {
    records = [];
    /** A dry run outputs its plan and `avatars: []`, and its summary is the plan. */
    dryRun = false;
    #written = new Map();
    #setOutput;
    #redact;
    /** Outputs exist once the run got as far as considering avatars (none, for a bad input). */
    #begun = false;
    /** `redact` hides the secrets in whatever is stored, server text echoing them included. */
    constructor(write = runner/* setOutput */.uH, redact = (text) => text) {
        this.#setOutput = write;
        this.#redact = redact;
    }
    /** The run considers its avatars now, though they may be none (a push that changed none). */
    begin() {
        this.#begun = true;
    }
    add(record) {
        this.begin();
        this.records.push(record);
        return record;
    }
    /** Writes the outputs; a second call (a cancel racing the end) writes only what changed. */
    publish() {
        if (!this.#begun)
            return;
        for (const [name, raw] of outputsFor(this.records, this.dryRun)) {
            const value = this.#redact(raw);
            if (this.#written.get(name) === value)
                continue;
            this.#setOutput(name, value);
            this.#written.set(name, value);
        }
    }
    /** Appends the summary as GitHub Flavored Markdown (no HTML block, which would swallow the table). */
    async writeSummary(now) {
        const file = process.env.GITHUB_STEP_SUMMARY;
        if (!file || this.records.length === 0)
            return;
        const markdown = summaryMarkdown(this.records, now, this.dryRun);
        await (0,promises_.appendFile)(file, this.#redact(markdown), "utf8");
    }
}


/***/ }),

/***/ 8186:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  V4: () => (/* binding */ getInput),
  pq: () => (/* binding */ info),
  Lb: () => (/* binding */ issueCommand),
  uH: () => (/* binding */ setOutput),
  Pq: () => (/* binding */ setSecret)
});

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __nccwpck_require__(7598);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __nccwpck_require__(3024);
;// CONCATENATED MODULE: external "node:os"
const external_node_os_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:os");
;// CONCATENATED MODULE: ./src/runner.ts
// The runner's side of the protocol: inputs from `INPUT_*`, workflow commands on stdout,
// outputs in the GITHUB_OUTPUT file. Written here rather than imported from @actions/core,
// which loads its HTTP client, and with it all of undici, before its first getInput: 89 ms
// against 27 ms for `node -e 0` (docs/benchmarks.md), more than the whole start-up budget.
// The formats are those of actions/runner's ActionCommand parser and GITHUB_OUTPUT reader.



/** An input as the runner passes it, trimmed: `foo-bar` is `INPUT_FOO-BAR`. */
function getInput(name, env = process.env) {
    return (env[`INPUT_${name.replace(/ /g, "_").toUpperCase()}`] ?? "").trim();
}
/**
 * `::name prop=value::message`. The runner reads `%0A`, `%0D` and `%25` back as newline,
 * return and percent, so a message stays one line whatever it holds; a property also
 * escapes the `:` and `,` that would end it.
 */
function issueCommand(name, message, properties = {}) {
    const props = Object.entries(properties)
        .filter(([, value]) => value !== undefined && value !== "")
        .map(([key, value]) => `${key}=${escapeProperty(String(value))}`)
        .join(",");
    process.stdout.write(`::${name}${props && ` ${props}`}::${escapeData(message)}${external_node_os_namespaceObject.EOL}`);
}
/** A plain log line. */
function info(message) {
    process.stdout.write(`${message}${external_node_os_namespaceObject.EOL}`);
}
/** The runner hides this value in every later line of the log. */
function setSecret(secret) {
    issueCommand("add-mask", secret);
}
/**
 * One output, as a heredoc under a random delimiter that cannot occur in a value by chance;
 * a value that holds it anyway is refused rather than let it end the heredoc early.
 */
function setOutput(name, value, env = process.env) {
    const file = env.GITHUB_OUTPUT;
    if (!file) {
        // Outside a runner (a local run), show the value instead.
        issueCommand("set-output", value, { name });
        return;
    }
    const delimiter = `ghadelimiter_${(0,external_node_crypto_.randomUUID)()}`;
    if (name.includes(delimiter) || value.includes(delimiter)) {
        throw new Error(`output "${name}" holds its own delimiter`);
    }
    (0,external_node_fs_.appendFileSync)(file, `${name}<<${delimiter}${external_node_os_namespaceObject.EOL}${value}${external_node_os_namespaceObject.EOL}${delimiter}${external_node_os_namespaceObject.EOL}`, "utf8");
}
const escapeData = (text) => text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
const escapeProperty = (text) => escapeData(text).replace(/:/g, "%3A").replace(/,/g, "%2C");


/***/ }),

/***/ 7657:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  L: () => (/* binding */ submitAvatars)
});

// UNUSED EXPORTS: runPool

// EXTERNAL MODULE: ./src/avatar.ts + 1 modules
var avatar = __nccwpck_require__(2697);
// EXTERNAL MODULE: ./src/creatify/persona.ts
var creatify_persona = __nccwpck_require__(1509);
// EXTERNAL MODULE: ./src/fingerprint.ts
var src_fingerprint = __nccwpck_require__(2659);
;// CONCATENATED MODULE: ./src/decide.ts


/** Whether `decide` needs this video's fingerprint: only to compare it with another one. */
function needsFingerprint(sameName, ifExists) {
    return ifExists === "reuse" && sameName.some((persona) => (0,src_fingerprint/* fingerprintsOf */.tm)(persona).length > 0);
}
/**
 * Decides by `if-exists` and, for `reuse`, by the rules of SPEC §8 in their order.
 * `fingerprint` may be undefined only where `needsFingerprint` is false.
 */
function decide(sameName, fingerprint, ifExists) {
    const alive = sameName.filter((persona) => (0,creatify_persona/* verdictOf */.Vj)(persona) !== "failed");
    const latest = newest(alive);
    if (ifExists === "create") {
        return { action: "create", replaces: undefined, reason: "if-exists is create" };
    }
    if (ifExists === "fail") {
        return latest
            ? {
                action: "refuse",
                avatar: latest,
                reason: `avatar ${describe(latest)} already exists and if-exists is fail; set it to reuse or create`,
            }
            : { action: "create", replaces: undefined, reason: noneAlive(sameName) };
    }
    const carries = (persona) => fingerprint !== undefined && (0,src_fingerprint/* fingerprintsOf */.tm)(persona).includes(fingerprint);
    const same = newest(alive.filter(carries));
    if (same) {
        return {
            action: "reuse",
            avatar: same,
            reason: `avatar ${describe(same)} was made from this video (${fingerprint})`,
            uncompared: false,
        };
    }
    const rejected = newest(sameName.filter((persona) => persona.process_status === "rejected" && carries(persona)));
    if (rejected) {
        // Its own full stop would double the one that ends this sentence.
        const why = (rejected.failed_reason || "no reason given").replace(/[.\s]+$/, "");
        return {
            action: "refuse",
            avatar: rejected,
            reason: `Creatify rejected this video before (avatar ${rejected.id}): ${why}. Record a new take, or set if-exists to create to submit it anyway`,
        };
    }
    if (latest && alive.some((persona) => (0,src_fingerprint/* fingerprintsOf */.tm)(persona).length > 0)) {
        const old = (0,src_fingerprint/* fingerprintsOf */.tm)(latest)[0];
        const from = old ? `was made from ${old}` : "carries no fingerprint";
        return {
            action: "create",
            replaces: latest,
            reason: `the video changed: this video is ${fingerprint}; avatar ${latest.id} ${from}`,
        };
    }
    if (latest) {
        return {
            action: "reuse",
            avatar: latest,
            reason: `avatar ${describe(latest)} carries no video fingerprint, so its video cannot be compared; set if-exists to create to submit this video anyway`,
            uncompared: true,
        };
    }
    return { action: "create", replaces: undefined, reason: noneAlive(sameName) };
}
function noneAlive(sameName) {
    return sameName.length === 0
        ? "no avatar has this name yet"
        : "every avatar of this name has failed or was rejected";
}
function describe(persona) {
    return `${persona.id} (${(0,creatify_persona/* statusOf */.c2)(persona)})`;
}
/** The most recently created; of equal times, the later in the list. */
function newest(personas) {
    const time = (persona) => Date.parse(persona.created_at ?? "") || 0;
    return personas.reduce((best, persona) => (!best || time(persona) >= time(best) ? persona : best), undefined);
}

// EXTERNAL MODULE: ./src/errors.ts
var errors = __nccwpck_require__(3916);
;// CONCATENATED MODULE: ./src/submit.ts




/**
 * Plans every avatar the run asks for with one listing and one quota read, then carries
 * out the plan, `maxParallel` at a time: the single step and a manifest alike. Returns
 * the records of the avatars that failed; throws when the run as a whole cannot go on.
 */
async function submitAvatars(wanted, context, options) {
    context.report.begin();
    for (const { record } of wanted)
        context.report.add(record);
    if (options.offline || wanted.length === 0) {
        await checkOnly(wanted, context);
        return [];
    }
    const planned = await planAvatars(wanted, context, options.dryRun);
    const failed = [];
    const fail = (item, error) => {
        item.record.error = (0,errors/* messageOf */.b)(error);
        item.record.finishedAt = context.now();
        failed.push(item.record);
        options.onError(item, item.record.error);
    };
    if (options.dryRun) {
        for (const item of planned) {
            if (item.decision.action === "refuse")
                fail(item, new Error(item.decision.reason));
        }
        return failed;
    }
    const jobs = planned.map((item) => () => (0,avatar/* carryOut */.u0)(item, context).catch((e) => fail(item, e)));
    await runPool(jobs, options.maxParallel);
    return failed;
}
/**
 * Lists the avatars once and decides each one (SPEC §8). A file is hashed only where the
 * decision needs its fingerprint (or a dry run shows it); a first take is hashed while it
 * uploads. Fails before any create when the creates do not fit in the quota (SPEC §5).
 */
async function planAvatars(wanted, context, dryRun) {
    const personas = await context.client.list();
    const planned = [];
    for (const item of wanted) {
        const { spec, videos, record } = item;
        const sameName = personas.filter((persona) => persona.creator_name === spec.creatorName);
        const hash = videos.kind === "url" || dryRun || needsFingerprint(sameName, spec.ifExists);
        const fingerprint = hash ? await fingerprintOf(videos) : undefined;
        const decision = decide(sameName, fingerprint, spec.ifExists);
        record.plan = {
            action: decision.action,
            fingerprint,
            avatarId: decision.action === "create" ? undefined : decision.avatar.id,
            replaces: decision.action === "create" ? decision.replaces?.id : undefined,
            reason: decision.reason,
        };
        context.log.info(`Avatar "${spec.creatorName}": ${decision.action}, ${decision.reason}.`);
        planned.push({ ...item, decision, known: new Set(sameName.map((persona) => persona.id)) });
    }
    await checkQuota(planned, context);
    return planned;
}
async function checkQuota(planned, context) {
    const creates = planned.filter((item) => item.decision.action === "create");
    if (creates.length === 0)
        return;
    const { max_count, current_count } = await context.client.quota();
    const free = Math.max(0, max_count - current_count);
    if (creates.length <= free)
        return;
    const names = creates.map((item) => `"${item.spec.creatorName}"`).join(", ");
    throw new Error(`Creatify's custom avatar quota has ${free} free of ${max_count}, and this run was to create ${creates.length}: ${names}. Nothing was created; delete avatars or raise the plan's limit.`);
}
/** A dry run without credentials: every input, entry and video was checked; nothing is sent. */
async function checkOnly(wanted, context) {
    for (const { spec, videos, record } of wanted) {
        record.plan = {
            action: "checked",
            fingerprint: await fingerprintOf(videos),
            avatarId: undefined,
            replaces: undefined,
            reason: "inputs and video checked; no credentials, so nothing was listed or decided",
        };
        context.log.info(`Avatar "${spec.creatorName}": checked (${record.plan.fingerprint}).`);
    }
}
function fingerprintOf(videos) {
    return videos.kind === "url"
        ? Promise.resolve((0,src_fingerprint/* fingerprintOfUrl */.xz)(videos.video))
        : (0,src_fingerprint/* fingerprintOfFile */.am)(videos.video.path);
}
/** Runs the jobs with at most `limit` at once; resolves when all have settled. */
async function runPool(jobs, limit) {
    const queue = [...jobs];
    const worker = async () => {
        for (let job = queue.shift(); job; job = queue.shift())
            await job();
    };
    await Promise.all(Array.from({ length: Math.min(limit, queue.length) }, worker));
}


/***/ }),

/***/ 8992:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   $Q: () => (/* binding */ clip),
/* harmony export */   $p: () => (/* binding */ redactor),
/* harmony export */   W3: () => (/* binding */ CONTROL),
/* harmony export */   We: () => (/* binding */ cleanJson),
/* harmony export */   j$: () => (/* binding */ withoutQuery),
/* harmony export */   sN: () => (/* binding */ logSafe),
/* harmony export */   zr: () => (/* binding */ CONTROL_RUNS)
/* harmony export */ });
/* unused harmony export MAX_SERVER_TEXT */
/**
 * Outside text (inputs, file names, the manifest, the API's answers) on its way to the log,
 * the outputs and the summary. The runner executes a log line that starts with `::` (after
 * leading blanks) and `##[` anywhere in a line, and splits lines on CR as well as LF; GitHub
 * refuses outputs and summaries past their limits. Everything that prints or stores outside
 * text goes through these few functions.
 */
/** The longest server text kept (SPEC §10); the rest is cut, ending in `…`. */
const MAX_SERVER_TEXT = 1000;
/** Control characters (U+0000–U+001F, U+007F): the runner splits lines on two of them. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point.
const CONTROL = /[\u0000-\u001f\u007f]/;
/** Runs of them, to fold into one space where a line must stay one line. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point.
const CONTROL_RUNS = /[\u0000-\u001f\u007f]+/g;
/** What is escaped in a log line: C0, DEL and C1 (the runner trims U+0085 as a blank). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point.
const CONTROLS = /[\u0000-\u001f\u007f-\u009f]/g;
/** Breaks a `##[` or a `::` without changing what a reader sees. */
const ZERO_WIDTH_SPACE = "\u200b";
/**
 * One log line made safe: control characters shown as escapes (so no CR or LF splits it),
 * `##[` broken up, and a line that would start with `::` broken at its start.
 */
function logSafe(line) {
    const flat = line
        .replace(CONTROLS, (char) => JSON.stringify(char).slice(1, -1))
        .replaceAll("##[", `##${ZERO_WIDTH_SPACE}[`);
    return /^[\s\u0085]*::/.test(flat) ? flat.replace("::", `:${ZERO_WIDTH_SPACE}:`) : flat;
}
/** Cuts text to `max` characters (code points), ending in `…` when cut. */
function clip(text, max = MAX_SERVER_TEXT) {
    if (text.length <= max)
        return text;
    const points = Array.from(text);
    return points.length <= max ? text : `${points.slice(0, max - 1).join("")}…`;
}
/** Replaces every occurrence of the secrets (empty ones ignored) by `***`. */
function redactor(secrets) {
    const present = secrets.filter((secret) => secret !== "");
    return (text) => present.reduce((out, secret) => out.replaceAll(secret, "***"), text);
}
/**
 * A URL without its query string, which usually carries a token (`https://h/x?***`). Text
 * that is not a URL keeps what precedes a `?` the same way.
 */
function withoutQuery(url) {
    const at = url.indexOf("?");
    return at === -1 ? url : `${url.slice(0, at)}?***`;
}
/** Server JSON with every string (keys too) redacted and cut, before anything keeps it. */
function cleanJson(value, redact) {
    if (typeof value === "string")
        return clip(redact(value));
    if (Array.isArray(value))
        return value.map((item) => cleanJson(item, redact));
    if (typeof value !== "object" || value === null)
        return value;
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [clip(redact(key), 100), cleanJson(item, redact)]));
}


/***/ }),

/***/ 1550:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   RP: () => (/* binding */ multipartBody),
/* harmony export */   St: () => (/* binding */ progressLogger),
/* harmony export */   z3: () => (/* binding */ formatBytes)
/* harmony export */ });
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(7598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__nccwpck_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__nccwpck_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2__ = __nccwpck_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__nccwpck_require__.n(node_path__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var _duration_js__WEBPACK_IMPORTED_MODULE_3__ = __nccwpck_require__(7607);
/* harmony import */ var _video_js__WEBPACK_IMPORTED_MODULE_4__ = __nccwpck_require__(4672);





/**
 * Reads go into one reused buffer instead of a fresh buffer per chunk: garbage chunks
 * pile up to ~64 MB before V8 collects them, so memory would grow with the file. Reusing
 * it is safe because the transport asks for the next chunk only once the last has reached
 * the socket (`pump` in creatify/transport.ts).
 *
 * The reads are synchronous: from the page cache a chunk takes a fraction of a
 * millisecond, less than a round trip through libuv's thread pool costs, and nothing
 * else runs while the body streams. In `npm run bench`, synchronous 512 KiB reads halved
 * the CPU time of the transfer against awaited 256 KiB ones; larger chunks bought nothing
 * more, and 2 MiB ones cost more system time (docs/benchmarks.md).
 */
const CHUNK_BYTES = 512 * 1024;
const PLACEHOLDER_DIGEST = "0".repeat(64);
/**
 * A `multipart/form-data` body framed by hand so that its exact length is known
 * up front and the files are streamed from disk, never held in memory.
 */
function multipartBody(form, onProgress) {
    const boundary = `----creatify-avatar-${(0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.randomBytes)(12).toString("hex")}`;
    const textPart = (name, value) => `--${boundary}\r\n${disposition(name)}\r\n\r\n${value}\r\n`;
    const head = Buffer.from(form.fields.map(([name, value]) => textPart(name, value)).join(""));
    const fileHeads = form.files.map(([name, file]) => Buffer.from(`--${boundary}\r\n${disposition(name, node_path__WEBPACK_IMPORTED_MODULE_2___default().basename(file.path))}\r\n` +
        `Content-Type: ${file.contentType}\r\n\r\n`));
    const { digestField } = form;
    const digestPart = (sha256Hex) => digestField ? Buffer.from(textPart(digestField.name, digestField.value(sha256Hex))) : undefined;
    const digestLength = digestPart(PLACEHOLDER_DIGEST)?.length ?? 0;
    const lineBreak = Buffer.from("\r\n");
    const tail = Buffer.from(`--${boundary}--\r\n`);
    const contentLength = head.length +
        form.files.reduce((sum, [, file], index) => sum + (fileHeads[index]?.length ?? 0) + file.size + 2, 0) +
        digestLength +
        tail.length;
    async function* chunks() {
        let sent = 0;
        const emit = (chunk) => {
            sent += chunk.length;
            onProgress?.(sent, contentLength);
            return chunk;
        };
        yield emit(head);
        const buffer = (0,_video_js__WEBPACK_IMPORTED_MODULE_4__/* .readBuffer */ .X)(CHUNK_BYTES);
        // On this thread: a worker hashing the same buffer won some wall time on two cores but
        // cost more CPU and memory, enough to pass 100 MB at 1 GiB (docs/benchmarks.md).
        const hash = digestField && (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)("sha256");
        for (const [index, [, file]] of form.files.entries()) {
            yield emit(fileHeads[index]);
            const hashing = index === 0 ? hash : undefined;
            const fd = (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.openSync)(file.path, "r");
            try {
                for (let position = 0; position < file.size;) {
                    // Never past the size in the Content-Length, should the file grow meanwhile.
                    const length = Math.min(CHUNK_BYTES, file.size - position);
                    const bytesRead = (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.readSync)(fd, buffer, 0, length, position);
                    if (bytesRead === 0)
                        throw new Error(`${file.relativePath} shrank while it was uploaded`);
                    position += bytesRead;
                    const chunk = buffer.subarray(0, bytesRead);
                    // The digest is of the bytes sent, whatever happens to the file meanwhile.
                    hashing?.update(chunk);
                    yield emit(chunk);
                }
            }
            finally {
                (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.closeSync)(fd);
            }
            yield emit(lineBreak);
        }
        if (hash) {
            const part = digestPart(hash.digest("hex"));
            // The Content-Length is already on the wire: a part of another length would corrupt the body.
            if (part.length !== digestLength) {
                throw new Error(`the ${digestField?.name} part changed length with the digest`);
            }
            yield emit(part);
        }
        yield emit(tail);
    }
    return {
        stream: chunks(),
        contentType: `multipart/form-data; boundary=${boundary}`,
        contentLength,
    };
}
/** WHATWG's escaping of names in a Content-Disposition header. */
function disposition(name, filename) {
    const quote = (text) => text.replace(/"/g, "%22").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
    const file = filename === undefined ? "" : `; filename="${quote(filename)}"`;
    return `Content-Disposition: form-data; name="${quote(name)}"${file}`;
}
/**
 * Logs an upload's progress at most every 10 % and 10 s, whichever comes later,
 * so a long upload shows it is moving without flooding the log.
 */
function progressLogger(label, log, now = Date.now) {
    const started = now();
    let lastTime = started;
    let lastBytes = 0;
    return (sent, total) => {
        const time = now();
        const done = sent >= total;
        if (!done && (sent - lastBytes < total / 10 || time - lastTime < 10_000))
            return;
        if (done && time - started < 10_000)
            return;
        lastTime = time;
        lastBytes = sent;
        const seconds = Math.max((time - started) / 1000, 0.001);
        const percent = Math.floor((sent / total) * 100);
        const mbPerSecond = (sent / 1e6 / seconds).toFixed(1);
        log.info(`${label}: ${percent}% of ${formatBytes(total)} (${mbPerSecond} MB/s, ${(0,_duration_js__WEBPACK_IMPORTED_MODULE_3__/* .formatDuration */ .a3)(time - started)})`);
    };
}
function formatBytes(bytes) {
    if (bytes < 1e6)
        return `${(bytes / 1e3).toFixed(0)} kB`;
    if (bytes < 1e9)
        return `${(bytes / 1e6).toFixed(1)} MB`;
    return `${(bytes / 1e9).toFixed(2)} GB`;
}


/***/ }),

/***/ 4672:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   X: () => (/* binding */ readBuffer),
/* harmony export */   i5: () => (/* binding */ inspectVideo)
/* harmony export */ });
/* unused harmony export sniffContentType */
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(3916);
/* harmony import */ var _mp4_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(2160);
/* harmony import */ var _workspace_js__WEBPACK_IMPORTED_MODULE_2__ = __nccwpck_require__(3338);



/**
 * A buffer for reading a video, starting half a page into its allocation.
 * The kernel copies a read from page-aligned page-cache pages, and glibc puts an allocation
 * this large 16 bytes past a page boundary: source and destination a few bytes apart within
 * a page make the copy's loads wait on its stores (4K aliasing). That doubled the system
 * time of an upload, 0.6 against 0.3 s per GiB in `npm run bench`.
 */
function readBuffer(bytes) {
    const offset = 2048;
    return Buffer.allocUnsafeSlow(offset + bytes).subarray(offset);
}
/** Boxes that may precede `ftyp` in QuickTime files written by older tools. */
const SKIPPABLE_BOXES = new Set(["wide", "free", "skip"]);
const SNIFF_BYTES = 4096;
/**
 * Checks a video file is there, non-empty, inside the workspace (also through
 * symlinks) and an MP4 or QuickTime file by its bytes; `name` names the input.
 */
async function inspectVideo(file, workspace, name) {
    const { handle, size } = await (0,_workspace_js__WEBPACK_IMPORTED_MODULE_2__/* .openInWorkspace */ .l)(file, workspace, name);
    try {
        if (size === 0)
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .InputError */ .d(`${name}: "${file.relativePath}" is empty.`);
        const head = Buffer.alloc(Math.min(SNIFF_BYTES, size));
        await handle.read(head, 0, head.length, 0);
        const contentType = sniffContentType(head);
        if (!contentType) {
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .InputError */ .d(`${name}: "${file.relativePath}" is not an MP4 or QuickTime video (no ftyp box).`);
        }
        return { ...file, size, contentType, header: await (0,_mp4_js__WEBPACK_IMPORTED_MODULE_1__/* .readVideoHeader */ .nD)(handle) };
    }
    finally {
        await handle.close();
    }
}
/**
 * Reads the ISO base media file type box: brand `qt  ` is QuickTime, any other
 * brand is MP4. Returns undefined when the bytes are not such a file.
 */
function sniffContentType(head) {
    const bytes = Buffer.from(head.buffer, head.byteOffset, head.byteLength);
    let offset = 0;
    while (offset + 12 <= bytes.length) {
        const size = bytes.readUInt32BE(offset);
        const type = bytes.toString("latin1", offset + 4, offset + 8);
        if (type === "ftyp") {
            return bytes.toString("latin1", offset + 8, offset + 12) === "qt  "
                ? "video/quicktime"
                : "video/mp4";
        }
        if (!SKIPPABLE_BOXES.has(type) || size < 8)
            return undefined;
        offset += size;
    }
    return undefined;
}


/***/ }),

/***/ 3338:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   X: () => (/* binding */ workspacePath),
/* harmony export */   l: () => (/* binding */ openInWorkspace)
/* harmony export */ });
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(1455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__nccwpck_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__nccwpck_require__.n(node_path__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_2__ = __nccwpck_require__(3916);



/**
 * The one path rule, for videos and the manifest alike: a path stays inside the workspace.
 * Only a `..` segment leaves it; a name that merely starts with two dots (`..intro.mp4`) is in.
 */
function leaves(relative) {
    return (relative === "" ||
        relative === ".." ||
        relative.startsWith(`..${(node_path__WEBPACK_IMPORTED_MODULE_1___default().sep)}`) ||
        node_path__WEBPACK_IMPORTED_MODULE_1___default().isAbsolute(relative));
}
/** Resolves a path against the workspace; `name` names the input for the error. */
function workspacePath(text, workspace, name) {
    const absolute = node_path__WEBPACK_IMPORTED_MODULE_1___default().resolve(workspace, text);
    const relative = node_path__WEBPACK_IMPORTED_MODULE_1___default().relative(workspace, absolute);
    if (leaves(relative)) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .InputError */ .d(`${name}: "${text}" is outside the workspace (${workspace}).`);
    }
    return { path: absolute, relativePath: relative.split((node_path__WEBPACK_IMPORTED_MODULE_1___default().sep)).join("/") };
}
/**
 * Opens a workspace file for reading after checking it is a file that stays inside the
 * workspace through its symlinks too; the caller closes the handle.
 */
async function openInWorkspace(file, workspace, name) {
    let handle;
    try {
        handle = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.open)(file.path, "r");
    }
    catch (error) {
        const code = error.code;
        const why = code === "ENOENT" ? "does not exist" : `cannot be read (${code})`;
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .InputError */ .d(`${name}: "${file.relativePath}" ${why}.`);
    }
    try {
        const [stats, realFile, realWorkspace] = await Promise.all([
            handle.stat(),
            (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.realpath)(file.path),
            (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.realpath)(workspace),
        ]);
        if (leaves(node_path__WEBPACK_IMPORTED_MODULE_1___default().relative(realWorkspace, realFile))) {
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .InputError */ .d(`${name}: "${file.relativePath}" links outside the workspace.`);
        }
        if (!stats.isFile())
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .InputError */ .d(`${name}: "${file.relativePath}" is not a file.`);
        return { handle, size: stats.size };
    }
    catch (error) {
        await handle.close();
        throw error;
    }
}


/***/ }),

/***/ 2613:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("assert");

/***/ }),

/***/ 181:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("buffer");

/***/ }),

/***/ 4434:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("events");

/***/ }),

/***/ 9896:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("fs");

/***/ }),

/***/ 8611:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("http");

/***/ }),

/***/ 5692:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("https");

/***/ }),

/***/ 9278:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("net");

/***/ }),

/***/ 4589:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:assert");

/***/ }),

/***/ 6698:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:async_hooks");

/***/ }),

/***/ 4573:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:buffer");

/***/ }),

/***/ 7540:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:console");

/***/ }),

/***/ 7598:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:crypto");

/***/ }),

/***/ 3053:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:diagnostics_channel");

/***/ }),

/***/ 610:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:dns");

/***/ }),

/***/ 8474:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:events");

/***/ }),

/***/ 3024:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs");

/***/ }),

/***/ 1455:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs/promises");

/***/ }),

/***/ 7067:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:http");

/***/ }),

/***/ 2467:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:http2");

/***/ }),

/***/ 7030:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:net");

/***/ }),

/***/ 6760:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:path");

/***/ }),

/***/ 643:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:perf_hooks");

/***/ }),

/***/ 1792:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:querystring");

/***/ }),

/***/ 99:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:sqlite");

/***/ }),

/***/ 7075:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:stream");

/***/ }),

/***/ 7830:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:stream/web");

/***/ }),

/***/ 7997:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:timers");

/***/ }),

/***/ 1692:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:tls");

/***/ }),

/***/ 3136:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:url");

/***/ }),

/***/ 7975:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:util");

/***/ }),

/***/ 3429:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:util/types");

/***/ }),

/***/ 5919:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:worker_threads");

/***/ }),

/***/ 8522:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:zlib");

/***/ }),

/***/ 857:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("os");

/***/ }),

/***/ 932:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("process");

/***/ }),

/***/ 4756:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("tls");

/***/ }),

/***/ 9023:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("util");

/***/ })

/******/ });
/************************************************************************/
/******/ // The module cache
/******/ var __webpack_module_cache__ = {};
/******/ 
/******/ // The require function
/******/ function __nccwpck_require__(moduleId) {
/******/ 	// Check if module is in cache
/******/ 	var cachedModule = __webpack_module_cache__[moduleId];
/******/ 	if (cachedModule !== undefined) {
/******/ 		return cachedModule.exports;
/******/ 	}
/******/ 	// Create a new module (and put it into the cache)
/******/ 	var module = __webpack_module_cache__[moduleId] = {
/******/ 		id: moduleId,
/******/ 		loaded: false,
/******/ 		exports: {}
/******/ 	};
/******/ 
/******/ 	// Execute the module function
/******/ 	var threw = true;
/******/ 	try {
/******/ 		__webpack_modules__[moduleId].call(module.exports, module, module.exports, __nccwpck_require__);
/******/ 		threw = false;
/******/ 	} finally {
/******/ 		if(threw) delete __webpack_module_cache__[moduleId];
/******/ 	}
/******/ 
/******/ 	// Flag the module as loaded
/******/ 	module.loaded = true;
/******/ 
/******/ 	// Return the exports of the module
/******/ 	return module.exports;
/******/ }
/******/ 
/******/ // expose the modules object (__webpack_modules__)
/******/ __nccwpck_require__.m = __webpack_modules__;
/******/ 
/************************************************************************/
/******/ /* webpack/runtime/asset-relocator-loader */
/******/ if (typeof __nccwpck_require__ !== 'undefined') __nccwpck_require__.ab = decodeURIComponent(new URL('.', import.meta.url).pathname).slice(import.meta.url.match(/^file:\/\/\/\w:/) ? 1 : 0, -1) + "/";
/******/ 
/******/ /* webpack/runtime/async module */
/******/ (() => {
/******/ 	var webpackQueues = typeof Symbol === "function" ? Symbol("webpack queues") : "__webpack_queues__";
/******/ 	var webpackExports = typeof Symbol === "function" ? Symbol("webpack exports") : "__webpack_exports__";
/******/ 	var webpackError = typeof Symbol === "function" ? Symbol("webpack error") : "__webpack_error__";
/******/ 	var resolveQueue = (queue) => {
/******/ 		if(queue && queue.d < 1) {
/******/ 			queue.d = 1;
/******/ 			queue.forEach((fn) => (fn.r--));
/******/ 			queue.forEach((fn) => (fn.r-- ? fn.r++ : fn()));
/******/ 		}
/******/ 	}
/******/ 	var wrapDeps = (deps) => (deps.map((dep) => {
/******/ 		if(dep !== null && typeof dep === "object") {
/******/ 			if(dep[webpackQueues]) return dep;
/******/ 			if(dep.then) {
/******/ 				var queue = [];
/******/ 				queue.d = 0;
/******/ 				dep.then((r) => {
/******/ 					obj[webpackExports] = r;
/******/ 					resolveQueue(queue);
/******/ 				}, (e) => {
/******/ 					obj[webpackError] = e;
/******/ 					resolveQueue(queue);
/******/ 				});
/******/ 				var obj = {};
/******/ 				obj[webpackQueues] = (fn) => (fn(queue));
/******/ 				return obj;
/******/ 			}
/******/ 		}
/******/ 		var ret = {};
/******/ 		ret[webpackQueues] = x => {};
/******/ 		ret[webpackExports] = dep;
/******/ 		return ret;
/******/ 	}));
/******/ 	__nccwpck_require__.a = (module, body, hasAwait) => {
/******/ 		var queue;
/******/ 		hasAwait && ((queue = []).d = -1);
/******/ 		var depQueues = new Set();
/******/ 		var exports = module.exports;
/******/ 		var currentDeps;
/******/ 		var outerResolve;
/******/ 		var reject;
/******/ 		var promise = new Promise((resolve, rej) => {
/******/ 			reject = rej;
/******/ 			outerResolve = resolve;
/******/ 		});
/******/ 		promise[webpackExports] = exports;
/******/ 		promise[webpackQueues] = (fn) => (queue && fn(queue), depQueues.forEach(fn), promise["catch"](x => {}));
/******/ 		module.exports = promise;
/******/ 		body((deps) => {
/******/ 			currentDeps = wrapDeps(deps);
/******/ 			var fn;
/******/ 			var getResult = () => (currentDeps.map((d) => {
/******/ 				if(d[webpackError]) throw d[webpackError];
/******/ 				return d[webpackExports];
/******/ 			}))
/******/ 			var promise = new Promise((resolve) => {
/******/ 				fn = () => (resolve(getResult));
/******/ 				fn.r = 0;
/******/ 				var fnQueue = (q) => (q !== queue && !depQueues.has(q) && (depQueues.add(q), q && !q.d && (fn.r++, q.push(fn))));
/******/ 				currentDeps.map((dep) => (dep[webpackQueues](fnQueue)));
/******/ 			});
/******/ 			return fn.r ? promise : getResult();
/******/ 		}, (err) => ((err ? reject(promise[webpackError] = err) : outerResolve(exports)), resolveQueue(queue)));
/******/ 		queue && queue.d < 0 && (queue.d = 0);
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/compat get default export */
/******/ (() => {
/******/ 	// getDefaultExport function for compatibility with non-harmony modules
/******/ 	__nccwpck_require__.n = (module) => {
/******/ 		var getter = module && module.__esModule ?
/******/ 			() => (module['default']) :
/******/ 			() => (module);
/******/ 		__nccwpck_require__.d(getter, { a: getter });
/******/ 		return getter;
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/define property getters */
/******/ (() => {
/******/ 	// define getter functions for harmony exports
/******/ 	__nccwpck_require__.d = (exports, definition) => {
/******/ 		for(var key in definition) {
/******/ 			if(__nccwpck_require__.o(definition, key) && !__nccwpck_require__.o(exports, key)) {
/******/ 				Object.defineProperty(exports, key, { enumerable: true, get: definition[key] });
/******/ 			}
/******/ 		}
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/ensure chunk */
/******/ (() => {
/******/ 	__nccwpck_require__.f = {};
/******/ 	// This file contains only the entry chunk.
/******/ 	// The chunk loading function for additional chunks
/******/ 	__nccwpck_require__.e = (chunkId) => {
/******/ 		return Promise.all(Object.keys(__nccwpck_require__.f).reduce((promises, key) => {
/******/ 			__nccwpck_require__.f[key](chunkId, promises);
/******/ 			return promises;
/******/ 		}, []));
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/get javascript chunk filename */
/******/ (() => {
/******/ 	// This function allow to reference async chunks
/******/ 	__nccwpck_require__.u = (chunkId) => {
/******/ 		// return url for filenames based on template
/******/ 		return "" + chunkId + ".index.js";
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/hasOwnProperty shorthand */
/******/ (() => {
/******/ 	__nccwpck_require__.o = (obj, prop) => (Object.prototype.hasOwnProperty.call(obj, prop))
/******/ })();
/******/ 
/******/ /* webpack/runtime/node module decorator */
/******/ (() => {
/******/ 	__nccwpck_require__.nmd = (module) => {
/******/ 		module.paths = [];
/******/ 		if (!module.children) module.children = [];
/******/ 		return module;
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/import chunk loading */
/******/ (() => {
/******/ 	// no baseURI
/******/ 	
/******/ 	// object to store loaded and loading chunks
/******/ 	// undefined = chunk not loaded, null = chunk preloaded/prefetched
/******/ 	// [resolve, Promise] = chunk loading, 0 = chunk loaded
/******/ 	var installedChunks = {
/******/ 		792: 0
/******/ 	};
/******/ 	
/******/ 	var installChunk = (data) => {
/******/ 		var {ids, modules, runtime} = data;
/******/ 		// add "modules" to the modules object,
/******/ 		// then flag all "ids" as loaded and fire callback
/******/ 		var moduleId, chunkId, i = 0;
/******/ 		for(moduleId in modules) {
/******/ 			if(__nccwpck_require__.o(modules, moduleId)) {
/******/ 				__nccwpck_require__.m[moduleId] = modules[moduleId];
/******/ 			}
/******/ 		}
/******/ 		if(runtime) runtime(__nccwpck_require__);
/******/ 		for(;i < ids.length; i++) {
/******/ 			chunkId = ids[i];
/******/ 			if(__nccwpck_require__.o(installedChunks, chunkId) && installedChunks[chunkId]) {
/******/ 				installedChunks[chunkId][0]();
/******/ 			}
/******/ 			installedChunks[ids[i]] = 0;
/******/ 		}
/******/ 	
/******/ 	}
/******/ 	
/******/ 	__nccwpck_require__.f.j = (chunkId, promises) => {
/******/ 			// import() chunk loading for javascript
/******/ 			var installedChunkData = __nccwpck_require__.o(installedChunks, chunkId) ? installedChunks[chunkId] : undefined;
/******/ 			if(installedChunkData !== 0) { // 0 means "already installed".
/******/ 	
/******/ 				// a Promise means "currently loading".
/******/ 				if(installedChunkData) {
/******/ 					promises.push(installedChunkData[1]);
/******/ 				} else {
/******/ 					if(true) { // all chunks have JS
/******/ 						// setup Promise in chunk cache
/******/ 						var promise = import("./" + __nccwpck_require__.u(chunkId)).then(installChunk, (e) => {
/******/ 							if(installedChunks[chunkId] !== 0) installedChunks[chunkId] = undefined;
/******/ 							throw e;
/******/ 						});
/******/ 						var promise = Promise.race([promise, new Promise((resolve) => (installedChunkData = installedChunks[chunkId] = [resolve]))])
/******/ 						promises.push(installedChunkData[1] = promise);
/******/ 					}
/******/ 				}
/******/ 			}
/******/ 	};
/******/ 	
/******/ 	// no prefetching
/******/ 	
/******/ 	// no preloaded
/******/ 	
/******/ 	// no external install chunk
/******/ 	
/******/ 	// no on chunks loaded
/******/ })();
/******/ 
/************************************************************************/
/******/ 
/******/ // startup
/******/ // Load entry module and return exports
/******/ // This entry module used 'module' so it can't be inlined
/******/ var __webpack_exports__ = __nccwpck_require__(9407);
/******/ __webpack_exports__ = await __webpack_exports__;
/******/ 
