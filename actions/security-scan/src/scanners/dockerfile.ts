import { DockerfileParser, type From, type Instruction, type Property } from 'dockerfile-ast';

import type { Finding, SourceFile } from '../findings.js';
import { makeFinding } from '../rules.js';
import { parseShell, unquote } from './workflows/shell.js';

export function isDockerfile(path: string): boolean {
  const name = path.slice(path.lastIndexOf('/') + 1);
  return /^(Dockerfile|Containerfile)(\.[\w.-]+)?$/.test(name) || /\.(dockerfile|containerfile)$/i.test(name);
}

// Secret-looking names: the secret word must end the name, so DB_PASSWORD_FILE or TOKEN_URL (pointers) pass.
const SECRET_NAME =
  /(^|_)(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|ACCESS_?KEY|SECRET_?KEY|PRIVATE_?KEY|CREDENTIALS?)$/i;
const PIPE_TO_SHELL =
  /\b(curl|wget)\b[^|;&]*\|\s*(sudo\s+)?(ba|z|da|k)?sh\b|\b(curl|wget)\b[^|;&]*\|\s*(sudo\s+)?(python3?|perl|node)\b/;
const APT_INSTALL = /\bapt(-get)?\s+(?:-\S+\s+)*install\b/;
/** The user part of `USER name[:group]` names root: `root`, `0`, `000` (uids are numbers, leading zeros too). */
const ROOT_USER = /^(root|0+)$/i;
const SHELLS = /^(\/(usr\/)?bin\/)?(ba|da|z|k|a)?sh$/;

interface Stage {
  from: From;
  instructions: Instruction[];
}

function lineOfInstruction(instruction: Instruction): number {
  return instruction.getRange().start.line + 1;
}

/** The exec-form (JSON array) arguments of an instruction, or undefined for the shell form. */
function execForm(instruction: Instruction): string[] | undefined {
  const content = (instruction.getArgumentsContent() ?? '').trim();
  if (!content.startsWith('[')) return undefined;
  try {
    const parsed: unknown = JSON.parse(content);
    return Array.isArray(parsed) && parsed.every((item) => typeof item === 'string') ? parsed : undefined;
  } catch {
    // Not valid JSON: Docker runs it in the shell form too.
    return undefined;
  }
}

/** Arguments as Docker reads them: JSON array items, else the shell-form words. */
function argumentsOf(instruction: Instruction): string[] {
  return execForm(instruction) ?? instruction.getArguments().map((arg) => arg.getValue());
}

/** What a RUN executes, as one command line: `["sh", "-c", "x"]` is `x`, `["sudo", "a"]` is `sudo a`. */
function runCommand(instruction: Instruction): string {
  const exec = execForm(instruction);
  if (!exec) return instruction.getArgumentsContent() ?? '';
  const commandFlag = exec.findIndex((arg) => /^-\w*c$/.test(arg));
  if (SHELLS.test(exec[0] ?? '') && commandFlag > 0) return exec.slice(commandFlag + 1).join(' ');
  return exec.join(' ');
}

/** `COPY . .` / `COPY ./ /app` (not `COPY --from=build . .`, which copies from another stage). */
function copiesWholeContext(instruction: Instruction): boolean {
  if (flagsOf(instruction).some((flag) => flag.name === 'from')) return false;
  const sources = argumentsOf(instruction).slice(0, -1);
  return sources.some((source) => source === '.' || source === './');
}

/** The .dockerignore for a Dockerfile in the same directory (its usual build context). */
function dockerignorePath(dockerfile: string): string {
  const directory = dockerfile.includes('/') ? dockerfile.slice(0, dockerfile.lastIndexOf('/') + 1) : '';
  return `${directory}.dockerignore`;
}

function hasDockerignore(dockerfile: string, paths: ReadonlySet<string>): boolean {
  // BuildKit also reads <Dockerfile>.dockerignore next to the Dockerfile.
  return paths.has(dockerignorePath(dockerfile)) || paths.has(`${dockerfile}.dockerignore`);
}

