export const id = 968;
export const ids = [968];
export const modules = {

/***/ 3968:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   parseScenes: () => (/* binding */ parseScenes)
/* harmony export */ });
/* harmony import */ var yaml__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3439);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(2174);
/* harmony import */ var _input_rules_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(4003);



/** The keys a scene takes, as the inputs name them. */
const SCENE_KEYS = ["script", "script-file", "voice-id", "avatar-id", "background-url"];
/**
 * A YAML (or JSON) `scenes:` list, one `video_inputs` element per scene in order. A scene
 * without its own `avatar-id` or `voice-id` takes the step's.
 */
async function parseScenes(text, file, defaults, rules) {
    let document;
    try {
        document = (0,yaml__WEBPACK_IMPORTED_MODULE_0__/* .parse */ .qg)(text, { prettyErrors: false });
    }
    catch (error) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .d(`${file}: not YAML or JSON (${error.message.split("\n")[0]}).`);
    }
    const list = document?.scenes;
    if (!Array.isArray(list) || list.length === 0) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .d(`${file}: needs "scenes:", a list of at least one scene.`);
    }
    const scenes = [];
    for (const [index, entry] of list.entries()) {
        const where = `${file}: scenes[${index}]`;
        if (typeof entry !== "object" || entry === null || Array.isArray(entry)) {
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .d(`${where} is not a mapping of ${SCENE_KEYS.join(", ")}.`);
        }
        const fields = entry;
        const unknown = Object.keys(fields).find((key) => !SCENE_KEYS.includes(key));
        if (unknown !== undefined) {
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .d(`${where}: unknown key "${unknown}" (use ${SCENE_KEYS.join(", ")}).`);
        }
        const field = (key) => {
            const value = fields[key];
            if (value === undefined || value === null)
                return "";
            if (typeof value !== "string" && typeof value !== "number") {
                throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .d(`${where} "${key}": must be text.`);
            }
            // Only a script may have line breaks; in an id, a path or a URL a control character is a slip.
            return key === "script" ? String(value) : (0,_input_rules_js__WEBPACK_IMPORTED_MODULE_2__/* .plain */ .pj)(String(value), `${where} "${key}"`);
        };
        const at = (key) => `${where} "${key}"`;
        const hasScript = field("script").trim() !== "";
        const hasFile = field("script-file").trim() !== "";
        if (hasScript === hasFile) {
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .d(`${where}: give exactly one of "script" and "script-file" (${hasScript ? "got both" : "got neither"}).`);
        }
        const background = field("background-url").trim();
        scenes.push({
            avatarId: rules.id(field("avatar-id").trim(), at("avatar-id"), false) || defaults.avatarId,
            voiceId: rules.id(field("voice-id").trim(), at("voice-id"), false) || defaults.voiceId || undefined,
            script: hasScript
                ? rules.script(field("script"), at("script"))
                : await rules.scriptFile(field("script-file").trim(), at("script-file")),
            backgroundUrl: background ? rules.url(background, at("background-url")) : undefined,
        });
    }
    return scenes;
}


/***/ })

};
