export const id = 141;
export const ids = [141];
export const modules = {

/***/ 141:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  runBatch: () => (/* binding */ runBatch)
});

// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
var external_node_path_default = /*#__PURE__*/__webpack_require__.n(external_node_path_);
// EXTERNAL MODULE: ./src/errors.ts
var errors = __webpack_require__(3916);
// EXTERNAL MODULE: ./src/files/workspace.ts
var files_workspace = __webpack_require__(9622);
;// CONCATENATED MODULE: ./src/github/changes.ts
/**
 * Which of some files changed since the last successful run of this workflow on this branch.
 *
 * A push's own commits are not enough: GitHub cancels a pending run when a newer one joins its
 * concurrency group, and a run can fail, and the commits of such a run would never be looked at.
 * So the base is the head commit of the newest successful run of the same workflow file on the
 * same branch (for the same event), compared with this run's commit. Whenever that base cannot be
 * had or trusted, the answer is "all, because …": reuse makes considering everything safe, it only
 * costs hashing. The decisions are pure; `githubReads` is the I/O, through `@actions/github`.
 */

/** The compare API lists at most this many files: at it, some may be missing. */
const COMPARE_FILE_LIMIT = 300;
const PERMISSIONS = '"github-token" needs "actions: read" and "contents: read"';
/** The run's place from GITHUB_* variables, or why there is none (a local run, a tag, a pull request). */
function placeOf(env) {
    const [owner, repo] = (env.GITHUB_REPOSITORY ?? "").split("/");
    // owner/repo/.github/workflows/avatars.yml@refs/heads/main
    const workflow = /\/\.github\/workflows\/([^/@]+)@/.exec(env.GITHUB_WORKFLOW_REF ?? "")?.[1];
    const head = env.GITHUB_SHA ?? "";
    if (!owner || !repo || !workflow || !head) {
        return {
            reason: "this is not a GitHub Actions run (GITHUB_REPOSITORY, GITHUB_WORKFLOW_REF or GITHUB_SHA is not set)",
        };
    }
    const ref = env.GITHUB_REF ?? "";
    if (!ref.startsWith("refs/heads/")) {
        return { reason: `this run is not on a branch (${ref || "GITHUB_REF is not set"})` };
    }
    const branch = env.GITHUB_REF_NAME || ref.slice("refs/heads/".length);
    return { owner, repo, workflow, branch, event: env.GITHUB_EVENT_NAME ?? "", head };
}
/** The newest successful run is the base; none means every file counts. */
function baseOf(runs, place) {
    const run = runs[0];
    if (!run) {
        return { reason: `no earlier run of ${place.workflow} on ${place.branch} succeeded` };
    }
    const name = `run #${run.run_number ?? run.id}${run.html_url ? ` (${run.html_url})` : ""}`;
    return {
        sha: run.head_sha,
        describe: `${run.head_sha.slice(0, 7)}, the commit of ${name}, the last successful run of ${place.workflow} on ${place.branch}`,
    };
}
/** What a comparison of the base with this run's commit says about the paths of interest. */
function changesFrom(comparison, base, paths) {
    if (comparison.status !== "ahead" && comparison.status !== "identical") {
        // "behind" or "diverged": the base is not in this run's history (a force push, a re-run
        // of an older commit), so what lies between them says nothing about what was submitted.
        return {
            kind: "all",
            reason: `the last successful run's commit ${base.sha.slice(0, 7)} is not an ancestor of this commit (compare says "${comparison.status}"; a force push?)`,
        };
    }
    const files = comparison.files ?? [];
    if (files.length >= COMPARE_FILE_LIMIT) {
        return {
            kind: "all",
            reason: `${COMPARE_FILE_LIMIT} or more files changed since ${base.sha.slice(0, 7)}, more than the compare API lists`,
        };
    }
    const changed = new Set(files.filter((file) => file.status !== "removed").map((file) => file.filename));
    return {
        kind: "files",
        files: new Set(paths.filter((file) => changed.has(file))),
        base: base.describe,
    };
}
/** Which of `paths` changed since the last successful run, or why every one counts. */
async function changedSince(paths, env, reads) {
    const place = placeOf(env);
    if ("reason" in place)
        return { kind: "all", reason: place.reason };
    if ("reason" in reads)
        return { kind: "all", reason: reads.reason };
    let runs;
    try {
        runs = await reads.successfulRuns(place);
    }
    catch (error) {
        return { kind: "all", reason: refused("the workflow runs", place, error) };
    }
    const base = baseOf(runs, place);
    if ("reason" in base)
        return { kind: "all", reason: base.reason };
    try {
        return changesFrom(await reads.compare(place, base.sha), base, paths);
    }
    catch (error) {
        return {
            kind: "all",
            reason: refused(`the commits since ${base.sha.slice(0, 7)}`, place, error),
        };
    }
}
function refused(what, place, error) {
    const status = error.status;
    const http = typeof status === "number" ? `HTTP ${status}: ` : "";
    const hint = status === 401 || status === 403 || status === 404 ? `; ${PERMISSIONS}` : "";
    return `GitHub's API did not list ${what} of ${place.owner}/${place.repo} (${http}${(0,errors/* messageOf */.b)(error)})${hint}`;
}
/** The reads through `@actions/github` (GITHUB_API_URL), loaded at the first read. */
function githubReads(token) {
    if (!token)
        return { reason: '"github-token" is empty, so GitHub\'s API cannot be read' };
    let octokit;
    const client = () => {
        octokit ??= __webpack_require__.e(/* import() */ 413).then(__webpack_require__.bind(__webpack_require__, 2413)).then(({ getOctokit }) => getOctokit(token));
        return octokit;
    };
    return {
        async successfulRuns(place) {
            const { data } = await (await client()).rest.actions.listWorkflowRuns({
                owner: place.owner,
                repo: place.repo,
                workflow_id: place.workflow,
                branch: place.branch,
                status: "success",
                ...(place.event ? { event: place.event } : {}),
                per_page: 1,
            });
            return data.workflow_runs;
        },
        async compare(place, base) {
            // Only the first page lists files (up to 300); later pages only add commits.
            const { data } = await (await client()).rest.repos.compareCommitsWithBasehead({
                owner: place.owner,
                repo: place.repo,
                basehead: `${base}...${place.head}`,
                per_page: 1,
            });
            return data;
        },
    };
}

