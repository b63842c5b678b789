import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { parse } from 'yaml';

import { REPO_ROOT } from '../helpers/run-action.js';

interface ActionMetadata {
  name?: string;
  description?: string;
  branding?: { icon?: string; color?: string };
  inputs?: Record<string, { description?: string; required?: boolean; default?: unknown }>;
  outputs?: Record<string, { description?: string }>;
  runs?: { using?: string; main?: string; post?: string };
}

const actionsDir = join(REPO_ROOT, 'actions');
const actions = readdirSync(actionsDir).filter((name) => existsSync(join(actionsDir, name, 'action.yml')));

function sourceOf(action: string): string {
  const read = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
      entry.isDirectory()
        ? read(join(dir, entry.name))
        : entry.name.endsWith('.ts')
          ? [readFileSync(join(dir, entry.name), 'utf8')]
          : [],
    );
  return read(join(actionsDir, action, 'src')).join('\n');
}

describe.each(actions)('actions/%s', (action) => {
  const metadata = parse(readFileSync(join(actionsDir, action, 'action.yml'), 'utf8')) as ActionMetadata;
  const readmePath = join(actionsDir, action, 'README.md');
  const readme = existsSync(readmePath) ? readFileSync(readmePath, 'utf8') : '';
  const source = sourceOf(action);
  const inputs = Object.keys(metadata.inputs ?? {});
  const outputs = Object.keys(metadata.outputs ?? {});

  it('runs on node24 from its committed bundle, with branding for the Marketplace', () => {
    expect(metadata.runs?.using).toBe('node24');
    expect(metadata.runs?.main).toBe('dist/index.js');
    expect(existsSync(join(actionsDir, action, 'dist', 'index.js'))).toBe(true);
    expect(metadata.name).toBeTruthy();
    expect(metadata.description).toBeTruthy();
    expect(metadata.branding?.icon).toBeTruthy();
    expect(metadata.branding?.color).toBeTruthy();
  });

  it('has a README', () => expect(readme.length).toBeGreaterThan(200));

  it.each(inputs.length > 0 ? inputs : ['(none)'])('input %s is described, documented and read', (input) => {
    if (input === '(none)') return;
    expect(metadata.inputs?.[input]?.description).toBeTruthy();
    expect(readme).toContain(`| \`${input}\``);
    expect(source).toContain(`'${input}'`);
  });

  it.each(outputs.length > 0 ? outputs : ['(none)'])(
    'output %s is described, documented and set',
    (output) => {
      if (output === '(none)') return;
      expect(metadata.outputs?.[output]?.description).toBeTruthy();
      expect(readme).toContain(`| \`${output}\``);
      expect(source).toContain(`'${output}'`);
    },
  );

  it('reads no input that action.yml does not declare', () => {
    const read = [
      ...source.matchAll(
        /\bget(?:String|OptionalString|Secret|Boolean|Integer|Duration|List|KeyValues|Choice|Input|MultilineInput|BooleanInput)\(\s*'([a-z0-9-]+)'/g,
      ),
    ].map((match) => match[1]!);
    expect(read.filter((name) => !inputs.includes(name))).toEqual([]);
  });
});