/** BuildKit flags such as --mount=... or --checksum=..., which are not part of the arguments. */
function flagsOf(instruction: Instruction): { name: string; value: string }[] {
  const withFlags = instruction as Instruction & {
    getFlags?: () => { getName(): string; getValue(): string | null }[];
  };
  return (withFlags.getFlags?.() ?? []).map((flag) => ({
    name: flag.getName(),
    value: flag.getValue() ?? '',
  }));
}

function splitStages(instructions: readonly Instruction[]): Stage[] {
  const stages: Stage[] = [];
  for (const instruction of instructions) {
    if (instruction.getKeyword() === 'FROM') stages.push({ from: instruction as From, instructions: [] });
    else stages.at(-1)?.instructions.push(instruction);
  }
  return stages;
}

function propertiesOf(instruction: Instruction): Property[] {
  const withProperties = instruction as Instruction & { getProperties?: () => Property[] };
  return typeof withProperties.getProperties === 'function' ? withProperties.getProperties() : [];
}

/** The user a stage ends with: its last USER, else the user of the stage it builds on (undefined = image default). */
function finalUser(stage: Stage, usersByStage: Map<string, string | undefined>): string | undefined {
  let user = usersByStage.get((stage.from.getImageName() ?? '').toLowerCase());
  for (const instruction of stage.instructions) {
    if (instruction.getKeyword() === 'USER') user = (instruction.getArgumentsContent() ?? '').trim();
  }
  return user;
}

function checkBaseImage(file: string, stage: Stage, stageNames: Set<string>): Finding[] {
  const image = stage.from.getImage() ?? '';
  const name = (stage.from.getImageName() ?? '').toLowerCase();
  if (image === '' || name === 'scratch' || stageNames.has(name) || image.includes('$')) return [];
  const tag = stage.from.getImageTag();
  if (stage.from.getImageDigest()) return [];
  if (tag === null || tag === 'latest') {
    const what = tag === null ? 'has no tag (means :latest)' : 'uses :latest';
    return [
      makeFinding(
        'docker-unpinned-base',
        file,
        lineOfInstruction(stage.from),
        `Base image ${image} ${what}.`,
      ),
    ];
  }
  return [];
}

/** Whether a command of the RUN is sudo (not a word of an argument: `echo sudo` is fine). */
function runsSudo(instruction: Instruction, command: string): boolean {
  const exec = execForm(instruction);
  if (exec && !SHELLS.test(exec[0] ?? '')) return /(^|\/)sudo$/.test(exec[0] ?? '');
  return parseShell(command).some((parsed) => {
    const words = parsed.words.map((word) => unquote(word.raw)).filter((word) => !/^\w+=/.test(word));
    return /(^|\/)sudo$/.test(words[0] ?? '');
  });
}

function checkRun(file: string, instruction: Instruction): Finding[] {
  const findings: Finding[] = [];
  const line = lineOfInstruction(instruction);
  const command = runCommand(instruction);
  if (PIPE_TO_SHELL.test(command)) {
    findings.push(
      makeFinding(
        'docker-curl-pipe-shell',
        file,
        line,
        'A downloaded script is piped straight into an interpreter.',
      ),
    );
  }
  if (runsSudo(instruction, command)) {
    findings.push(makeFinding('docker-sudo', file, line, 'RUN uses sudo.'));
  }
  if (APT_INSTALL.test(command)) {
    if (!command.includes('--no-install-recommends')) {
      findings.push(
        makeFinding('docker-apt-recommends', file, line, 'apt-get install pulls recommended packages.'),
      );
    }
    const cachedLists = flagsOf(instruction).some(
      (flag) => flag.name === 'mount' && /type=cache/.test(flag.value) && /\/var\/lib\/apt/.test(flag.value),
    );
    const cleaned = /rm\s+-[rf]+\s+\/var\/lib\/apt\/lists|\bapt(-get)?\s+(-\S+\s+)*clean\b/.test(command);
    if (!cachedLists && !cleaned) {
      findings.push(makeFinding('docker-apt-cleanup', file, line, 'apt package lists stay in the layer.'));
    }
  }
  return findings;
}

