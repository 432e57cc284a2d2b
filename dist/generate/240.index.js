export const id = 240;
export const ids = [240];
export const modules = {

/***/ 1240:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   findVideoFiles: () => (/* binding */ findVideoFiles)
/* harmony export */ });
/* unused harmony export MAX_VIDEO_FILES */
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(3916);
/* harmony import */ var _files_workspace_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(9622);
/* harmony import */ var _input_rules_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(9133);





/** Videos one step takes at most: each is checked, read and waited for in one run. */
const MAX_VIDEO_FILES = 100;
/** Folders no video file is looked for in: a checkout's history and installed packages. */
const SKIPPED = new Set([".git", "node_modules"]);
/**
 * The files the `videos` input names: a glob, or globs one per line, relative to the
 * workspace (no absolute path, no `..`), sorted by path, each once. Matching nothing is an
 * error: a glob that finds no file is a typo more often than an empty folder.
 */
async function findVideoFiles(patterns, workspace, name) {
    const globs = patterns
        .split(/\r?\n/)
        .map((line) => (0,_input_rules_js__WEBPACK_IMPORTED_MODULE_4__/* .plain */ .pj)(line.trim(), name))
        .filter((line) => line !== "");
    if (globs.length === 0)
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .InputError */ .d(`${name}: give a glob of video files.`);
    const found = new Map();
    for (const pattern of globs) {
        if (node_path__WEBPACK_IMPORTED_MODULE_1___default().isAbsolute(pattern) || pattern.split(/[\\/]/).includes("..")) {
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .InputError */ .d(`${name}: "${pattern}" is outside the workspace (${workspace}).`);
        }
        const matches = (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.glob)(pattern, {
            cwd: workspace,
            withFileTypes: true,
            exclude: (entry) => SKIPPED.has(entry.name),
        });
        for await (const entry of matches) {
            if (entry.isDirectory())
                continue;
            const file = (0,_files_workspace_js__WEBPACK_IMPORTED_MODULE_3__/* .workspacePath */ .X5)(node_path__WEBPACK_IMPORTED_MODULE_1___default().join(entry.parentPath, entry.name), workspace, name);
            found.set(file.relativePath, file);
            if (found.size > MAX_VIDEO_FILES) {
                throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .InputError */ .d(`${name}: matches more than ${MAX_VIDEO_FILES} files.`);
            }
        }
    }
    if (found.size === 0) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .InputError */ .d(`${name}: ${globs.map((g) => `"${g}"`).join(", ")} matches no file.`);
    }
    return [...found.values()].sort((a, b) => (a.relativePath < b.relativePath ? -1 : 1));
}


/***/ })

};
