export const id = 541;
export const ids = [541];
export const modules = {

/***/ 6541:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   scanDockerfiles: () => (/* binding */ scanDockerfiles)
/* harmony export */ });
/* unused harmony export isDockerfile */
/* harmony import */ var dockerfile_ast__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(8390);
/* harmony import */ var _rules_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(9849);
/* harmony import */ var _workflows_shell_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(2184);



function isDockerfile(path) {
    const name = path.slice(path.lastIndexOf('/') + 1);
    return /^(Dockerfile|Containerfile)(\.[\w.-]+)?$/.test(name) || /\.(dockerfile|containerfile)$/i.test(name);
}
const SECRET_NAME = /(^|_)(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|ACCESS_?KEY|SECRET_?KEY|PRIVATE_?KEY|CREDENTIALS?)$/i;
const PIPE_TO_SHELL = /\b(curl|wget)\b[^|;&]*\|\s*(sudo\s+)?(ba|z|da|k)?sh\b|\b(curl|wget)\b[^|;&]*\|\s*(sudo\s+)?(python3?|perl|node)\b/;
const APT_INSTALL = /\bapt(-get)?\s+(?:-\S+\s+)*install\b/;
const ROOT_USER = /^(root|0+)$/i;
const SHELLS = /^(\/(usr\/)?bin\/)?(ba|da|z|k|a)?sh$/;
function lineOfInstruction(instruction) {
    return instruction.getRange().start.line + 1;
}
function execForm(instruction) {
    const content = (instruction.getArgumentsContent() ?? '').trim();
    if (!content.startsWith('['))
        return undefined;
    try {
        const parsed = JSON.parse(content);
        return Array.isArray(parsed) && parsed.every((item) => typeof item === 'string') ? parsed : undefined;
    }
    catch {
        return undefined;
    }
}
function argumentsOf(instruction) {
    return execForm(instruction) ?? instruction.getArguments().map((arg) => arg.getValue());
}
function runCommand(instruction) {
    const exec = execForm(instruction);
    if (!exec)
        return instruction.getArgumentsContent() ?? '';
    const commandFlag = exec.findIndex((arg) => /^-\w*c$/.test(arg));
    if (SHELLS.test(exec[0] ?? '') && commandFlag > 0)
        return exec.slice(commandFlag + 1).join(' ');
    return exec.join(' ');
}
function copiesWholeContext(instruction) {
    if (flagsOf(instruction).some((flag) => flag.name === 'from'))
        return false;
    const sources = argumentsOf(instruction).slice(0, -1);
    return sources.some((source) => source === '.' || source === './');
}
function dockerignorePath(dockerfile) {
    const directory = dockerfile.includes('/') ? dockerfile.slice(0, dockerfile.lastIndexOf('/') + 1) : '';
    return `${directory}.dockerignore`;
}
function hasDockerignore(dockerfile, paths) {
    return paths.has(dockerignorePath(dockerfile)) || paths.has(`${dockerfile}.dockerignore`);
}
function flagsOf(instruction) {
    const withFlags = instruction;
    return (withFlags.getFlags?.() ?? []).map((flag) => ({
        name: flag.getName(),
        value: flag.getValue() ?? '',
    }));
}
function splitStages(instructions) {
    const stages = [];
    for (const instruction of instructions) {
        if (instruction.getKeyword() === 'FROM')
            stages.push({ from: instruction, instructions: [] });
        else
            stages.at(-1)?.instructions.push(instruction);
    }
    return stages;
}
function propertiesOf(instruction) {
    const withProperties = instruction;
    return typeof withProperties.getProperties === 'function' ? withProperties.getProperties() : [];
}
function finalUser(stage, usersByStage) {
    let user = usersByStage.get((stage.from.getImageName() ?? '').toLowerCase());
    for (const instruction of stage.instructions) {
        if (instruction.getKeyword() === 'USER')
            user = (instruction.getArgumentsContent() ?? '').trim();
    }
    return user;
}
function checkBaseImage(file, stage, stageNames) {
    const image = stage.from.getImage() ?? '';
    const name = (stage.from.getImageName() ?? '').toLowerCase();
    if (image === '' || name === 'scratch' || stageNames.has(name) || image.includes('$'))
        return [];
    const tag = stage.from.getImageTag();
    if (stage.from.getImageDigest())
        return [];
    if (tag === null || tag === 'latest') {
        const what = tag === null ? 'has no tag (means :latest)' : 'uses :latest';
        return [
            (0,_rules_js__WEBPACK_IMPORTED_MODULE_1__/* .makeFinding */ .MH)('docker-unpinned-base', file, lineOfInstruction(stage.from), `Base image ${image} ${what}.`),
        ];
    }
    return [];
}
function runsSudo(instruction, command) {
    const exec = execForm(instruction);
    if (exec && !SHELLS.test(exec[0] ?? ''))
        return /(^|\/)sudo$/.test(exec[0] ?? '');
    return (0,_workflows_shell_js__WEBPACK_IMPORTED_MODULE_2__/* .parseShell */ .aV)(command).some((parsed) => {
        const words = parsed.words.map((word) => (0,_workflows_shell_js__WEBPACK_IMPORTED_MODULE_2__/* .unquote */ ._n)(word.raw)).filter((word) => !/^\w+=/.test(word));
        return /(^|\/)sudo$/.test(words[0] ?? '');
    });
}
function checkRun(file, instruction) {
    const findings = [];
    const line = lineOfInstruction(instruction);
    const command = runCommand(instruction);
    if (PIPE_TO_SHELL.test(command)) {
        findings.push((0,_rules_js__WEBPACK_IMPORTED_MODULE_1__/* .makeFinding */ .MH)('docker-curl-pipe-shell', file, line, 'A downloaded script is piped straight into an interpreter.'));
    }
    if (runsSudo(instruction, command)) {
        findings.push((0,_rules_js__WEBPACK_IMPORTED_MODULE_1__/* .makeFinding */ .MH)('docker-sudo', file, line, 'RUN uses sudo.'));
    }
    if (APT_INSTALL.test(command)) {
        if (!command.includes('--no-install-recommends')) {
            findings.push((0,_rules_js__WEBPACK_IMPORTED_MODULE_1__/* .makeFinding */ .MH)('docker-apt-recommends', file, line, 'apt-get install pulls recommended packages.'));
        }
        const cachedLists = flagsOf(instruction).some((flag) => flag.name === 'mount' && /type=cache/.test(flag.value) && /\/var\/lib\/apt/.test(flag.value));
        const cleaned = /rm\s+-[rf]+\s+\/var\/lib\/apt\/lists|\bapt(-get)?\s+(-\S+\s+)*clean\b/.test(command);
        if (!cachedLists && !cleaned) {
            findings.push((0,_rules_js__WEBPACK_IMPORTED_MODULE_1__/* .makeFinding */ .MH)('docker-apt-cleanup', file, line, 'apt package lists stay in the layer.'));
        }
    }
    return findings;
}
function checkProperties(file, instruction) {
    const keyword = instruction.getKeyword();
    return propertiesOf(instruction)
        .filter((property) => SECRET_NAME.test(property.getName()))
        .map((property) => {
        const hasValue = (property.getValue() ?? '') !== '';
        const severity = keyword === 'ENV' || hasValue ? 'high' : 'medium';
        const message = `${keyword} ${property.getName()} puts a secret into the image metadata/history.`;
        return (0,_rules_js__WEBPACK_IMPORTED_MODULE_1__/* .makeFinding */ .MH)('docker-secret-in-env', file, property.getRange().start.line + 1, message, {
            severity,
        });
    });
}
function scanDockerfiles(files) {
    const findings = [];
    const paths = new Set(files.map((file) => file.path));
    const contextsReported = new Set();
    for (const file of files) {
        if (!isDockerfile(file.path))
            continue;
        const dockerfile = dockerfile_ast__WEBPACK_IMPORTED_MODULE_0__.DockerfileParser.parse(file.text);
        const stages = splitStages(dockerfile.getInstructions());
        if (stages.length === 0)
            continue;
        const stageNames = new Set();
        const usersByStage = new Map();
        for (const instruction of dockerfile.getInstructions()) {
            const keyword = instruction.getKeyword();
            if (keyword === 'RUN')
                findings.push(...checkRun(file.path, instruction));
            if (keyword === 'ENV' || keyword === 'ARG')
                findings.push(...checkProperties(file.path, instruction));
            if ((keyword === 'COPY' || keyword === 'ADD') &&
                copiesWholeContext(instruction) &&
                !hasDockerignore(file.path, paths) &&
                !contextsReported.has(dockerignorePath(file.path))) {
                findings.push((0,_rules_js__WEBPACK_IMPORTED_MODULE_1__/* .makeFinding */ .MH)('docker-no-dockerignore', file.path, lineOfInstruction(instruction), `${keyword} copies the whole build context, and no .dockerignore keeps .git, .env or keys out of it.`));
                contextsReported.add(dockerignorePath(file.path));
            }
            if (keyword === 'ADD') {
                const remote = argumentsOf(instruction).find((arg) => /^(https?|ftp):\/\//i.test(arg));
                const flags = instruction.getFlags?.() ?? [];
                const checksum = flags.some((flag) => flag.getName() === 'checksum');
                if (remote && !checksum) {
                    findings.push((0,_rules_js__WEBPACK_IMPORTED_MODULE_1__/* .makeFinding */ .MH)('docker-add-remote', file.path, lineOfInstruction(instruction), `ADD fetches ${remote} unverified.`));
                }
            }
        }
        for (const stage of stages) {
            findings.push(...checkBaseImage(file.path, stage, stageNames));
            const stageName = stage.from.getBuildStage();
            if (stageName) {
                stageNames.add(stageName.toLowerCase());
                usersByStage.set(stageName.toLowerCase(), finalUser(stage, usersByStage));
            }
        }
        const last = stages.at(-1);
        const user = finalUser(last, usersByStage);
        const nonRootBase = /nonroot/i.test(last.from.getImageTag() ?? '');
        const scratch = (last.from.getImageName() ?? '').toLowerCase() === 'scratch';
        const rootUser = user === undefined ? !scratch : ROOT_USER.test(user.split(':')[0].trim());
        if (!nonRootBase && rootUser) {
            const lastUser = last.instructions.findLast((instruction) => instruction.getKeyword() === 'USER');
            const line = lineOfInstruction(lastUser ?? last.from);
            const message = user === undefined
                ? 'The final stage sets no USER, so the container runs as root.'
                : `The final stage runs as ${user}.`;
            findings.push((0,_rules_js__WEBPACK_IMPORTED_MODULE_1__/* .makeFinding */ .MH)('docker-root-user', file.path, line, message));
        }
        if (!last.instructions.some((instruction) => instruction.getKeyword() === 'HEALTHCHECK')) {
            findings.push((0,_rules_js__WEBPACK_IMPORTED_MODULE_1__/* .makeFinding */ .MH)('docker-no-healthcheck', file.path, lineOfInstruction(last.from), 'The final stage has no HEALTHCHECK.'));
        }
    }
    return findings;
}


/***/ }),

