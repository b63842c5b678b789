// The YAML examples of every Markdown file, read as a new user copies them: each block parses, each step that
// runs one of our actions passes only inputs its action.yml declares (and every required one), each call of the
// reusable workflow only inputs pipeline.yml declares, and each `steps.<id>.outputs.<name>` of one of our steps
// names an output the action has.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

import { parse } from 'yaml';

import { REPO_ROOT } from '../../helpers/run-action.js';

interface Declared {
  inputs: Record<string, { required?: boolean; default?: unknown }>;
  outputs: Record<string, unknown>;
}
interface YamlBlock {
  file: string;
  /** 1-based line of the block's first line of YAML. */
  line: number;
  text: string;
}

/** Inputs of which an action needs one, though action.yml can mark none of them required. */
const ONE_OF: Record<string, string[]> = {
  'deploy-ecs': ['task-definition', 'task-definition-arn', 'from-service'],
};
const SKIPPED = new Set(['node_modules', '.git', '.package', '.stack', 'dist', 'fixtures', 'coverage']);

function markdownFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.isDirectory()) return SKIPPED.has(entry.name) ? [] : markdownFiles(join(dir, entry.name));
    return entry.name.endsWith('.md') ? [join(dir, entry.name)] : [];
  });
}

/** Fenced ```yaml / ```yml blocks of a Markdown text. */
function yamlBlocks(file: string, text: string): YamlBlock[] {
  const blocks: YamlBlock[] = [];
  let open: { fence: string; yaml: boolean; line: number; lines: string[] } | undefined;
  text.split('\n').forEach((line, index) => {
    const fence = /^\s*(```+|~~~+)\s*([\w-]*)/.exec(line);
    if (!open) {
      if (fence) open = { fence: fence[1]!, yaml: /^ya?ml$/i.test(fence[2]!), line: index + 2, lines: [] };
      return;
    }
    if (line.trim() === open.fence) {
      if (open.yaml) blocks.push({ file, line: open.line, text: open.lines.join('\n') });
      open = undefined;
      return;
    }
    open.lines.push(line);
  });
  return blocks;
}

/** What the `uses:` names, when it is ours: an action (by monorepo path or per-action repository) or pipeline.yml. */
function ownTarget(uses: string): { kind: 'action' | 'workflow'; name: string } | undefined {
  const action = /^(?:shipkit\/shipkit\/actions\/|shipkit\/|\.\/actions\/)([a-z-]+)(?:@|$)/.exec(uses);
  if (action && action[1] !== 'shipkit') return { kind: 'action', name: action[1]! };
  if (/^(?:shipkit\/shipkit|\.)\/\.github\/workflows\/pipeline\.yml(?:@|$)/.test(uses)) {
    return { kind: 'workflow', name: 'pipeline.yml' };
  }
  return undefined;
}

/** Every mapping in a parsed document (steps and jobs alike), depth first. */
function mappings(node: unknown): Record<string, unknown>[] {
  if (Array.isArray(node)) return node.flatMap(mappings);
  if (node === null || typeof node !== 'object') return [];
  const record = node as Record<string, unknown>;
  return [record, ...Object.values(record).flatMap(mappings)];
}

function blockProblems(block: YamlBlock, declared: (kind: 'action' | 'workflow', name: string) => Declared) {
  const where = `${block.file}:${block.line}`;
  let document: unknown;
  try {
    document = parse(block.text);
  } catch (error) {
    return [`${where}: does not parse as YAML: ${(error as Error).message.split('\n')[0]}`];
  }
  const problems: string[] = [];
  const ids = new Map<string, string>();
  for (const node of mappings(document)) {
    if (typeof node['uses'] !== 'string') continue;
    const target = ownTarget(node['uses']);
    if (!target) continue;
    const { inputs } = declared(target.kind, target.name);
    if (typeof node['id'] === 'string') ids.set(node['id'], target.name);
    const given = (node['with'] ?? {}) as Record<string, unknown>;
    for (const key of Object.keys(given)) {
      if (!(key in inputs)) problems.push(`${where}: ${target.name} has no input "${key}"`);
    }
    for (const [key, input] of Object.entries(inputs)) {
      if (input.required === true && input.default === undefined && !(key in given)) {
        problems.push(`${where}: ${target.name} needs input "${key}"`);
      }
    }
    // A block that elides inputs on purpose says so with a `# ...` line.
    const oneOf = ONE_OF[target.name];
    if (oneOf && !oneOf.some((key) => key in given) && !/^\s*# \.\.\.\s*$/m.test(block.text)) {
      problems.push(`${where}: ${target.name} needs one of ${oneOf.map((key) => `"${key}"`).join(', ')}`);
    }
  }
  for (const match of block.text.matchAll(/\bsteps\.([\w-]+)\.outputs\.([\w-]+)/g)) {
    const action = ids.get(match[1]!);
    if (action && !(match[2]! in declared('action', action).outputs)) {
      problems.push(
        `${where}: ${action} has no output "${match[2]}" (steps.${match[1]}.outputs.${match[2]})`,
      );
    }
  }
  return problems;
}

function declaredInRepo(kind: 'action' | 'workflow', name: string): Declared {
  if (kind === 'workflow') {
    const workflow = parse(readFileSync(join(REPO_ROOT, '.github', 'workflows', name), 'utf8')) as {
      on: { workflow_call: { inputs?: Declared['inputs']; outputs?: Declared['outputs'] } };
    };
    return {
      inputs: workflow.on.workflow_call.inputs ?? {},
      outputs: workflow.on.workflow_call.outputs ?? {},
    };
  }
  const path = join(REPO_ROOT, 'actions', name, 'action.yml');
  if (!existsSync(path)) return { inputs: {}, outputs: {} };
  const action = parse(readFileSync(path, 'utf8')) as Partial<Declared>;
  return { inputs: action.inputs ?? {}, outputs: action.outputs ?? {} };
}

describe('the YAML examples of the Markdown files', () => {
  const blocks = markdownFiles(REPO_ROOT).flatMap((path) =>
    yamlBlocks(relative(REPO_ROOT, path), readFileSync(path, 'utf8')),
  );

  it('include the README "Use it" workflow and every action README', () => {
    const files = new Set(blocks.map((block) => block.file));
    expect(files).toContain('README.md');
    for (const action of ['build-push', 'deploy-ecs', 'security-scan', 'wait-healthy']) {
      expect(files).toContain(join('actions', action, 'README.md'));
    }
    expect(blocks.some((block) => /pipeline\.yml@/.test(block.text))).toBe(true);
  });

  it('parse, and call our actions and the reusable workflow only with inputs they declare', () => {
    expect(blocks.flatMap((block) => blockProblems(block, declaredInRepo))).toEqual([]);
  });
});

describe('the example checks themselves', () => {
  const check = (text: string): string[] =>
    yamlBlocks('X.md', text).flatMap((block) => blockProblems(block, declaredInRepo));

  it('report an unknown input, a missing required one, an unknown output and YAML that does not parse', () => {
    const text = [
      '```yaml',
      '- id: wait',
      '  uses: shipkit/shipkit/actions/wait-healthy@v1',
      '  with:',
      '    url: https://app.example.com/health',
      '- run: echo ${{ steps.wait.outputs.healthy }} ${{ steps.wait.outputs.ok }}',
      '```',
      '',
      '```yml',
      'jobs:',
      '  ship:',
      '    uses: shipkit/shipkit/.github/workflows/pipeline.yml@v1',
      '    with: { aws-region: eu-west-1, role-to-assume: x }',
      '```',
      '',
      '```yaml',
      'with: [unclosed',
      '```',
      '',
      '```yaml',
      '- uses: shipkit/deploy-ecs@v1',
      '  with: { image: repo@sha256:0, cluster: prod, services: web }',
      '```',
    ].join('\n');
    const problems = check(text);
    expect(problems).toEqual(
      expect.arrayContaining([
        'X.md:2: wait-healthy has no input "url"',
        'X.md:2: wait-healthy needs input "urls"',
        'X.md:2: wait-healthy has no output "ok" (steps.wait.outputs.ok)',
        'X.md:10: pipeline.yml has no input "role-to-assume"',
        'X.md:10: pipeline.yml needs input "deploy-role-to-assume"',
        'X.md:21: deploy-ecs needs one of "task-definition", "task-definition-arn", "from-service"',
        expect.stringMatching(/^X\.md:17: does not parse as YAML/),
      ]),
    );
    expect(problems).not.toContain(expect.stringContaining('output "healthy"'));
  });

  it('accept a correct call, by monorepo path and by per-action repository, and ignore third-party actions', () => {
    const text = [
      '```yaml',
      '- uses: actions/checkout@v6',
      '  with: { anything: 1 }',
      '- uses: shipkit/wait-healthy@v1',
      '  with: { urls: https://app.example.com/health, json-path: ver }',
      '```',
    ].join('\n');
    expect(check(text)).toEqual([]);
    expect(ownTarget('shipkit/shipkit/actions/deploy-ecs@v1')).toEqual({
      kind: 'action',
      name: 'deploy-ecs',
    });
    expect(ownTarget('shipkit/deploy-ecs@v1')).toEqual({ kind: 'action', name: 'deploy-ecs' });
    expect(ownTarget('./actions/build-push')).toEqual({ kind: 'action', name: 'build-push' });
    expect(ownTarget('actions/checkout@v6')).toBeUndefined();
  });
});
