import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { parse } from 'yaml';

import { REPO_ROOT } from '../../helpers/run-action.js';
import { OWN_PREFIX } from './uses-refs.js';

interface Step {
  id?: string;
  name?: string;
  if?: string;
  uses?: string;
  run?: string;
  env?: Record<string, string>;
  with?: Record<string, unknown>;
}
interface Job {
  uses?: string;
  needs?: string | string[];
  if?: string;
  outputs?: Record<string, string>;
  permissions?: Record<string, string>;
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
  on?: {
    workflow_call?: { inputs?: Record<string, WorkflowInput>; outputs?: Record<string, { value: string }> };
  };
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

describe('pipeline.yml verify and rollback', () => {
  const pipeline = readWorkflow('pipeline.yml');
  const declared = pipeline.on!.workflow_call!.inputs!;
  const verify = pipeline.jobs['verify']!;
  const rollback = pipeline.jobs['rollback']!;
  const step = (job: Job, id: string): Step => {
    const found = job.steps!.find((candidate) => candidate.id === id);
    if (!found) throw new Error(`no step with id ${id}`);
    return found;
  };
  const ownAction = (job: Job, action: string): Step[] =>
    job.steps!.filter((candidate) => candidate.uses?.startsWith(`${OWN_PREFIX}actions/${action}@`));

  it('verifies after deploy: wait-healthy (moved out of deploy), the system tests, then the live scan', () => {
    expect(verify.needs).toBe('deploy');
    expect(ownAction(pipeline.jobs['deploy']!, 'wait-healthy')).toEqual([]);
    const order = verify.steps!.map((candidate) => candidate.id).filter(Boolean);
    expect(order).toEqual(['url', 'healthy', 'system-tests', 'live-scan', 'report']);
    expect(step(verify, 'healthy').uses).toMatch(/\/wait-healthy@/);
    expect(step(verify, 'healthy').with).toMatchObject({
      urls: '${{ inputs.health-url }}',
      'expect-value': '${{ github.sha }}',
    });
    // No environment: a protected environment would ask for a second approval just to look at the app.
    expect(verify.environment).toBeUndefined();
    expect(verify.permissions).toEqual({ contents: 'read', 'security-events': 'write' });
  });

  it('runs the optional system-test command with BASE_URL and the expected version through env, not spliced into run:', () => {
    expect(declared['system-test-command']).toMatchObject({ type: 'string', default: '' });
    const tests = step(verify, 'system-tests');
    expect(tests.if).toBe("${{ inputs.system-test-command != '' }}");
    expect(tests.env).toEqual({
      SYSTEM_TEST_COMMAND: '${{ inputs.system-test-command }}',
      BASE_URL: '${{ steps.url.outputs.url }}',
      EXPECT_VERSION: '${{ github.sha }}',
      SYSTEM_TEST_PASSWORD: '${{ secrets.system-test-password }}',
    });
    expect(tests.run).toBe('bash -c "$SYSTEM_TEST_COMMAND"');
  });

  it('puts no ${{ }} expression into any run: script of the workflow (values arrive through env)', () => {
    const spliced = Object.entries(pipeline.jobs).flatMap(([jobName, job]) =>
      (job.steps ?? [])
        .filter((candidate) => candidate.run?.includes('${{'))
        .map((candidate) => `${jobName}: ${candidate.id ?? candidate.name ?? candidate.run!.slice(0, 30)}`),
    );
    expect(spliced).toEqual([]);
  });

  it('scans the deployed URL with the live scanner only, and uploads its SARIF as the scan job does', () => {
    const scan = step(verify, 'live-scan');
    expect(scan.uses).toMatch(/\/security-scan@/);
    expect(scan.with).toEqual({
      scanners: 'live',
      urls: '${{ steps.url.outputs.url }}',
      'fail-on': '${{ inputs.fail-on }}',
    });
    // It runs once the app answered, even after failed system tests, so the report has both.
    expect(scan.if).toBe("${{ !cancelled() && steps.healthy.outcome == 'success' }}");
    const upload = verify.steps!.find((candidate) =>
      candidate.uses?.startsWith('github/codeql-action/upload-sarif@'),
    )!;
    expect(upload.with).toMatchObject({ sarif_file: '${{ steps.live-scan.outputs.sarif-file }}' });
    expect(upload.if).toBe("${{ !cancelled() && steps.live-scan.outputs.sarif-file != '' }}");
  });

  it('names the failed verify step in an output, an ::error:: line and the job summary, whatever failed', () => {
    const report = step(verify, 'report');
    expect(report.if).toBe('${{ always() }}');
    expect(verify.outputs).toEqual({ 'failed-step': '${{ steps.report.outputs.failed-step }}' });
    expect(report.run).toContain('::error::Verify failed at: $failed');
    expect(report.run).toContain('GITHUB_STEP_SUMMARY');
    // Every verify step's outcome reaches the report.
    for (const id of ['url', 'healthy', 'system-tests', 'live-scan']) {
      expect(Object.values(report.env!)).toContain(`\${{ steps.${id}.outcome }}`);
    }
    expect(pipeline.on!.workflow_call!.outputs!['verify-failed-step']!.value).toBe(
      '${{ jobs.verify.outputs.failed-step }}',
    );
  });

  it('rolls back to the previous task definition only when deploy succeeded and verify failed', () => {
    expect(rollback.needs).toEqual(['deploy', 'verify']);
    expect(rollback.if).toBe(
      "${{ !cancelled() && needs.deploy.result == 'success' && needs.verify.result == 'failure' }}",
    );
    expect(pipeline.jobs['deploy']!.outputs!['previous-task-definition-arn']).toBe(
      '${{ steps.deploy.outputs.previous-task-definition-arn }}',
    );
    const previous = step(rollback, 'previous');
    expect(previous.env).toMatchObject({
      PREVIOUS: '${{ needs.deploy.outputs.previous-task-definition-arn }}',
      FAILED_STEP: '${{ needs.verify.outputs.failed-step }}',
    });
    const redeploy = step(rollback, 'rollback');
    expect(redeploy.uses).toMatch(/\/deploy-ecs@/);
    expect(redeploy.with).toMatchObject({
      'task-definition-arn': '${{ steps.previous.outputs.arn }}',
      cluster: '${{ inputs.cluster }}',
      services: '${{ inputs.services }}',
      rollback: false,
    });
    // Nothing that renders: an existing ARN is deployed as is.
    expect(redeploy.with).not.toHaveProperty('image');
  });

  it('skips the redeploy, saying so, when deploy had no previous task definition (a first deploy)', () => {
    const previous = step(rollback, 'previous');
    expect(previous.run).toMatch(/if \[ -z "\$PREVIOUS" \]; then[\s\S]*rollback skipped/);
    const gated = rollback.steps!.filter((candidate) => candidate.uses);
    expect(gated.map((candidate) => candidate.if)).toEqual([
      "${{ steps.previous.outputs.arn != '' }}",
      "${{ steps.previous.outputs.arn != '' }}",
    ]);
  });

  it("rolls back with deploy's environment and role, nothing more", () => {
    const deploy = pipeline.jobs['deploy']!;
    expect(rollback.environment).toBe(deploy.environment);
    expect(rollback.permissions).toEqual(deploy.permissions);
    const roleOf = (job: Job): unknown =>
      job.steps!.find((candidate) => candidate.uses?.startsWith('aws-actions/configure-aws-credentials@'))!
        .with!['role-to-assume'];
    expect(roleOf(rollback)).toBe(roleOf(deploy));
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