function checkProperties(file: string, instruction: Instruction): Finding[] {
  const keyword = instruction.getKeyword();
  return propertiesOf(instruction)
    .filter((property) => SECRET_NAME.test(property.getName()))
    .map((property) => {
      const hasValue = (property.getValue() ?? '') !== '';
      // An ARG without a default is only visible when a build passes it; an ENV is in every container.
      const severity = keyword === 'ENV' || hasValue ? 'high' : 'medium';
      const message = `${keyword} ${property.getName()} puts a secret into the image metadata/history.`;
      return makeFinding('docker-secret-in-env', file, property.getRange().start.line + 1, message, {
        severity,
      });
    });
}

/** Dockerfile rules over the parsed instructions (dockerfile-ast); the final stage decides user and healthcheck. */
export function scanDockerfiles(files: readonly SourceFile[]): Finding[] {
  const findings: Finding[] = [];
  const paths = new Set(files.map((file) => file.path));
  const contextsReported = new Set<string>();
  for (const file of files) {
    if (!isDockerfile(file.path)) continue;
    const dockerfile = DockerfileParser.parse(file.text);
    const stages = splitStages(dockerfile.getInstructions());
    if (stages.length === 0) continue;
    const stageNames = new Set<string>();
    const usersByStage = new Map<string, string | undefined>();
    for (const instruction of dockerfile.getInstructions()) {
      const keyword = instruction.getKeyword();
      if (keyword === 'RUN') findings.push(...checkRun(file.path, instruction));
      if (keyword === 'ENV' || keyword === 'ARG') findings.push(...checkProperties(file.path, instruction));
      if (
        (keyword === 'COPY' || keyword === 'ADD') &&
        copiesWholeContext(instruction) &&
        !hasDockerignore(file.path, paths) &&
        !contextsReported.has(dockerignorePath(file.path))
      ) {
        findings.push(
          makeFinding(
            'docker-no-dockerignore',
            file.path,
            lineOfInstruction(instruction),
            `${keyword} copies the whole build context, and no .dockerignore keeps .git, .env or keys out of it.`,
          ),
        );
        contextsReported.add(dockerignorePath(file.path));
      }
      if (keyword === 'ADD') {
        const remote = argumentsOf(instruction).find((arg) => /^(https?|ftp):\/\//i.test(arg));
        const flags =
          (instruction as Instruction & { getFlags?: () => { getName(): string }[] }).getFlags?.() ?? [];
        const checksum = flags.some((flag) => flag.getName() === 'checksum');
        if (remote && !checksum) {
          findings.push(
            makeFinding(
              'docker-add-remote',
              file.path,
              lineOfInstruction(instruction),
              `ADD fetches ${remote} unverified.`,
            ),
          );
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
    const last = stages.at(-1)!;
    const user = finalUser(last, usersByStage);
    const nonRootBase = /nonroot/i.test(last.from.getImageTag() ?? '');
    // A scratch image has no /etc/passwd and usually a single static binary: no user to switch to.
    const scratch = (last.from.getImageName() ?? '').toLowerCase() === 'scratch';
    const rootUser = user === undefined ? !scratch : ROOT_USER.test(user.split(':')[0]!.trim());
    if (!nonRootBase && rootUser) {
      const lastUser = last.instructions.findLast((instruction) => instruction.getKeyword() === 'USER');
      const line = lineOfInstruction(lastUser ?? last.from);
      const message =
        user === undefined
          ? 'The final stage sets no USER, so the container runs as root.'
          : `The final stage runs as ${user}.`;
      findings.push(makeFinding('docker-root-user', file.path, line, message));
    }
    if (!last.instructions.some((instruction) => instruction.getKeyword() === 'HEALTHCHECK')) {
      findings.push(
        makeFinding(
          'docker-no-healthcheck',
          file.path,
          lineOfInstruction(last.from),
          'The final stage has no HEALTHCHECK.',
        ),
      );
    }
  }
  return findings;
}
