export const id = 742;
export const ids = [742];
export const modules = {

/***/ 742:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  runBatch: () => (/* binding */ runBatch)
});

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
var external_node_path_default = /*#__PURE__*/__webpack_require__.n(external_node_path_);
// EXTERNAL MODULE: ../main/node_modules/@actions/core/lib/core.js + 19 modules
var core = __webpack_require__(4472);
// EXTERNAL MODULE: ./src/errors.ts
var errors = __webpack_require__(2174);
// EXTERNAL MODULE: ./src/files/workspace.ts
var files_workspace = __webpack_require__(9996);
// EXTERNAL MODULE: ./src/avatar/inputs.ts + 1 modules
var inputs = __webpack_require__(7706);
// EXTERNAL MODULE: ./src/avatar/journey.ts + 3 modules
var journey = __webpack_require__(9729);
// EXTERNAL MODULE: ./src/avatar/submit.ts
var avatar_submit = __webpack_require__(1355);
;// CONCATENATED MODULE: ./src/avatar/batch/changes.ts
/**
 * Which files the triggering push added or modified, from the event payload when
 * it is complete, else from the compare API. Pure but for the injected `compare`.
 */
/** Payloads list at most this many commits in some deliveries: at or past it, ask the API. */
const PAYLOAD_COMMIT_LIMIT = 20;
/** The compare API lists at most this many files: at it, some may be missing. */
const COMPARE_FILE_LIMIT = 300;
const NULL_SHA = /^0+$/;
async function changedFiles(eventName, payload, compare) {
    if (eventName !== "push") {
        const trigger = eventName ? `"${eventName}"` : "an unknown event";
        return { kind: "all", reason: `this run was triggered by ${trigger}, not a push` };
    }
    const commits = payload.commits ?? [];
    const truncated = commits.length >= PAYLOAD_COMMIT_LIMIT ||
        (payload.size !== undefined && payload.size > commits.length) ||
        commits.some((commit) => !commit.added || !commit.modified);
    if (!truncated) {
        return { kind: "files", files: filesFromCommits(commits), source: "the push event" };
    }
    const { before, after } = payload;
    if (!before || !after || NULL_SHA.test(before)) {
        return {
            kind: "all",
            reason: "the push event lists only part of its commits and has no earlier commit to compare with",
        };
    }
    const compared = await compare(before, after);
    if (compared.length >= COMPARE_FILE_LIMIT) {
        return {
            kind: "all",
            reason: `the push changed ${COMPARE_FILE_LIMIT} or more files, more than the compare API lists`,
        };
    }
    const files = compared.filter((file) => file.status !== "removed");
    return {
        kind: "files",
        files: new Set(files.map((file) => file.filename)),
        source: `the compare API (${before.slice(0, 7)}...${after.slice(0, 7)})`,
    };
}
/** Added or modified by the push's commits in order, so a file removed later does not count. */
function filesFromCommits(commits) {
    const files = new Set();
    for (const commit of commits) {
        for (const file of [...(commit.added ?? []), ...(commit.modified ?? [])])
            files.add(file);
        for (const file of commit.removed ?? [])
            files.delete(file);
    }
    return files;
}

// EXTERNAL MODULE: ../main/node_modules/yaml/dist/index.js
var dist = __webpack_require__(3439);
// EXTERNAL MODULE: ./src/text.ts
var src_text = __webpack_require__(774);
;// CONCATENATED MODULE: ./src/yaml.ts


/** Parses `text`, named `file` in messages; a syntax error fails at its line. */
function parseYamlFile(text, file) {
    const lines = new dist/* LineCounter */.HN();
    const document = (0,dist/* parseDocument */.Tp)(text, { lineCounter: lines, prettyErrors: false });
    const lineOf = (offset) => offset === undefined ? 1 : lines.linePos(offset).line;
    const fail = (message, offset) => {
        throw new errors/* InputError */.d(`${file}: ${message}`, { file, line: lineOf(offset) });
    };
    const [syntaxError] = document.errors;
    if (syntaxError)
        fail(`not valid YAML or JSON (${syntaxError.message.split("\n")[0]})`, syntaxError.pos[0]);
    return { file, document, lineOf, fail };
}
/** Where a node starts in the text, when it has a position. */
function offsetOf(node) {
    return node?.range?.[0];
}
/**
 * A scalar's value as text: numbers as written (`007`, `1.10`), as an input would
 * keep them; null for an empty value; undefined for anything that is not a scalar.
 */
function textOf(node, document) {
    const scalar = (0,dist/* isAlias */.Vj)(node) ? node.resolve(document) : node;
    if (scalar === null || scalar === undefined)
        return null;
    if (!(0,dist/* isScalar */.jn)(scalar))
        return undefined;
    const { value, source } = scalar;
    if (value === null || value === undefined)
        return null;
    if (typeof value === "number" || typeof value === "bigint")
        return source ?? String(value);
    return typeof value === "object" ? undefined : String(value);
}

