import { propagateTagsOf, requireNetworkConfiguration, type EcsState } from './ecs-context.js';
import type { Cluster, Task } from './ecs-model.js';
import {
  AwsError,
  clientException,
  epochSeconds,
  invalidParameter,
  optionalBoolean,
  optionalNumber,
  optionalString,
  paginate,
  requiredString,
  stringList,
} from './protocol.js';
import { parseEcsTags } from './task-definitions.js';
import type { TaskLifecycle } from './task-lifecycle.js';

type Operation = (input: Record<string, unknown>) => unknown;

/** RunTask, StopTask, ListTasks, DescribeTasks. */
export function taskOperations(state: EcsState, lifecycle: TaskLifecycle): Record<string, Operation> {
  return {
    RunTask: (input) => runTask(state, lifecycle, input),
    StopTask: (input) => {
      const cluster = state.cluster(optionalString(input, 'cluster'));
      const task = findTask(state, cluster, requiredString(input, 'task'));
      if (!task) throw invalidParameter('The referenced task was not found.');
      lifecycle.stopTask(task, optionalString(input, 'reason') ?? 'Task stopped by user', 'UserInitiated');
      return { task: taskView(state, task) };
    },
    ListTasks: (input) => listTasks(state, input),
    DescribeTasks: (input) => describeTasks(state, input),
  };
}

function runTask(state: EcsState, lifecycle: TaskLifecycle, input: Record<string, unknown>): unknown {
  const cluster = state.cluster(optionalString(input, 'cluster'));
  const record = state.taskDefinitions.resolve(requiredString(input, 'taskDefinition', clientException));
  if (record.status !== 'ACTIVE') throw clientException('TaskDefinition is inactive');
  requireNetworkConfiguration(record, input);
  const count = optionalNumber(input, 'count') ?? 1;
  if (!Number.isInteger(count) || count < 1 || count > 10)
    throw invalidParameter('count must be between 1 and 10.');
  const startedBy = optionalString(input, 'startedBy');
  const group = optionalString(input, 'group') ?? `family:${record.family}`;
  const overrides = (input['overrides'] ?? {}) as Record<string, unknown>;
  // RunTask propagates only the task definition's tags; managed tag keys are our choice (not in the docs).
  const tags = [
    ...(propagateTagsOf(input, ['TASK_DEFINITION', 'NONE']) === 'TASK_DEFINITION' ? record.tags : []),
    ...parseEcsTags(input),
    ...(optionalBoolean(input, 'enableECSManagedTags')
      ? [{ key: 'aws:ecs:clusterName', value: cluster.name }]
      : []),
  ];
  const tasks: Task[] = [];
  for (let index = 0; index < count; index += 1) {
    tasks.push(
      lifecycle.launch(cluster.arn, record, {
        group,
        ...(startedBy ? { startedBy } : {}),
        overrides,
        tags,
        launchType: optionalString(input, 'launchType') ?? 'FARGATE',
      }),
    );
  }
  return { tasks: tasks.map((task) => taskView(state, task)), failures: [] };
}

function findTask(state: EcsState, cluster: Cluster, reference: string): Task | undefined {
  const task = state.tasks.get(reference.split('/').at(-1)!);
  return task && task.clusterArn === cluster.arn ? task : undefined;
}

function listTasks(state: EcsState, input: Record<string, unknown>): unknown {
  const cluster = state.cluster(optionalString(input, 'cluster'));
  const serviceName = optionalString(input, 'serviceName')?.split('/').at(-1);
  const family = optionalString(input, 'family');
  const startedBy = optionalString(input, 'startedBy');
  const desiredStatus = optionalString(input, 'desiredStatus') ?? 'RUNNING';
  if (serviceName && !state.services.has(state.arn('service', `${cluster.name}/${serviceName}`)))
    throw new AwsError('ServiceNotFoundException', 'Service not found.');
  const taskArns = [...state.tasks.values()]
    .filter((task) => task.clusterArn === cluster.arn)
    .filter((task) => !serviceName || task.serviceName === serviceName)
    .filter((task) => !family || task.taskDefinitionArn.includes(`:task-definition/${family}:`))
    .filter((task) => !startedBy || task.startedBy === startedBy)
    .filter((task) => task.desiredStatus === desiredStatus)
    .sort((a, b) => a.createdAt - b.createdAt)
    .map((task) => task.arn);
  const { page, nextToken } = paginate(taskArns, input, 100, 100);
  return { taskArns: page, ...(nextToken ? { nextToken } : {}) };
}

