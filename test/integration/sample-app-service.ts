// The sample app's real image and task definition as an ECS service on a private stand-in, behind its front
// door, sharing a PostgreSQL database of the caller's own (DATABASE_URL handed over as the task definition's
// Secrets Manager entry, as on AWS). Used by the 300-post test and the sample-app bench.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import {
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeTasksCommand,
  ECSClient,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  type RegisterTaskDefinitionCommandInput,
} from '@aws-sdk/client-ecs';
import { CreateRepositoryCommand, ECRClient, GetAuthorizationTokenCommand } from '@aws-sdk/client-ecr';
import {
  CreateTargetGroupCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';

import { hashPassword } from '../../sample-app/src/auth.js';
import type { LocalAws, LocalAwsOptions } from '../../tools/local-aws/index.js';
import { buildTestImage, dockerCli, pushImage, type DockerCli } from '../helpers/docker.js';
import { FAST_ROLLOUTS, STACK_SPEEDUPS, startTestLocalAws } from '../helpers/local-aws.js';
import { REPO_ROOT } from '../helpers/run-action.js';
import type { LocalStack } from '../helpers/stack.js';

const SAMPLE_APP = join(REPO_ROOT, 'sample-app');
const TASK_DEFINITION = JSON.parse(
  readFileSync(join(SAMPLE_APP, 'task-definition.json'), 'utf8'),
) as RegisterTaskDefinitionCommandInput;
const CLUSTER = 'sample-app';
const SERVICE = 'web';
const FAMILY = 'sample-app-web';
const credentials = { accessKeyId: 'AKIALOCALTEST', secretAccessKey: 'local-test-secret' };

export interface SampleAppService {
  localAws: LocalAws;
  ecs: ECSClient;
  /** The admin password of the running app. */
  password: string;
  /** http://127.0.0.1:<port> of the service's front door. */
  frontDoor: () => Promise<string>;
  healthyTargets: () => Promise<number>;
  /** ARNs of the service's tasks with the given desired status, sorted. */
  tasks: (desiredStatus?: 'RUNNING' | 'STOPPED') => Promise<string[]>;
  /** Host ports of the running tasks' web containers (the stand-in runs them on the host network). */
  taskPorts: () => Promise<number[]>;
  /** Registers a new revision answering `version` from its health check; returns nothing (family FAMILY). */
  register: (version: string) => Promise<void>;
  cluster: string;
  service: string;
  family: string;
  close: () => Promise<void>;
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (${String(last)})`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/**
 * Builds and pushes the image, starts a stand-in whose secrets map resolves the task definition's
 * placeholders (DATABASE_URL = `databaseUrl`), and creates the service with `desiredCount` tasks behind a
 * front door; resolves once all of them are healthy targets. The caller closes it.
 */
export async function startSampleAppService(
  stack: LocalStack,
  options: { databaseUrl: string; desiredCount: number; knobs?: Partial<LocalAwsOptions> },
): Promise<SampleAppService> {
  const password = `pw-${randomBytes(6).toString('hex')}`;
  const byName: Record<string, string> = {
    DATABASE_URL: options.databaseUrl,
    ADMIN_PASSWORD_HASH: await hashPassword(password, { N: 1024, r: 8, p: 1 }),
    SESSION_SECRET: randomBytes(24).toString('base64url'),
  };
  const secrets: Record<string, string> = {};
  for (const secret of TASK_DEFINITION.containerDefinitions![0]!.secrets ?? []) {
    const value = byName[secret.name!];
    if (value === undefined) throw new Error(`no test value for the secret ${secret.name}`);
    secrets[secret.valueFrom!] = value;
  }
  const localAws = await startTestLocalAws(stack, {
    ...FAST_ROLLOUTS,
    // Container checks (a `node healthcheck.js` exec per task) every 5 s, as the stack runs them: every second
    // they cost a busy machine a process start per task per second.
    healthCheckIntervalMs: STACK_SPEEDUPS.healthCheckIntervalMs!,
    ...options.knobs,
    secrets,
  });
  const config = { endpoint: localAws.url, region: 'us-east-1', credentials };
  const ecs = new ECSClient(config);
  const ecr = new ECRClient(config);
  const elb = new ElasticLoadBalancingV2Client(config);
  const docker: DockerCli = dockerCli(stack, { name: 'sample-app-service' });
  // docker.dispose() also removes the image this builds: a test run leaves no image per run behind.
  const close = async (): Promise<void> => {
    await localAws.close();
    ecs.destroy();
    ecr.destroy();
    elb.destroy();
    docker.dispose();
  };
  try {
    const auth = (await ecr.send(new GetAuthorizationTokenCommand({}))).authorizationData![0]!;
    const [user, token] = Buffer.from(auth.authorizationToken!, 'base64').toString().split(':') as [
      string,
      string,
    ];
    await docker.login(auth.proxyEndpoint!, user, token);
    const repository = (
      await ecr.send(
        new CreateRepositoryCommand({ repositoryName: `sample-app/web-${Date.now().toString(36)}` }),
      )
    ).repository!.repositoryUri!;
    const image = `${repository}:1`;
    await buildTestImage(docker, stack, { context: SAMPLE_APP, tag: image, appVersion: 'built' });
    await pushImage(docker, image);

    const admin = async (): Promise<
      { serviceName: string; frontDoorUrl?: string; healthyTargets?: number }[]
    > => {
      const response = await fetch(`${localAws.url}/_local/services`);
      return ((await response.json()) as { services: never[] }).services;
    };
    const tasks = async (desiredStatus: 'RUNNING' | 'STOPPED' = 'RUNNING'): Promise<string[]> =>
      (
        await ecs.send(new ListTasksCommand({ cluster: CLUSTER, serviceName: SERVICE, desiredStatus }))
      ).taskArns!.sort();
    const service: SampleAppService = {
      localAws,
      ecs,
      password,
      cluster: CLUSTER,
      service: SERVICE,
      family: FAMILY,
      close,
      frontDoor: async () => {
        const url = (await admin()).find((entry) => entry.serviceName === SERVICE)?.frontDoorUrl;
        if (!url) throw new Error('the stand-in lists no front door');
        return url.replace(/\/$/, '');
      },
      healthyTargets: async () =>
        (await admin()).find((entry) => entry.serviceName === SERVICE)?.healthyTargets ?? 0,
      tasks,
      taskPorts: async () => {
        const arns = await tasks();
        if (arns.length === 0) return [];
        const described = await ecs.send(new DescribeTasksCommand({ cluster: CLUSTER, tasks: arns }));
        return described.tasks!.flatMap((task) =>
          (task.containers ?? []).flatMap((container) =>
            (container.networkBindings ?? []).map((binding) => binding.hostPort!),
          ),
        );
      },
      register: async (version) => {
        const [web] = TASK_DEFINITION.containerDefinitions!;
        await ecs.send(
          new RegisterTaskDefinitionCommand({
            ...TASK_DEFINITION,
            family: FAMILY,
            containerDefinitions: [
              {
                ...web!,
                image,
                // Each revision tells which one answers (the image's baked-in version is the same).
                environment: [...(web!.environment ?? []), { name: 'APP_VERSION', value: version }],
              },
            ],
          }),
        );
      },
    };
    // The balancer checks the app's health endpoint (as its Terraform would set it), not "/", ELB's default.
    const targetGroup = await elb.send(
      new CreateTargetGroupCommand({
        Name: 'sample-app',
        Protocol: 'HTTP',
        Port: 8080,
        TargetType: 'ip',
        VpcId: 'vpc-local',
        HealthCheckPath: '/api/health-check',
      }),
    );
    const targetGroupArn = targetGroup.TargetGroups![0]!.TargetGroupArn!;
    await ecs.send(new CreateClusterCommand({ clusterName: CLUSTER }));
    await service.register('v1');
    await ecs.send(
      new CreateServiceCommand({
        cluster: CLUSTER,
        serviceName: SERVICE,
        taskDefinition: FAMILY,
        desiredCount: options.desiredCount,
        launchType: 'FARGATE',
        networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-local'] } },
        healthCheckGracePeriodSeconds: 30,
        loadBalancers: [
          {
            targetGroupArn,
            containerName: 'web',
            containerPort: 8080,
          },
        ],
        deploymentConfiguration: {
          deploymentCircuitBreaker: { enable: true, rollback: true },
          maximumPercent: 200,
          minimumHealthyPercent: 100,
        },
      }),
    );
    await until(
      `${options.desiredCount} healthy targets behind the front door`,
      async () => ((await service.healthyTargets()) === options.desiredCount ? true : undefined),
      120_000,
    );
    return service;
  } catch (error) {
    await close();
    throw error;
  }
}
