import { GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import {
  DescribeTasksCommand,
  RunTaskCommand,
  StopTaskCommand,
  type CapacityProviderStrategyItem,
  type ContainerDefinition,
  type LaunchType,
  type NetworkConfiguration,
  type Task,
} from '@aws-sdk/client-ecs';

import { errorMessage } from '../../../shared/errors.js';
import { formatDuration } from '../../../shared/summary.js';
import { aws, type DeployDeps } from './context.js';
import { describeStoppedTask, stoppedExitCode } from './progress.js';

export interface MigrationRequest {
  cluster: string;
  taskDefinitionArn: string;
  container: ContainerDefinition;
  command: string[];
  timeoutMs: number;
  /** How the task is placed: copied from the first service unless given. */
  launchType?: LaunchType;
  capacityProviderStrategy?: CapacityProviderStrategyItem[];
  networkConfiguration?: NetworkConfiguration;
  platformVersion?: string;
}

export interface MigrationResult {
  taskArn: string;
  exitCode: number;
  durationMs: number;
}

export const LOG_TAIL_LINES = 20;

/** The CloudWatch Logs stream an awslogs-configured container writes to, if it does. */
export function awslogsStream(
  container: ContainerDefinition,
  taskArn: string,
): { group: string; stream: string } | undefined {
  const config = container.logConfiguration;
  if (config?.logDriver !== 'awslogs') return undefined;
  const group = config.options?.['awslogs-group'];
  const prefix = config.options?.['awslogs-stream-prefix'];
  if (!group || !prefix) return undefined;
  const taskId = taskArn.split('/').pop() ?? '';
  return { group, stream: `${prefix}/${container.name ?? ''}/${taskId}` };
}

async function logTail(deps: DeployDeps, container: ContainerDefinition, taskArn: string): Promise<string[]> {
  const location = awslogsStream(container, taskArn);
  if (!location)
    return ['(no log tail: the container has no awslogs log configuration with a stream prefix)'];
  if (!deps.logs) return ['(no log tail: no CloudWatch Logs client)'];
  const logs = deps.logs;
  try {
    const response = await aws(
      deps,
      'logs:GetLogEvents',
      `log stream ${location.group}/${location.stream}`,
      () =>
        logs.send(
          new GetLogEventsCommand({
            logGroupName: location.group,
            logStreamName: location.stream,
            limit: LOG_TAIL_LINES,
            startFromHead: false,
          }),
        ),
    );
    return (response.events ?? []).map((event) => event.message ?? '');
  } catch (error: unknown) {
    return [`(no log tail: ${errorMessage(error)})`];
  }
}

/**
 * Runs a one-off task from the new task definition (a database migration, say) and waits for it to
 * stop. Fails with the container's exit code and the tail of its logs when it does not exit 0.
 */
export async function runMigration(deps: DeployDeps, request: MigrationRequest): Promise<MigrationResult> {
  const started = deps.now();
  const name = request.container.name ?? '';
  const subject = `task definition ${request.taskDefinitionArn} in cluster ${request.cluster}`;
  const ran = await aws(deps, 'ecs:RunTask', subject, () =>
    deps.ecs.send(
      new RunTaskCommand({
        cluster: request.cluster,
        taskDefinition: request.taskDefinitionArn,
        count: 1,
        startedBy: 'shipkit-deploy-ecs',
        overrides: { containerOverrides: [{ name, command: request.command }] },
        ...(request.capacityProviderStrategy?.length
          ? { capacityProviderStrategy: request.capacityProviderStrategy }
          : request.launchType
            ? { launchType: request.launchType }
            : {}),
        ...(request.networkConfiguration ? { networkConfiguration: request.networkConfiguration } : {}),
        ...(request.platformVersion ? { platformVersion: request.platformVersion } : {}),
      }),
    ),
  );
  const taskArn = ran.tasks?.[0]?.taskArn;
  if (!taskArn) {
    const failure = ran.failures?.[0];
    throw new Error(
      `The migration task did not start: ${failure?.reason ?? 'RunTask returned no task'}${failure?.detail ? ` (${failure.detail})` : ''}.`,
    );
  }
  deps.log.info(`Migration task ${taskArn.split('/').pop()} started: ${request.command.join(' ')}`);
  let task: Task | undefined;
  let lastStatus = '';
  for (let poll = 0; ; poll++) {
    const described = await aws(deps, 'ecs:DescribeTasks', subject, () =>
      deps.ecs.send(new DescribeTasksCommand({ cluster: request.cluster, tasks: [taskArn] })),
    );
    task = described.tasks?.[0];
    if (task?.lastStatus && task.lastStatus !== lastStatus) {
      lastStatus = task.lastStatus;
      deps.log.info(`Migration task: ${lastStatus}`);
    }
    if (task?.lastStatus === 'STOPPED') break;
    if (deps.signal?.aborted) {
      throw new Error(
        `Cancelled while the migration task ${taskArn.split('/').pop()} was ${lastStatus || 'starting'}: it keeps running; no service was updated.`,
      );
    }
    if (deps.now() - started > request.timeoutMs) {
      await aws(deps, 'ecs:StopTask', subject, () =>
        deps.ecs.send(
          new StopTaskCommand({
            cluster: request.cluster,
            task: taskArn,
            reason: 'shipkit: migration timed out',
          }),
        ),
      );
      throw new Error(
        `The migration task ${taskArn.split('/').pop()} was still ${lastStatus || 'starting'} after ${formatDuration(request.timeoutMs)}: stopped it; raise "migration-timeout" if it needs longer.`,
      );
    }
    // Fast at first (short migrations), then every 5 s.
    await deps.sleep(Math.min(5000, 1000 + poll * 250));
  }
  const container = task.containers?.find((candidate) => candidate.name === name);
  const exitCode = container?.exitCode ?? stoppedExitCode(task);
  if (exitCode === 0) {
    return { taskArn, exitCode, durationMs: deps.now() - started };
  }
  const tail = await logTail(deps, request.container, taskArn);
  deps.log.info(`Migration task log tail (last ${LOG_TAIL_LINES} lines):`);
  for (const line of tail) deps.log.info(`  ${line}`);
  const lastLine = tail.filter((line) => line.trim() !== '').pop();
  throw new Error(
    `The migration task failed with exit code ${exitCode ?? 'unknown'} (${describeStoppedTask(task)})${lastLine ? `; last log line: ${lastLine.trim()}` : ''}. Nothing was deployed.`,
  );
}