/***/ 2184:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   NN: () => (/* binding */ writtenFilesLocator),
/* harmony export */   _n: () => (/* binding */ unquote),
/* harmony export */   aV: () => (/* binding */ parseShell),
/* harmony export */   cn: () => (/* binding */ githubFileWrites)
/* harmony export */ });
/* unused harmony export githubFileOf */
const OPERATORS = ['&&', '||', ';;', '|&', '&', '|', ';', '(', ')'];
const REDIRECTS = ['&>>', '<<<', '<<-', '>>', '&>', '>&', '<&', '>|', '<>', '<<', '>', '<'];
const OPENERS = new Set(['{', 'if', 'while', 'until', 'for', 'case', 'select']);
const CLOSERS = { '}': '{', fi: 'if', done: 'loop', esac: 'case' };
const CONTINUATIONS = new Set(['then', 'else', 'elif', 'do', '!', 'in']);
function skipParens(text, open) {
    let depth = 0;
    for (let index = open; index < text.length; index++) {
        const char = text[index];
        if (char === '\\')
            index++;
        else if (char === "'")
            index = skipSingle(text, index);
        else if (char === '"')
            index = skipDouble(text, index);
        else if (char === '(')
            depth++;
        else if (char === ')' && --depth === 0)
            return index;
    }
    return text.length - 1;
}
function skipSingle(text, open) {
    const close = text.indexOf("'", open + 1);
    return close === -1 ? text.length - 1 : close;
}
function skipExpression(text, open) {
    const close = text.indexOf('}}', open + 3);
    return close === -1 ? text.length - 1 : close + 1;
}
function skipDouble(text, open) {
    for (let index = open + 1; index < text.length; index++) {
        const char = text[index];
        if (char === '\\')
            index++;
        else if (char === '"')
            return index;
        else if (text.startsWith('${{', index))
            index = skipExpression(text, index);
        else if (char === '$' && text[index + 1] === '(')
            index = skipParens(text, index + 1);
        else if (char === '`')
            index = skipBacktick(text, index);
    }
    return text.length - 1;
}
function skipBacktick(text, open) {
    for (let index = open + 1; index < text.length; index++) {
        if (text[index] === '\\')
            index++;
        else if (text[index] === '`')
            return index;
    }
    return text.length - 1;
}
function skipBrace(text, open) {
    let depth = 0;
    for (let index = open; index < text.length; index++) {
        if (text[index] === '{')
            depth++;
        else if (text[index] === '}' && --depth === 0)
            return index;
    }
    return text.length - 1;
}
function readWord(text, start) {
    let index = start;
    while (index < text.length) {
        const char = text[index];
        if (/[\s;&|()<>]/.test(char))
            break;
        if (char === '\\')
            index += 2;
        else if (char === "'")
            index = skipSingle(text, index) + 1;
        else if (char === '"')
            index = skipDouble(text, index) + 1;
        else if (char === '`')
            index = skipBacktick(text, index) + 1;
        else if (text.startsWith('${{', index))
            index = skipExpression(text, index) + 1;
        else if (char === '$' && text[index + 1] === '(')
            index = skipParens(text, index + 1) + 1;
        else if (char === '$' && text[index + 1] === '{')
            index = skipBrace(text, index + 1) + 1;
        else
            index++;
    }
    return Math.min(index, text.length);
}
function unquote(raw) {
    return raw.replace(/\\(.)|'([^']*)'|"((?:\\.|[^"\\])*)"/gs, (_match, escaped, single, double) => escaped !== undefined
        ? String(escaped)
        : single !== undefined
            ? String(single)
            : String(double).replace(/\\([$`"\\])/g, '$1'));
}
function githubFileOf(raw) {
    const value = unquote(raw).trim();
    const match = /^(?:\$\{?|\$env:|%)(GITHUB_(?:ENV|PATH|OUTPUT))\b\}?%?$/i.exec(value);
    return match ? match[1].toUpperCase() : undefined;
}
function parseShell(text) {
    const commands = [];
    const groups = [];
    const pendingHeredocs = [];
    let current;
    let pipeline = 0;
    let lastClosed;
    const finish = () => {
        if (current && (current.words.length > 0 || current.redirects.length > 0)) {
            commands.push(current);
            for (const group of groups)
                group.commands.push(current);
        }
        current = undefined;
    };
    const start = (at) => (current ??= { words: [], redirects: [], heredocs: [], start: at, end: at, pipeline, inherited: [] });
    let index = 0;
    while (index < text.length) {
        const char = text[index];
        if (char === '\\' && text[index + 1] === '\n') {
            index += 2;
            continue;
        }
        if (char === '\n') {
            finish();
            pipeline++;
            lastClosed = undefined;
            index++;
            for (const heredoc of pendingHeredocs.splice(0))
                index = readHeredoc(text, index, heredoc);
            continue;
        }
        if (/\s/.test(char)) {
            index++;
            continue;
        }
        if (char === '#' && (index === 0 || /[\s;&|()]/.test(text[index - 1]))) {
            const newline = text.indexOf('\n', index);
            index = newline === -1 ? text.length : newline;
            continue;
        }
        const fd = /^\d*/.exec(text.slice(index, index + 4))[0];
        const redirect = REDIRECTS.find((operator) => text.startsWith(operator, index + fd.length));
        if (redirect) {
            let cursor = index + fd.length + redirect.length;
            while (text[cursor] === ' ' || text[cursor] === '\t')
                cursor++;
            const end = readWord(text, cursor);
            const target = { raw: text.slice(cursor, end), start: cursor, end };
            const entry = { operator: redirect, target };
            if (!current && lastClosed) {
                for (const command of lastClosed.commands)
                    command.inherited.push({ redirect: entry, start: lastClosed.start, end });
            }
            else {
                const command = start(index);
                command.redirects.push(entry);
                command.end = end;
                if (redirect === '<<' || redirect === '<<-') {
                    const delimiter = unquote(target.raw);
                    pendingHeredocs.push({
                        command,
                        delimiter,
                        strip: redirect === '<<-',
                        quoted: /['"\\]/.test(target.raw),
                    });
                }
            }
            index = end;
            continue;
        }
        const operator = OPERATORS.find((candidate) => text.startsWith(candidate, index));
        if (operator) {
            const openedWithCommand = current !== undefined;
            finish();
            if (operator !== '|' && operator !== '|&')
                pipeline++;
            lastClosed = undefined;
            if (operator === '(' && !openedWithCommand)
                groups.push({ kind: '(', start: index, commands: [] });
            if (operator === ')') {
                if (groups.at(-1)?.kind === '(')
                    lastClosed = groups.pop();
            }
            index += operator.length;
            continue;
        }
        const end = readWord(text, index);
        const raw = text.slice(index, end);
        if (!current && raw in CLOSERS) {
            const kind = CLOSERS[raw];
            const position = groups.findLastIndex((group) => group.kind === kind);
            if (position !== -1)
                lastClosed = groups.splice(position)[0];
            index = end;
            continue;
        }
        if (!current && OPENERS.has(raw)) {
            const kind = raw === '{' || raw === 'if' || raw === 'case' ? raw : 'loop';
            groups.push({ kind, start: index, commands: [] });
            if (raw === '{') {
                index = end;
                continue;
            }
        }
        if (!current && CONTINUATIONS.has(raw)) {
            index = end;
            continue;
        }
        lastClosed = undefined;
        const command = start(index);
        command.words.push({ raw, start: index, end });
        command.end = end;
        index = end;
    }
    finish();
    return commands;
}
function readHeredoc(text, from, heredoc) {
    let index = from;
    while (index < text.length) {
        const newline = text.indexOf('\n', index);
        const lineEnd = newline === -1 ? text.length : newline;
        const line = text.slice(index, lineEnd);
        if ((heredoc.strip ? line.replace(/^\t+/, '') : line).trim() === heredoc.delimiter) {
            heredoc.command.heredocs.push({ start: from, end: index, quoted: heredoc.quoted });
            return lineEnd;
        }
        index = lineEnd + 1;
    }
    heredoc.command.heredocs.push({ start: from, end: text.length, quoted: heredoc.quoted });
    return text.length;
}
const WRITING = new Set(['>', '>>', '>|', '&>', '&>>']);
const TEE_LIKE = /^(tee|add-content|out-file|set-content)$/i;
function githubFileWrites(text) {
    const commands = parseShell(text);
    const writes = [];
    for (const command of commands) {
        const own = (spans) => [
            ...spans,
            ...command.heredocs.map((heredoc) => ({ start: heredoc.start, end: heredoc.end })),
        ];
        for (const redirect of command.redirects) {
            const file = WRITING.has(redirect.operator) ? githubFileOf(redirect.target.raw) : undefined;
            if (file)
                writes.push({ file, spans: own([{ start: command.start, end: command.end }]), at: command.start });
        }
        for (const { redirect, start, end } of command.inherited) {
            const file = WRITING.has(redirect.operator) ? githubFileOf(redirect.target.raw) : undefined;
            if (file)
                writes.push({ file, spans: [{ start, end }], at: command.start });
        }
        const name = command.words[0] ? unquote(command.words[0].raw) : '';
        if (TEE_LIKE.test(name)) {
            const file = command.words
                .slice(1)
                .map((word) => githubFileOf(word.raw))
                .find((found) => found !== undefined);
            if (file) {
                const feeding = commands.filter((other) => other.pipeline === command.pipeline);
                writes.push({
                    file,
                    spans: feeding.flatMap((other) => [
                        { start: other.start, end: other.end },
                        ...other.heredocs.map((heredoc) => ({ start: heredoc.start, end: heredoc.end })),
                    ]),
                    at: command.start,
                });
            }
        }
    }
    const seen = new Set();
    return writes.filter((write) => {
        const key = `${write.file}:${write.at}`;
        if (seen.has(key))
            return false;
        seen.add(key);
        return true;
    });
}
function writtenFilesLocator(writes) {
    const spans = writes
        .flatMap((write) => write.spans.map((span) => ({ ...span, file: write.file })))
        .sort((a, b) => a.start - b.start);
    let next = 0;
    let active = [];
    return (offset) => {
        while (next < spans.length && spans[next].start <= offset)
            active.push(spans[next++]);
        active = active.filter((span) => span.end > offset);
        return [...new Set(active.map((span) => span.file))];
    };
}


/***/ })

};