// EXTERNAL MODULE: ./src/text.ts
var src_text = __webpack_require__(8992);
// EXTERNAL MODULE: ./src/avatar/journey.ts + 3 modules
var journey = __webpack_require__(5970);
// EXTERNAL MODULE: ./src/avatar/submit.ts + 1 modules
var avatar_submit = __webpack_require__(3661);
// EXTERNAL MODULE: ./node_modules/yaml/dist/index.js
var dist = __webpack_require__(8815);
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

// EXTERNAL MODULE: ./src/avatar/inputs.ts + 1 modules
var inputs = __webpack_require__(5941);
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
 * Batch mode (a manifest): the manifest's entries (those whose videos the push changed, and
 * of those the ones `only` names) are checked before the first request, then planned and
 * carried out together; every entry is attempted even when one fails.
 */
async function runBatch(settings, step, context, options) {
    const { workspace, env } = step;
    const relativePath = external_node_path_default().relative(workspace, settings.manifest).split((external_node_path_default()).sep).join("/");
    const { handle } = await (0,files_workspace/* openInWorkspace */.lz)({ path: settings.manifest, relativePath }, workspace, 'Input "manifest"');
    const text = await handle.readFile("utf8").finally(() => handle.close());
    const entries = parseManifest(text, relativePath, workspace, "reuse");
    for (const entry of entries)
        for (const secret of (0,src_text/* urlSecrets */.Fn)(entry.spec.webhookUrl))
            step.addSecret(secret);
    const changed = settings.changedOnly
        ? await selectChanged(entries, settings, env, context)
        : entries;
    const selected = selectOnly(changed, settings.only, relativePath, entries);
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
/** `only` after `changed-only`; a name no entry has is an input error. */
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
    const videos = entries.flatMap((entry) => [entry.spec.video, entry.spec.consentVideo].flatMap((video) => video?.kind === "file" ? [video.relativePath] : []));
    const changes = await changedSince(videos, env, githubReads(settings.githubToken));
    if (changes.kind === "all") {
        context.log.notice(`changed-only: ${changes.reason}, so every manifest entry is considered.`);
        return entries;
    }
    const touched = (video) => video?.kind === "file" && changes.files.has(video.relativePath);
    const selected = entries.filter((entry) => touched(entry.spec.video) || touched(entry.spec.consentVideo));
    context.log.info(`changed-only: since ${changes.base}, ${changes.files.size} manifest videos changed; ${selected.length} of ${entries.length} manifest entries affected.`);
    return selected;
}


/***/ })

};