function describeTasks(state: EcsState, input: Record<string, unknown>): unknown {
  const cluster = state.cluster(optionalString(input, 'cluster'));
  const references = stringList(input, 'tasks');
  if (!references || references.length === 0) throw invalidParameter('Tasks cannot be empty.');
  if (references.length > 100) throw invalidParameter('Describe tasks supports up to 100 tasks.');
  const include = stringList(input, 'include') ?? [];
  const tasks: unknown[] = [];
  const failures: unknown[] = [];
  for (const reference of references) {
    const task = findTask(state, cluster, reference);
    if (task) tasks.push(taskView(state, task, include));
    else
      failures.push({
        arn: reference.startsWith('arn:') ? reference : state.arn('task', `${cluster.name}/${reference}`),
        reason: 'MISSING',
      });
  }
  return { tasks, failures };
}

/** A task as DescribeTasks returns it. */
export function taskView(state: EcsState, task: Task, include: string[] = []): Record<string, unknown> {
  const optional = (key: string, value: number | undefined): Record<string, number> =>
    value === undefined ? {} : { [key]: epochSeconds(value) };
  return {
    taskArn: task.arn,
    clusterArn: task.clusterArn,
    taskDefinitionArn: task.taskDefinitionArn,
    overrides: { containerOverrides: [], inferenceAcceleratorOverrides: [], ...task.overrides },
    lastStatus: task.lastStatus,
    desiredStatus: task.desiredStatus,
    healthStatus: task.healthStatus,
    ...(task.cpu ? { cpu: task.cpu } : {}),
    ...(task.memory ? { memory: task.memory } : {}),
    containers: task.containers.map((container) => ({
      containerArn: container.arn,
      taskArn: task.arn,
      name: container.name,
      image: container.image,
      ...(container.imageDigest ? { imageDigest: container.imageDigest } : {}),
      ...(container.runtimeId ? { runtimeId: container.runtimeId } : {}),
      lastStatus: container.lastStatus,
      ...(container.exitCode !== undefined ? { exitCode: container.exitCode } : {}),
      ...(container.reason ? { reason: container.reason } : {}),
      networkBindings:
        container.lastStatus === 'RUNNING' && container.containerPort !== undefined
          ? [
              {
                bindIP: '127.0.0.1',
                containerPort: container.containerPort,
                hostPort: container.hostPort,
                protocol: 'tcp',
              },
            ]
          : [],
      networkInterfaces: [{ attachmentId: uuidFrom(task.id), privateIpv4Address: '127.0.0.1' }],
      healthStatus: container.healthStatus,
    })),
    ...(task.startedBy ? { startedBy: task.startedBy } : {}),
    version: task.version,
    ...(task.stoppedReason ? { stoppedReason: task.stoppedReason } : {}),
    ...(task.stopCode ? { stopCode: task.stopCode } : {}),
    connectivity: task.lastStatus === 'RUNNING' ? 'CONNECTED' : undefined,
    ...optional('connectivityAt', task.startedAt),
    ...optional('pullStartedAt', task.pullStartedAt),
    ...optional('pullStoppedAt', task.pullStoppedAt),
    createdAt: epochSeconds(task.createdAt),
    ...optional('startedAt', task.startedAt),
    ...optional('stoppingAt', task.stoppingAt),
    ...optional('stoppedAt', task.stoppedAt),
    ...optional('executionStoppedAt', task.stoppedAt),
    group: task.group,
    launchType: task.launchType,
    availabilityZone: `${state.deps.region}a`,
    attachments: [],
    ...(include.includes('TAGS') ? { tags: task.tags } : {}),
    enableExecuteCommand: false,
    platformFamily: 'Linux',
  };
}

function uuidFrom(seed: string): string {
  return `${seed.slice(0, 8)}-${seed.slice(8, 12)}-${seed.slice(12, 16)}-${seed.slice(16, 20)}-${seed.slice(20, 32)}`;
}