;// CONCATENATED MODULE: ./src/avatar/batch/manifest.ts





/**
 * Parses a YAML (or JSON, which YAML reads too) manifest of `avatars:` entries,
 * each with the single-avatar input keys, and validates every entry before any
 * request. `file` is the manifest's path as the user wrote it, for messages.
 */
function parseManifest(text, file, workspace, defaultIfExists) {
    const { document, lineOf, fail } = parseYamlFile(text, file);
    const root = document.contents;
    const list = (0,dist/* isMap */.jh)(root) ? root.get("avatars", true) : undefined;
    if (!(0,dist/* isSeq */.oP)(list))
        return fail('expected a list under "avatars:"', root?.range?.[0]);
    if (list.items.length === 0)
        fail('"avatars:" is empty', list.range?.[0]);
    const entries = list.items.map((item, index) => {
        const offset = offsetOf(item);
        if (!(0,dist/* isMap */.jh)(item))
            return fail(`avatars[${index}] is not a mapping of keys to values`, offset);
        // Named before its keys are checked, so every error names the entry the same way.
        const name = textOf(item.get("creator-name", true), document)?.trim();
        const entryName = `avatars[${index}]${name ? ` (${name})` : ""}`;
        const values = entryValues(item, entryName, document, fail);
        const describe = (key) => `${file}: ${entryName} "${key}"`;
        try {
            const spec = (0,inputs/* parseAvatar */.N0)({ read: (key) => values.get(key) ?? "", describe }, workspace, defaultIfExists);
            return { index, line: lineOf(offset), spec, describe };
        }
        catch (error) {
            if (error instanceof errors/* InputError */.d)
                throw new errors/* InputError */.d(error.message, { file, line: lineOf(offset) });
            throw error;
        }
    });
    // `if-exists` keys on the name: two entries of one name would race to upload twice.
    const seen = new Map();
    for (const entry of entries) {
        const first = seen.get(entry.spec.creatorName);
        if (first) {
            throw new errors/* InputError */.d(`${file}: avatars[${entry.index}] has the same creator-name "${entry.spec.creatorName}" as avatars[${first.index}]; give each avatar its own name.`, { file, line: entry.line });
        }
        seen.set(entry.spec.creatorName, entry);
    }
    return entries;
}
/** An entry's values as text, the way the same inputs would arrive from a workflow. */
function entryValues(item, entryName, document, fail) {
    const values = new Map();
    for (const pair of item.items) {
        const key = String(pair.key?.value ?? pair.key);
        const offset = offsetOf(pair.key);
        if (!inputs/* AVATAR_KEYS */.nb.includes(key)) {
            fail(`${entryName} has an unknown key "${key}" (known: ${inputs/* AVATAR_KEYS */.nb.join(", ")})`, offset);
        }
        const node = (0,dist/* isAlias */.Vj)(pair.value) ? pair.value.resolve(document) : pair.value;
        const text = textOf(node, document);
        // An empty value is "", as an input left out; an empty element in a list is a mistake.
        const texts = (0,dist/* isSeq */.oP)(node)
            ? node.items.map((element) => textOf(element, document) ?? undefined)
            : [text === null ? "" : text];
        if (texts.includes(undefined)) {
            fail(`${entryName} "${key}" must be text or a list of text`, offset);
        }
        // Elements are joined by line breaks below; one inside an element must not split it.
        if ((0,dist/* isSeq */.oP)(node) && texts.some((element) => element !== undefined && src_text/* CONTROL */.W3.test(element))) {
            fail(`${entryName} "${key}": an element contains a line break or another control character`, offset);
        }
        values.set(key, texts.join(key === "labels" ? "\n" : ", "));
    }
    return values;
}

;// CONCATENATED MODULE: ./src/avatar/batch/run.ts










/**
 * Batch mode (SPEC §6): the manifest's entries (those whose videos the push changed, and
 * of those the ones `only` names) are checked before the first request, then planned and
 * carried out together; every entry is attempted even when one fails.
 */
