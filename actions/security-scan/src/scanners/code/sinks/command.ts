import { type AstNode, booleanValue, child, children, objectProperties, unwrap } from '../ast.js';
import { canonicalName } from '../names.js';
import type { SinkContext } from './context.js';

/** Calls that hand their first argument to a shell as one string. */
const SHELL_STRING = new Set([
  'child_process.exec',
  'child_process.execSync',
  'shelljs.exec',
  'execa.command',
  'execa.commandSync',
  'execa.execaCommand',
  'execa.execaCommandSync',
]);
/** Calls that take a program and an argument list: a shell only with `shell: true` or `sh -c`. */
const PROGRAM_AND_ARGS = new Set([
  'child_process.spawn',
  'child_process.spawnSync',
  'child_process.execFile',
  'child_process.execFileSync',
  'child_process.fork',
  'execa',
  'execa.execa',
  'execa.execaSync',
  'execa.sync',
  'Deno.Command()',
]);
const SHELLS = /^(\/(usr\/)?bin\/)?(sh|bash|zsh|dash|ksh|cmd(\.exe)?|powershell(\.exe)?|pwsh)$/;

/** Command injection (CWE-78): child_process in every form, shelljs, execa, Deno.run / Deno.Command. */
export function checkCommandInjection(context: SinkContext): void {
  for (const call of context.model.calls) {
    const name = canonicalName(child(call, 'callee'), context.model);
    if (name === undefined) continue;
    const args = children(call, 'arguments');
    const label = `${name.replace(/\(\)$/, '')}()`;
    if (SHELL_STRING.has(name)) {
      const taint = context.tainted(args[0], 'command');
      if (taint) context.report('code-command-injection', call, `${label} runs a shell command that`, taint);
      else if (context.isDynamicString(args[0]))
        context.report(
          'code-command-injection',
          call,
          `${label} runs a shell command built from a template or concatenation`,
        );
      continue;
    }
    if (PROGRAM_AND_ARGS.has(name)) {
      checkProgramAndArgs(
        context,
        call,
        label,
        args[0],
        unwrap(args[1])?.type === 'ArrayExpression' ? args[1] : undefined,
        args,
      );
      continue;
    }
    if (name === 'Deno.run') {
      const options = objectProperties(context.valueOf(args[0]));
      const command = context.valueOf(options.get('cmd'));
      const parts = command?.type === 'ArrayExpression' ? children(command, 'elements') : [];
      checkProgramAndArgs(context, call, label, parts[0], undefined, args, parts.slice(1));
    }
  }
}

function checkProgramAndArgs(
  context: SinkContext,
  call: AstNode,
  label: string,
  program: AstNode | undefined,
  argList: AstNode | undefined,
  args: readonly AstNode[],
  argItems?: readonly AstNode[],
): void {
  const programTaint = context.tainted(program, 'command');
  if (programTaint) {
    context.report(
      'code-command-injection',
      call,
      `${label} runs a program named by a value that`,
      programTaint,
    );
    return;
  }
  const items = argItems ?? (argList ? children(context.valueOf(argList) ?? argList, 'elements') : []);
  const options = args
    .map((arg) => objectProperties(context.valueOf(arg)))
    .find((properties) => properties.has('shell'));
  const shellOption = options?.get('shell');
  const viaShellOption =
    shellOption !== undefined &&
    (booleanValue(shellOption) ?? true) &&
    unwrap(shellOption)?.type !== 'Identifier';
  const programName = context.constantString(program) ?? '';
  const viaShellProgram =
    SHELLS.test(programName) &&
    items.some((item) => /^(-c|\/c|-Command)$/i.test(context.constantString(item) ?? ''));
  if (!viaShellOption && !viaShellProgram) return;
  for (const item of [program, ...items]) {
    const taint = context.tainted(item, 'command');
    if (taint) {
      const how = viaShellOption ? 'with shell: true' : `through ${programName} -c`;
      context.report('code-command-injection', call, `${label} ${how} runs a command line that`, taint);
      return;
    }
  }
  if (viaShellOption && context.isDynamicString(program))
    context.report(
      'code-command-injection',
      call,
      `${label} with shell: true runs a command built from a template or concatenation`,
    );
}
