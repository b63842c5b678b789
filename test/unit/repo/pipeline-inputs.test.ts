import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { parse } from 'yaml';

import { REPO_ROOT } from '../../helpers/run-action.js';
import { OWN_PREFIX } from './uses-refs.js';

interface Step {
  id?: string;
  uses?: string;
  with?: Record<string, unknown>;
}
interface Job {
  uses?: string;
  with?: Record<string, unknown>;
  environment?: string;
  concurrency?: { group?: string; 'cancel-in-progress'?: boolean };
  steps?: Step[];
}
interface WorkflowInput {
  required?: boolean;
  default?: unknown;
}
interface Workflow {
  on?: { workflow_call?: { inputs?: Record<string, WorkflowInput> } };
  jobs: Record<string, Job>;
}
interface ActionInput {
  required?: boolean;
  default?: unknown;
}

const workflowPath = (name: string): string => join(REPO_ROOT, '.github', 'workflows', name);
const readWorkflow = (name: string): Workflow => parse(readFileSync(workflowPath(name), 'utf8')) as Workflow;
const actionInputs = (action: string): Record<string, ActionInput> =>
  (
    parse(readFileSync(join(REPO_ROOT, 'actions', action, 'action.yml'), 'utf8')) as {
      inputs: Record<string, ActionInput>;
    }
  ).inputs;

/** What a caller of `inputs` gets wrong: keys the callee lacks, required inputs it leaves out. */
function callProblems(
  where: string,
  given: Record<string, unknown>,
  inputs: Record<string, ActionInput | WorkflowInput>,
): string[] {
  const unknown = Object.keys(given)
    .filter((key) => !(key in inputs))
    .map((key) => `${where}: with.${key} is not an input of the callee`);
  const missing = Object.entries(inputs)
    .filter(([key, input]) => input.required === true && input.default === undefined && !(key in given))
    .map(([key]) => `${where}: required input ${key} is not given`);
  return [...unknown, ...missing];
}

/** Every step of `workflow` that runs one of our actions, checked against that action's action.yml. */
function ownStepProblems(workflow: Workflow, inputsOf: (action: string) => Record<string, ActionInput>) {
  return Object.entries(workflow.jobs).flatMap(([jobName, job]) =>
    (job.steps ?? []).flatMap((step, index) => {
      const match = new RegExp(`^${OWN_PREFIX}actions/([a-z-]+)@`).exec(step.uses ?? '');
      if (!match) return [];
      return callProblems(`${jobName}.steps[${index}] ${match[1]}`, step.with ?? {}, inputsOf(match[1]!));
    }),
  );
}

describe('pipeline.yml', () => {
  const text = readFileSync(workflowPath('pipeline.yml'), 'utf8');
  const pipeline = readWorkflow('pipeline.yml');
  const declared = pipeline.on!.workflow_call!.inputs!;

  it('runs all four actions, and every with: key exists in the callee action.yml', () => {
    const called = Object.values(pipeline.jobs)
      .flatMap((job) => job.steps ?? [])
      .map((step) => /actions\/([a-z-]+)@/.exec(step.uses ?? '')?.[1])
      .filter(Boolean);
    expect(called).toEqual(
      expect.arrayContaining(['security-scan', 'build-push', 'deploy-ecs', 'wait-healthy']),
    );
    expect(ownStepProblems(pipeline, actionInputs)).toEqual([]);
  });

  it('uses every input it declares and declares every input it uses', () => {
    const expressions = [...text.matchAll(/\$\{\{[^}]*\}\}/g)].map((match) => match[0]).join(' ');
    const used = new Set([...expressions.matchAll(/\binputs\.([a-z0-9-]+)/g)].map((match) => match[1]!));
    expect([...used].filter((name) => !(name in declared))).toEqual([]);
    expect(Object.keys(declared).filter((name) => !used.has(name))).toEqual([]);
  });

  it('leaves the Dockerfile to build-push unless the caller names one', () => {
    expect(declared['dockerfile']!.default).toBe('');
    const build = pipeline.jobs['build-push']!.steps!.find((step) => step.uses?.includes('/build-push@'))!;
    expect(build.with!['file']).toBe('${{ inputs.dockerfile }}');
    // Empty reaches build-push as unset: its own default (<context>/Dockerfile) then applies.
    expect(actionInputs('build-push')['file']!.default).toBeUndefined();
  });

  it('assumes a build role and a deploy role, the deploy in the caller-chosen environment, one deploy at a time', () => {
    const roleOf = (job: string): unknown =>
      pipeline.jobs[job]!.steps!.find((step) =>
        step.uses?.startsWith('aws-actions/configure-aws-credentials@'),
      )!.with!['role-to-assume'];
    expect(roleOf('build-push')).toBe('${{ inputs.build-role-to-assume || inputs.deploy-role-to-assume }}');
    expect(roleOf('deploy')).toBe('${{ inputs.deploy-role-to-assume }}');
    expect(declared['environment']!.default).toBe('production');
    const deploy = pipeline.jobs['deploy']!;
    expect(deploy.environment).toBe('${{ inputs.environment }}');
    expect(deploy.concurrency).toEqual({
      group: 'shipkit-deploy-${{ inputs.environment }}',
      'cancel-in-progress': false,
    });
    expect(pipeline.jobs['build-push']!.environment).toBeUndefined();
  });
});

describe('deploy.yml, the repository calling its own pipeline', () => {
  it('passes only inputs pipeline.yml declares, and every required one', () => {
    const ship = readWorkflow('deploy.yml').jobs['ship']!;
    expect(ship.uses).toBe('./.github/workflows/pipeline.yml');
    expect(
      callProblems(
        'deploy.yml ship',
        ship.with ?? {},
        readWorkflow('pipeline.yml').on!.workflow_call!.inputs!,
      ),
    ).toEqual([]);
  });
});

describe('ci.yml', () => {
  it('runs every action the way users do (uses: ./actions/<name>), with inputs each action declares', () => {
    const steps = readWorkflow('ci.yml').jobs['actions']!.steps!;
    const local = steps.flatMap((step) => {
      const name = /^\.\/actions\/([a-z-]+)$/.exec(step.uses ?? '')?.[1];
      return name ? [{ name, with: step.with ?? {} }] : [];
    });
    const actions = readdirSync(join(REPO_ROOT, 'actions')).filter((name) =>
      existsSync(join(REPO_ROOT, 'actions', name, 'action.yml')),
    );
    expect([...new Set(local.map((step) => step.name))].sort()).toEqual(actions.sort());
    expect(
      local.flatMap((step) => callProblems(`ci.yml ${step.name}`, step.with, actionInputs(step.name))),
    ).toEqual([]);
  });
});

describe('the call checks themselves', () => {
  it('report a key the callee lacks and a required input left out', () => {
    const workflow: Workflow = {
      jobs: {
        deploy: {
          steps: [
            { uses: 'actions/checkout@x' },
            { uses: `${OWN_PREFIX}actions/deploy-ecs@v1`, with: { cluster: 'c', 'wait-for-minutes': 15 } },
            { uses: `${OWN_PREFIX}actions/build-push@v1`, with: { context: 'app' } },
          ],
        },
      },
    };
    expect(ownStepProblems(workflow, actionInputs)).toEqual([
      'deploy.steps[1] deploy-ecs: with.wait-for-minutes is not an input of the callee',
      'deploy.steps[2] build-push: required input repository is not given',
    ]);
  });
});