async function runBatch(settings, workspace, env, context, options) {
    const relativePath = external_node_path_default().relative(workspace, settings.manifest).split((external_node_path_default()).sep).join("/");
    const { handle } = await (0,files_workspace/* openInWorkspace */.lz)({ path: settings.manifest, relativePath }, workspace, 'Input "manifest"');
    const text = await handle.readFile("utf8").finally(() => handle.close());
    const entries = parseManifest(text, relativePath, workspace, "reuse");
    const changed = settings.changedOnly
        ? await selectChanged(entries, settings, env, context)
        : entries;
    const selected = selectOnly(changed, settings.only, relativePath, entries);
    for (const entry of entries)
        for (const secret of (0,inputs/* secretsOf */.Fj)(entry.spec))
            core/* setSecret */.Pq(secret);
    const wanted = [];
    for (const entry of selected) {
        const checked = await (0,journey/* checkAvatar */.w2)(entry.spec, workspace, entry.describe, context).catch((error) => {
            // Annotated on the entry's line, like the errors found while parsing the manifest.
            if (!(error instanceof errors/* InputError */.d))
                throw error;
            throw new errors/* InputError */.d(error.message, { file: relativePath, line: entry.line });
        });
        wanted.push({ ...checked, entry });
    }
    context.log.info(`Processing ${wanted.length} of ${entries.length} manifest entries, ${settings.maxParallel} at a time.`);
    const failed = await (0,avatar_submit/* submitAvatars */.L)(wanted, context, {
        ...options,
        maxParallel: settings.maxParallel,
        onError: (item, message) => {
            const { entry } = item;
            context.log.error(`avatars[${entry.index}] (${entry.spec.creatorName}): ${message}`, {
                file: relativePath,
                line: entry.line,
            });
        },
    });
    if (failed.length > 0) {
        const names = failed.map((record) => record.creatorName).join(", ");
        throw new Error(`${failed.length} of ${wanted.length} avatars failed: ${names}.`);
    }
}
/** `only` after `changed-only` (SPEC §9); a name no entry has is an input error. */
function selectOnly(selected, only, manifest, entries) {
    if (only.length === 0)
        return selected;
    const names = new Set(entries.map((entry) => entry.spec.creatorName));
    const unknown = only.filter((name) => !names.has(name));
    if (unknown.length > 0) {
        throw new errors/* InputError */.d(`Input "only": ${unknown.map((name) => `"${name}"`).join(", ")} is not a creator-name in ${manifest}.`);
    }
    return selected.filter((entry) => only.includes(entry.spec.creatorName));
}
async function selectChanged(entries, settings, env, context) {
    const payload = await readEvent(env.GITHUB_EVENT_PATH);
    // The runner always names the event; without it (a local run), a payload with commits is a push.
    const eventName = env.GITHUB_EVENT_NAME || (Array.isArray(payload.commits) ? "push" : "unknown");
    const repository = env.GITHUB_REPOSITORY || payload.repository?.full_name || "";
    const changes = await changedFiles(eventName, payload, (base, head) => compareCommits(settings.githubToken, repository, base, head));
    if (changes.kind === "all") {
        context.log.info(`changed-only: ${changes.reason}, so every manifest entry is processed.`);
        return entries;
    }
    const touched = (video) => video?.kind === "file" && changes.files.has(video.relativePath);
    const selected = entries.filter((entry) => touched(entry.spec.video) || touched(entry.spec.consentVideo));
    context.log.info(`changed-only: ${changes.files.size} files changed according to ${changes.source}; ${selected.length} of ${entries.length} manifest entries affected.`);
    return selected;
}
async function readEvent(eventPath) {
    if (!eventPath)
        return {};
    try {
        return JSON.parse(await (0,promises_.readFile)(eventPath, "utf8"));
    }
    catch (error) {
        throw new errors/* InputError */.d(`changed-only: the event payload ${eventPath} cannot be read (${(0,errors/* messageOf */.b)(error)}).`);
    }
}
/** The compare API through @actions/github, loaded only when a truncated push needs it. */
async function compareCommits(token, repository, base, head) {
    if (!token)
        throw new errors/* InputError */.d('Input "github-token" is required to list the files of this push.');
    const [owner, repo] = repository.split("/");
    if (!owner || !repo) {
        throw new Error("GITHUB_REPOSITORY is not set; cannot list the files of this push.");
    }
    const { getOctokit } = await __webpack_require__.e(/* import() */ 925).then(__webpack_require__.bind(__webpack_require__, 2925));
    const octokit = getOctokit(token);
    try {
        // Only the first page lists files (up to 300); later pages only add commits.
        const { data } = await octokit.rest.repos.compareCommitsWithBasehead({
            owner,
            repo,
            basehead: `${base}...${head}`,
            per_page: 1,
        });
        return data.files ?? [];
    }
    catch (error) {
        const status = error.status;
        const http = typeof status === "number" ? `HTTP ${status}: ` : "";
        const hint = [401, 403, 404].includes(status)
            ? `; "github-token" needs "contents: read" on ${owner}/${repo}`
            : "";
        throw new Error(`changed-only: GitHub's compare API did not list the files of this push (${http}${(0,errors/* messageOf */.b)(error)})${hint}.`);
    }
}


/***/ })

};
