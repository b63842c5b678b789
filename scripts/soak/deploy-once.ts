// One soak deploy: a service settled on v1, then deploy-ecs's built bundle (run as the runner runs it)
// deploying v2 with the scenario's crash variables; returns what the step said and when the release crashed.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import {
  CreateServiceCommand,
  DeleteServiceCommand,
  DescribeTasksCommand,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  type ECSClient,
  type RegisterTaskDefinitionCommandInput,
} from '@aws-sdk/client-ecs';

import { waitForSteadyState } from '../../test/fixtures/deploy-ecs/helpers.js';
import { runAction } from '../../tools/runner/run-action.js';
import { CRASH_EXIT_CODE, crashEnvironment, type Scenario } from './scenarios.js';

export interface DeployContext {
  ecs: ECSClient;
  cluster: string;
  images: { v1: string; v2: string };
  /** Environment of the step: the stack's, with every AWS endpoint on the private stand-in. */
  env: Record<string, string>;
  /** Folder for task-definition files (removed by the caller). */
  workDir: string;
  /** action.yml's input defaults, passed as the runner passes them. */
  inputDefaults: Record<string, string>;
  /** deploy-ecs's `timeout` input, when the soak sets one ('' = the action's default). */
  deployTimeout: string;
  /** The step is killed after this long (ms). */
  stepTimeoutMs: number;
  /** How long the v1 service may take to settle (ms). */
  settleTimeoutMs: number;
}

export interface DeployResult {
  scenario: Scenario;
  run: number;
  service: string;
  /** The step's exit code (null when it was killed). */
  exitCode: number | null;
  /** ms from the step's start to its exit. */
  durationMs: number;
  /** ms from the first crash of a task of the new revision to the step's exit (undefined: none seen). */
  detectionLagMs?: number;
  /** The step's log (kept for false results). */
  log: string;
  errors: string[];
  /** Setting up the v1 service or reading the tasks failed: not a verdict on deploy-ecs. */
  setupError?: string;
}

const APP_PORT = 3000;
export const LB_GRACE_PERIOD_SECONDS = 30;
// ECS's own health-check settings (AWS-FACTS §3: interval 5-300 s, timeout 2-60 s, retries 1-10), with the probe
// form of ECS's API reference example (`CMD-SHELL, curl -f http://localhost/ || exit 1`,
// https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_HealthCheck.html); busybox wget stands in for
// curl in the test image. A probe that starts Node costs ~50x the CPU: with eight more test runs beside the soak
// (load average ~39 on 2 cores) it missed its 5 s timeout three times running and failed good releases, as it
// would on an equally starved ECS host. The soak proves deploy-ecs's judgement, not how cheap a probe can be.
const CONTAINER_HEALTH_CHECK = {
  command: ['CMD-SHELL', 'wget -q -O /dev/null "http://127.0.0.1:$PORT/" || exit 1'],
  interval: 5,
  timeout: 5,
  retries: 3,
};

function taskDefinition(
  family: string,
  image: string,
  scenario: Scenario,
): RegisterTaskDefinitionCommandInput {
  return {
    family,
    networkMode: 'awsvpc',
    requiresCompatibilities: ['FARGATE'],
    cpu: '256',
    memory: '512',
    containerDefinitions: [
      {
        name: 'app',
        image,
        essential: true,
        portMappings: [{ containerPort: APP_PORT }],
        ...(scenario.healthCheck ? { healthCheck: CONTAINER_HEALTH_CHECK } : {}),
      },
    ],
  };
}

async function createV1Service(context: DeployContext, scenario: Scenario, service: string): Promise<string> {
  const registered = await context.ecs.send(
    new RegisterTaskDefinitionCommand(taskDefinition(service, context.images.v1, scenario)),
  );
  const arn = registered.taskDefinition!.taskDefinitionArn!;
  await context.ecs.send(
    new CreateServiceCommand({
      cluster: context.cluster,
      serviceName: service,
      taskDefinition: arn,
      desiredCount: 1,
      launchType: 'FARGATE',
      networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-soak'], assignPublicIp: 'DISABLED' } },
      deploymentConfiguration: {
        maximumPercent: 200,
        minimumHealthyPercent: 100,
        deploymentCircuitBreaker: { enable: scenario.circuitBreaker, rollback: scenario.circuitBreaker },
      },
      ...(scenario.loadBalancer
        ? {
            // Target checks run every 200 ms (FAST_ROLLOUTS' speed-up, ELB's own default is 30 s): the grace
            // period keeps an app slow to listen on a busy machine from failing 2 checks before it could
            // answer, as on ECS. It does not hide a crash: a container that exits stops its task.
            healthCheckGracePeriodSeconds: LB_GRACE_PERIOD_SECONDS,
            // An unknown target group ARN: the stand-in creates a group with ELBv2's default health check.
            loadBalancers: [
              {
                targetGroupArn: `arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/${service}/1`,
                containerName: 'app',
                containerPort: APP_PORT,
              },
            ],
          }
        : {}),
    }),
  );
  await waitForSteadyState(context.ecs, context.cluster, service, context.settleTimeoutMs, 250);
  return arn;
}

/** When the first task of `revision` exited with the crash code (its stoppedAt), if one did. */
async function firstCrash(
  context: DeployContext,
  service: string,
  revision: string,
): Promise<number | undefined> {
  const listed = await context.ecs.send(
    new ListTasksCommand({ cluster: context.cluster, serviceName: service, desiredStatus: 'STOPPED' }),
  );
  const arns = listed.taskArns ?? [];
  let first: number | undefined;
  for (let start = 0; start < arns.length; start += 100) {
    const { tasks } = await context.ecs.send(
      new DescribeTasksCommand({ cluster: context.cluster, tasks: arns.slice(start, start + 100) }),
    );
    for (const task of tasks ?? []) {
      const crashed = task.containers?.some((container) => container.exitCode === CRASH_EXIT_CODE);
      const stoppedAt = task.stoppedAt?.getTime();
      if (task.taskDefinitionArn === revision && crashed && stoppedAt !== undefined)
        first = Math.min(first ?? stoppedAt, stoppedAt);
    }
  }
  return first;
}

/** Why the service's stopped tasks stopped (distinct reasons), for a v1 service that did not settle. */
async function stoppedReasons(context: DeployContext, service: string): Promise<string> {
  const listed = await context.ecs.send(
    new ListTasksCommand({ cluster: context.cluster, serviceName: service, desiredStatus: 'STOPPED' }),
  );
  if (!listed.taskArns?.length) return '';
  const { tasks } = await context.ecs.send(
    new DescribeTasksCommand({ cluster: context.cluster, tasks: listed.taskArns.slice(0, 100) }),
  );
  const reasons = (tasks ?? []).map((task) => {
    const exit = task.containers?.map((container) => container.exitCode ?? container.reason).join(',');
    return `${task.stoppedReason ?? '?'} (exit ${exit ?? '?'})`;
  });
  return [...new Set(reasons)].join(' | ');
}

export async function deployOnce(
  context: DeployContext,
  scenario: Scenario,
  run: number,
): Promise<DeployResult> {
  const service = `${scenario.slug}-${run}`;
  const base = { scenario, run, service, log: '', errors: [] as string[], durationMs: 0 };
  try {
    let v1Arn: string;
    try {
      v1Arn = await createV1Service(context, scenario, service);
    } catch (error: unknown) {
      const why = await stoppedReasons(context, service).catch(() => '');
      return {
        ...base,
        exitCode: null,
        setupError: `v1 service: ${String(error).slice(0, 200)}${why ? `; stopped tasks: ${why}` : ''}`,
      };
    }
    const file = join(context.workDir, `${service}.json`);
    writeFileSync(file, JSON.stringify(taskDefinition(service, 'placeholder', scenario)));
    const step = await runAction('deploy-ecs', {
      inputs: {
        ...context.inputDefaults,
        'task-definition': file,
        cluster: context.cluster,
        services: service,
        container: 'app',
        image: context.images.v2,
        'environment-variables': crashEnvironment(scenario),
        ...(context.deployTimeout ? { timeout: context.deployTimeout } : {}),
      },
      env: context.env,
      timeoutMs: context.stepTimeoutMs,
    });
    rmSync(step.workDir, { recursive: true, force: true });
    const exitedAt = Date.now();
    const result: DeployResult = {
      ...base,
      exitCode: step.exitCode,
      durationMs: step.durationMs,
      log: step.log,
      errors: step.errors,
    };
    // Detection lag only means something when the step did call the release failed.
    if (scenario.crashAfterMs === undefined || step.exitCode === 0) return result;
    try {
      // The revision the step registered; any revision but v1 if it did not say.
      const revision = step.outputs['task-definition-arn'] || nextRevision(v1Arn);
      const crashedAt = await firstCrash(context, service, revision);
      if (crashedAt !== undefined) result.detectionLagMs = exitedAt - crashedAt;
    } catch (error: unknown) {
      result.setupError = `reading the stopped tasks: ${String(error).slice(0, 300)}`;
    }
    return result;
  } finally {
    await context.ecs
      .send(new DeleteServiceCommand({ cluster: context.cluster, service, force: true }))
      .catch(() => undefined);
  }
}

/** deploy-ecs registers the next revision of the service's own family. */
function nextRevision(v1Arn: string): string {
  const colon = v1Arn.lastIndexOf(':');
  return `${v1Arn.slice(0, colon + 1)}${Number(v1Arn.slice(colon + 1)) + 1}`;
}
