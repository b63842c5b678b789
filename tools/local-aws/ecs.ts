import { randomBytes, randomUUID } from 'node:crypto';

import type {
  Cluster,
  Deployment,
  DeploymentConfiguration,
  LoadBalancer,
  Service,
  ServiceFaults,
  Task,
  TaskContainer,
} from './ecs-model.js';
import {
  AwsError,
  clientException,
  epochSeconds,
  invalidParameter,
  objectList,
  optionalBoolean,
  optionalNumber,
  optionalString,
  paginate,
  requiredString,
  stringList,
  type Tag,
} from './protocol.js';
import { TaskLifecycle } from './task-lifecycle.js';
import { planRollout, type PlannedTask, type TaskPhase } from './rollout.js';
import { mergeTags } from './ecr.js';
import type { LogsService } from './logs.js';
import type { LocalAwsKnobs } from './options.js';
import {
  dockerHealthcheck,
  parseEcsTags,
  TaskDefinitionStore,
  type ContainerDefinition,
  type TaskDefinitionRecord,
} from './task-definitions.js';
import type { TaskRuntime } from './task-runtime.js';

export interface EcsDependencies {
  region: string;
  accountId: string;
  instanceId: string;
  knobs: LocalAwsKnobs;
  runtime: TaskRuntime;
  secrets: Record<string, string>;
  now?: () => number;
  /** A load-balanced service was created (or its port re-pinned): open its front door. */
  onLoadBalancedService?: (service: Service) => void;
  log?: (message: string) => void;
  /** CloudWatch Logs: where awslogs containers' lines are published. */
  logs?: LogsService;
}

const FRONT_DOOR_TAG = 'local-aws:front-door-port';
const MAX_EVENTS = 100;
const STOPPED_TASK_RETENTION_MS = 3600_000;

export class EcsService {
  readonly clusters = new Map<string, Cluster>();
  /** Keyed by service ARN; deleted services stay (INACTIVE) as ECS keeps them describable. */
  readonly services = new Map<string, Service>();
  readonly tasks = new Map<string, Task>();
  readonly taskDefinitions: TaskDefinitionStore;
  private readonly deps: EcsDependencies;
  private readonly now: () => number;
  private frontDoorCounter = 0;
  private ticking = false;
  private closed = false;
  private readonly lifecycle: TaskLifecycle;

  constructor(deps: EcsDependencies) {
    this.deps = deps;
    this.now = deps.now ?? Date.now;
    this.taskDefinitions = new TaskDefinitionStore(deps.region, deps.accountId, this.now);
    this.lifecycle = new TaskLifecycle(deps, this.tasks, (task) => this.countFailure(task));
  }

  private get knobs(): LocalAwsKnobs {
    return this.deps.knobs;
  }

  private arn(kind: string, path: string): string {
    return `arn:aws:ecs:${this.deps.region}:${this.deps.accountId}:${kind}/${path}`;
  }

  readonly operations: Record<string, (input: Record<string, unknown>) => Promise<unknown>> = {
    CreateCluster: (input) => Promise.resolve(this.createCluster(input)),
    DescribeClusters: (input) => Promise.resolve(this.describeClusters(input)),
    ListClusters: () =>
      Promise.resolve({
        clusterArns: [...this.clusters.values()].filter((c) => c.status === 'ACTIVE').map((c) => c.arn),
      }),
    DeleteCluster: (input) => Promise.resolve(this.deleteCluster(input)),
    RegisterTaskDefinition: (input) => Promise.resolve(this.registerTaskDefinition(input)),
    DescribeTaskDefinition: (input) => Promise.resolve(this.describeTaskDefinition(input)),
    DeregisterTaskDefinition: (input) =>
      Promise.resolve({
        taskDefinition: this.taskDefinitions.view(
          this.taskDefinitions.deregister(requiredString(input, 'taskDefinition', clientException)),
        ),
      }),
    ListTaskDefinitions: (input) => {
      const { page, nextToken } = paginate(this.taskDefinitions.list(input), input, 100, 100);
      return Promise.resolve({ taskDefinitionArns: page, ...(nextToken ? { nextToken } : {}) });
    },
    ListTaskDefinitionFamilies: (input) => {
      const { page, nextToken } = paginate(this.taskDefinitions.families(input), input, 100, 100);
      return Promise.resolve({ families: page, ...(nextToken ? { nextToken } : {}) });
    },
    CreateService: (input) => Promise.resolve(this.createService(input)),
    UpdateService: (input) => Promise.resolve(this.updateService(input)),
    DescribeServices: (input) => Promise.resolve(this.describeServices(input)),
    ListServices: (input) => Promise.resolve(this.listServices(input)),
    DeleteService: (input) => Promise.resolve(this.deleteService(input)),
    RunTask: (input) => Promise.resolve(this.runTask(input)),
    StopTask: (input) => Promise.resolve(this.stopTaskOperation(input)),
    ListTasks: (input) => Promise.resolve(this.listTasks(input)),
    DescribeTasks: (input) => Promise.resolve(this.describeTasks(input)),
    TagResource: (input) => Promise.resolve(this.tagResource(input)),
    UntagResource: (input) => Promise.resolve(this.untagResource(input)),
    ListTagsForResource: (input) =>
      Promise.resolve({ tags: this.taggable(requiredString(input, 'resourceArn')).tags }),
  };

  // ---------------------------------------------------------------- clusters

  private cluster(reference: string | undefined): Cluster {
    const name = clusterName(reference ?? 'default');
    const cluster = this.clusters.get(name);
    if (!cluster || cluster.status !== 'ACTIVE')
      throw new AwsError('ClusterNotFoundException', 'Cluster not found.');
    return cluster;
  }

  private createCluster(input: Record<string, unknown>): unknown {
    const name = optionalString(input, 'clusterName') ?? 'default';
    if (!/^[a-zA-Z0-9_-]{1,255}$/.test(name)) {
      throw invalidParameter(
        'Cluster names may contain up to 255 letters, numbers, hyphens and underscores.',
      );
    }
    const existing = this.clusters.get(name);
    if (existing && existing.status === 'ACTIVE') return { cluster: this.clusterView(existing) };
    const cluster: Cluster = {
      name,
      arn: this.arn('cluster', name),
      status: 'ACTIVE',
      tags: parseEcsTags(input),
      settings: objectList(input, 'settings') as { name: string; value: string }[],
    };
    this.clusters.set(name, cluster);
    return { cluster: this.clusterView(cluster) };
  }

  private clusterView(cluster: Cluster, include: string[] = []): Record<string, unknown> {
    const tasks = [...this.tasks.values()].filter((task) => task.clusterArn === cluster.arn);
    const services = [...this.services.values()].filter(
      (service) => service.clusterArn === cluster.arn && service.status === 'ACTIVE',
    );
    return {
      clusterArn: cluster.arn,
      clusterName: cluster.name,
      status: cluster.status,
      registeredContainerInstancesCount: 0,
      runningTasksCount: tasks.filter((task) => task.lastStatus === 'RUNNING').length,
      pendingTasksCount: tasks.filter((task) =>
        ['PROVISIONING', 'PENDING', 'ACTIVATING'].includes(task.lastStatus),
      ).length,
      activeServicesCount: services.length,
      statistics: [],
      tags: include.includes('TAGS') ? cluster.tags : [],
      settings:
        cluster.settings.length > 0 ? cluster.settings : [{ name: 'containerInsights', value: 'disabled' }],
      capacityProviders: [],
      defaultCapacityProviderStrategy: [],
    };
  }

  private describeClusters(input: Record<string, unknown>): unknown {
    const references = stringList(input, 'clusters') ?? ['default'];
    const include = stringList(input, 'include') ?? [];
    const clusters: unknown[] = [];
    const failures: unknown[] = [];
    for (const reference of references) {
      const cluster = this.clusters.get(clusterName(reference));
      if (cluster) clusters.push(this.clusterView(cluster, include));
      else
        failures.push({
          arn: reference.startsWith('arn:') ? reference : this.arn('cluster', reference),
          reason: 'MISSING',
        });
    }
    return { clusters, failures };
  }

  private deleteCluster(input: Record<string, unknown>): unknown {
    const cluster = this.cluster(requiredString(input, 'cluster'));
    const busy = [...this.services.values()].some(
      (service) => service.clusterArn === cluster.arn && service.status !== 'INACTIVE',
    );
    if (busy)
      throw new AwsError(
        'ClusterContainsServicesException',
        'The Cluster cannot be deleted while Services are active.',
      );
    if (
      [...this.tasks.values()].some(
        (task) => task.clusterArn === cluster.arn && task.lastStatus !== 'STOPPED',
      )
    ) {
      throw new AwsError(
        'ClusterContainsTasksException',
        'The Cluster cannot be deleted while Tasks are active.',
      );
    }
    cluster.status = 'INACTIVE';
    return { cluster: this.clusterView(cluster) };
  }

  // ---------------------------------------------------------------- task definitions

  private registerTaskDefinition(input: Record<string, unknown>): unknown {
    for (const container of objectList(input, 'containerDefinitions')) {
      // Validate the health check now, as ECS does at registration.
      dockerHealthcheck((container as unknown as ContainerDefinition).healthCheck, 1000);
    }
    const record = this.taskDefinitions.register(input);
    return { taskDefinition: this.taskDefinitions.view(record), tags: record.tags };
  }

  private describeTaskDefinition(input: Record<string, unknown>): unknown {
    const record = this.taskDefinitions.resolve(requiredString(input, 'taskDefinition', clientException));
    const include = stringList(input, 'include') ?? [];
    return {
      taskDefinition: this.taskDefinitions.view(record),
      ...(include.includes('TAGS') ? { tags: record.tags } : {}),
    };
  }

  // ---------------------------------------------------------------- services

  private service(cluster: Cluster, reference: string): Service {
    const name = reference.startsWith('arn:') ? reference.split('/').at(-1)! : reference;
    const service = this.services.get(this.arn('service', `${cluster.name}/${name}`));
    if (!service) throw new AwsError('ServiceNotFoundException', 'Service not found.');
    if (service.status !== 'ACTIVE')
      throw new AwsError('ServiceNotActiveException', 'Service was not ACTIVE.');
    return service;
  }

  private newDeployment(service: Service, taskDefinitionArn: string, rollbackOf?: string): Deployment {
    const id = `ecs-svc/${BigInt(`0x${randomBytes(8).toString('hex')}`)
      .toString()
      .padStart(19, '0')
      .slice(0, 19)}`;
    const now = this.now();
    for (const deployment of service.deployments) {
      if (deployment.status === 'PRIMARY') {
        deployment.status = 'ACTIVE';
        deployment.updatedAt = now;
      }
    }
    const deployment: Deployment = {
      id,
      status: 'PRIMARY',
      taskDefinitionArn,
      desiredCount: service.desiredCount,
      failedTasks: 0,
      createdAt: now,
      updatedAt: now,
      rolloutState: 'IN_PROGRESS',
      rolloutStateReason: `ECS deployment ${id} in progress.`,
      ...(rollbackOf ? { rollbackOf } : {}),
    };
    service.deployments.unshift(deployment);
    service.taskDefinitionArn = taskDefinitionArn;
    service.steady = false;
    return deployment;
  }

  private event(service: Service, message: string): void {
    service.events.unshift({
      id: randomUUID(),
      createdAt: this.now(),
      message: `(service ${service.name}) ${message}`,
    });
    service.events.length = Math.min(service.events.length, MAX_EVENTS);
    this.deps.log?.(`${service.name}: ${message}`);
  }

  private createService(input: Record<string, unknown>): unknown {
    const cluster = this.cluster(optionalString(input, 'cluster'));
    const name = requiredString(input, 'serviceName');
    if (!/^[a-zA-Z0-9_-]{1,255}$/.test(name)) {
      throw invalidParameter(
        'Service names may contain up to 255 letters, numbers, hyphens and underscores.',
      );
    }
    const arn = this.arn('service', `${cluster.name}/${name}`);
    const existing = this.services.get(arn);
    if (existing && existing.status !== 'INACTIVE') {
      throw invalidParameter('Creation of service was not idempotent.');
    }
    const taskDefinitionReference = optionalString(input, 'taskDefinition');
    if (!taskDefinitionReference) throw invalidParameter('TaskDefinition must be specified.');
    const taskDefinition = this.taskDefinitions.resolve(taskDefinitionReference);
    if (taskDefinition.status !== 'ACTIVE') throw clientException('TaskDefinition is inactive');
    const desiredCount = optionalNumber(input, 'desiredCount') ?? 0;
    if (!Number.isInteger(desiredCount) || desiredCount < 0)
      throw invalidParameter('desiredCount must be >= 0.');
    const loadBalancers = objectList(input, 'loadBalancers') as LoadBalancer[];
    for (const loadBalancer of loadBalancers) this.checkLoadBalancer(loadBalancer, taskDefinition);
    const tags = parseEcsTags(input);
    const service: Service = {
      name,
      arn,
      clusterArn: cluster.arn,
      status: 'ACTIVE',
      desiredCount,
      taskDefinitionArn: taskDefinition.arn,
      launchType: optionalString(input, 'launchType') ?? 'FARGATE',
      loadBalancers,
      deploymentConfiguration: deploymentConfiguration(input['deploymentConfiguration'], undefined),
      deployments: [],
      events: [],
      createdAt: this.now(),
      tags,
      enableExecuteCommand: optionalBoolean(input, 'enableExecuteCommand') ?? false,
      propagateTags: optionalString(input, 'propagateTags') ?? 'NONE',
      steady: false,
      faults: { failToStart: 0, crash: 0, crashAfterSeconds: 0, failHealthCheck: false },
    };
    const grace = optionalNumber(input, 'healthCheckGracePeriodSeconds');
    if (grace !== undefined) service.healthCheckGracePeriodSeconds = grace;
    if (input['networkConfiguration'] !== undefined)
      service.networkConfiguration = input['networkConfiguration'];
    const platformVersion = optionalString(input, 'platformVersion');
    if (platformVersion) service.platformVersion = platformVersion;
    if (loadBalancers.length > 0) {
      service.frontDoorIndex = this.frontDoorCounter++;
      const pinned = tags.find((tag) => tag.key === FRONT_DOOR_TAG);
      if (pinned) service.frontDoorPort = Number(pinned.value);
    }
    this.services.set(arn, service);
    this.newDeployment(service, taskDefinition.arn);
    if (loadBalancers.length > 0) this.deps.onLoadBalancedService?.(service);
    return { service: this.serviceView(service) };
  }

  private checkLoadBalancer(loadBalancer: LoadBalancer, taskDefinition: TaskDefinitionRecord): void {
    const containers = taskDefinition.body['containerDefinitions'] as ContainerDefinition[];
    const container = containers.find((candidate) => candidate.name === loadBalancer.containerName);
    if (!container) {
      throw invalidParameter(
        `The container ${loadBalancer.containerName ?? '(none)'} does not exist in the task definition.`,
      );
    }
    const ports = (container.portMappings ?? []).map((mapping) => mapping.containerPort);
    if (!ports.includes(loadBalancer.containerPort)) {
      throw invalidParameter(
        `The container ${container.name} did not have a container port ${loadBalancer.containerPort ?? '(none)'} defined.`,
      );
    }
  }

  private updateService(input: Record<string, unknown>): unknown {
    const cluster = this.cluster(optionalString(input, 'cluster'));
    const service = this.service(cluster, requiredString(input, 'service'));
    const desiredCount = optionalNumber(input, 'desiredCount');
    if (desiredCount !== undefined) {
      if (!Number.isInteger(desiredCount) || desiredCount < 0)
        throw invalidParameter('desiredCount must be >= 0.');
      service.desiredCount = desiredCount;
      const primary = service.deployments.find((deployment) => deployment.status === 'PRIMARY');
      if (primary) primary.desiredCount = desiredCount;
      service.steady = false;
    }
    if (input['deploymentConfiguration'] !== undefined) {
      service.deploymentConfiguration = deploymentConfiguration(
        input['deploymentConfiguration'],
        service.deploymentConfiguration,
      );
    }
    const grace = optionalNumber(input, 'healthCheckGracePeriodSeconds');
    if (grace !== undefined) service.healthCheckGracePeriodSeconds = grace;
    const reference = optionalString(input, 'taskDefinition');
    let taskDefinitionArn = service.taskDefinitionArn;
    if (reference) {
      const record = this.taskDefinitions.resolve(reference);
      if (record.status !== 'ACTIVE') throw clientException('TaskDefinition is inactive');
      for (const loadBalancer of service.loadBalancers) this.checkLoadBalancer(loadBalancer, record);
      taskDefinitionArn = record.arn;
    }
    const force = optionalBoolean(input, 'forceNewDeployment') === true;
    if (taskDefinitionArn !== service.taskDefinitionArn || force) {
      this.newDeployment(service, taskDefinitionArn);
    }
    return { service: this.serviceView(service) };
  }

  private serviceView(service: Service, include: string[] = []): Record<string, unknown> {
    const live = (deploymentId: string | undefined): Task[] =>
      [...this.tasks.values()].filter(
        (task) =>
          task.serviceName === service.name &&
          task.clusterArn === service.clusterArn &&
          (deploymentId === undefined || task.deploymentId === deploymentId) &&
          task.desiredStatus === 'RUNNING',
      );
    const running = (tasks: Task[]): number => tasks.filter((task) => task.lastStatus === 'RUNNING').length;
    const pending = (tasks: Task[]): number =>
      tasks.filter((task) => ['PROVISIONING', 'PENDING', 'ACTIVATING'].includes(task.lastStatus)).length;
    const all = live(undefined);
    return {
      serviceArn: service.arn,
      serviceName: service.name,
      clusterArn: service.clusterArn,
      loadBalancers: service.loadBalancers,
      serviceRegistries: [],
      status: service.status,
      desiredCount: service.desiredCount,
      runningCount: running(all),
      pendingCount: pending(all),
      launchType: service.launchType,
      ...(service.platformVersion ? { platformVersion: service.platformVersion } : {}),
      taskDefinition: service.taskDefinitionArn,
      deploymentConfiguration: service.deploymentConfiguration,
      deployments: service.deployments.map((deployment) => {
        const tasks = live(deployment.id);
        return {
          id: deployment.id,
          status: deployment.status,
          taskDefinition: deployment.taskDefinitionArn,
          desiredCount: deployment.desiredCount,
          pendingCount: pending(tasks),
          runningCount: running(tasks),
          failedTasks: deployment.failedTasks,
          createdAt: epochSeconds(deployment.createdAt),
          updatedAt: epochSeconds(deployment.updatedAt),
          launchType: service.launchType,
          ...(service.networkConfiguration ? { networkConfiguration: service.networkConfiguration } : {}),
          rolloutState: deployment.rolloutState,
          rolloutStateReason: deployment.rolloutStateReason,
        };
      }),
      events: service.events.map((event) => ({
        id: event.id,
        createdAt: epochSeconds(event.createdAt),
        message: event.message,
      })),
      createdAt: epochSeconds(service.createdAt),
      placementConstraints: [],
      placementStrategy: [],
      ...(service.networkConfiguration ? { networkConfiguration: service.networkConfiguration } : {}),
      ...(service.healthCheckGracePeriodSeconds !== undefined
        ? { healthCheckGracePeriodSeconds: service.healthCheckGracePeriodSeconds }
        : {}),
      schedulingStrategy: 'REPLICA',
      deploymentController: { type: 'ECS' },
      ...(include.includes('TAGS') ? { tags: service.tags } : {}),
      createdBy: `arn:aws:iam::${this.deps.accountId}:root`,
      enableECSManagedTags: false,
      propagateTags: service.propagateTags,
      enableExecuteCommand: service.enableExecuteCommand,
    };
  }

  private describeServices(input: Record<string, unknown>): unknown {
    const cluster = this.cluster(optionalString(input, 'cluster'));
    const references = stringList(input, 'services');
    if (!references || references.length === 0) throw invalidParameter('Services cannot be empty.');
    if (references.length > 10) throw invalidParameter('Describe services supports up to 10 services.');
    const include = stringList(input, 'include') ?? [];
    const services: unknown[] = [];
    const failures: unknown[] = [];
    for (const reference of references) {
      const name = reference.startsWith('arn:') ? reference.split('/').at(-1)! : reference;
      const arn = this.arn('service', `${cluster.name}/${name}`);
      const service = this.services.get(arn);
      if (service) services.push(this.serviceView(service, include));
      else failures.push({ arn, reason: 'MISSING' });
    }
    return { services, failures };
  }

  private listServices(input: Record<string, unknown>): unknown {
    const cluster = this.cluster(optionalString(input, 'cluster'));
    const arns = [...this.services.values()]
      .filter((service) => service.clusterArn === cluster.arn && service.status === 'ACTIVE')
      .map((service) => service.arn);
    const { page, nextToken } = paginate(arns, input, 10, 100);
    return { serviceArns: page, ...(nextToken ? { nextToken } : {}) };
  }

  private deleteService(input: Record<string, unknown>): unknown {
    const cluster = this.cluster(optionalString(input, 'cluster'));
    const service = this.service(cluster, requiredString(input, 'service'));
    if (service.desiredCount > 0 && optionalBoolean(input, 'force') !== true) {
      throw invalidParameter('The service cannot be stopped while it is scaled above 0.');
    }
    service.desiredCount = 0;
    service.status = 'DRAINING';
    for (const deployment of service.deployments) deployment.desiredCount = 0;
    return { service: this.serviceView(service) };
  }

  /** The admin endpoint's view: where each load-balanced service answers. */
  serviceFaults(clusterReference: string | undefined, serviceName: string): ServiceFaults {
    return this.service(this.cluster(clusterReference), serviceName).faults;
  }

  findService(clusterReference: string | undefined, serviceName: string): Service {
    return this.service(this.cluster(clusterReference), serviceName);
  }

  /** HEALTHY RUNNING tasks behind a service's load balancer, as (port) targets. */
  targets(service: Service): number[] {
    const loadBalancer = service.loadBalancers[0];
    return [...this.tasks.values()]
      .filter(
        (task) =>
          task.serviceName === service.name &&
          task.clusterArn === service.clusterArn &&
          task.desiredStatus === 'RUNNING' &&
          this.phase(task, service) === 'healthy',
      )
      .map((task) => {
        const container =
          task.containers.find((candidate) => candidate.name === loadBalancer?.containerName) ??
          task.containers[0];
        return container?.hostPort ?? 0;
      })
      .filter((port) => port > 0);
  }

  // ---------------------------------------------------------------- tasks

  private runTask(input: Record<string, unknown>): unknown {
    const cluster = this.cluster(optionalString(input, 'cluster'));
    const record = this.taskDefinitions.resolve(requiredString(input, 'taskDefinition', clientException));
    if (record.status !== 'ACTIVE') throw clientException('TaskDefinition is inactive');
    const count = optionalNumber(input, 'count') ?? 1;
    if (!Number.isInteger(count) || count < 1 || count > 10)
      throw invalidParameter('count must be between 1 and 10.');
    const startedBy = optionalString(input, 'startedBy');
    const group = optionalString(input, 'group') ?? `family:${record.family}`;
    const overrides = (input['overrides'] ?? {}) as Record<string, unknown>;
    const tasks: Task[] = [];
    for (let index = 0; index < count; index += 1) {
      tasks.push(
        this.lifecycle.launch(cluster.arn, record, {
          group,
          ...(startedBy ? { startedBy } : {}),
          overrides,
          tags: parseEcsTags(input),
          launchType: optionalString(input, 'launchType') ?? 'FARGATE',
        }),
      );
    }
    return { tasks: tasks.map((task) => this.taskView(task)), failures: [] };
  }

  private task(cluster: Cluster, reference: string): Task | undefined {
    const id = reference.split('/').at(-1)!;
    const task = this.tasks.get(id);
    return task && task.clusterArn === cluster.arn ? task : undefined;
  }

  private stopTaskOperation(input: Record<string, unknown>): unknown {
    const cluster = this.cluster(optionalString(input, 'cluster'));
    const task = this.task(cluster, requiredString(input, 'task'));
    if (!task) throw invalidParameter('The referenced task was not found.');
    const reason = optionalString(input, 'reason') ?? 'Task stopped by user';
    this.lifecycle.stopTask(task, reason, 'UserInitiated');
    return { task: this.taskView(task) };
  }

  private listTasks(input: Record<string, unknown>): unknown {
    const cluster = this.cluster(optionalString(input, 'cluster'));
    const serviceName = optionalString(input, 'serviceName');
    const family = optionalString(input, 'family');
    const startedBy = optionalString(input, 'startedBy');
    const desiredStatus = optionalString(input, 'desiredStatus') ?? 'RUNNING';
    if (serviceName) {
      const service = this.services.get(
        this.arn('service', `${cluster.name}/${serviceName.split('/').at(-1)!}`),
      );
      if (!service) throw new AwsError('ServiceNotFoundException', 'Service not found.');
    }
    const taskArns = [...this.tasks.values()]
      .filter((task) => task.clusterArn === cluster.arn)
      .filter((task) => !serviceName || task.serviceName === serviceName.split('/').at(-1))
      .filter((task) => !family || task.taskDefinitionArn.includes(`:task-definition/${family}:`))
      .filter((task) => !startedBy || task.startedBy === startedBy)
      .filter((task) => task.desiredStatus === desiredStatus)
      .sort((a, b) => a.createdAt - b.createdAt)
      .map((task) => task.arn);
    const { page, nextToken } = paginate(taskArns, input, 100, 100);
    return { taskArns: page, ...(nextToken ? { nextToken } : {}) };
  }

  private describeTasks(input: Record<string, unknown>): unknown {
    const cluster = this.cluster(optionalString(input, 'cluster'));
    const references = stringList(input, 'tasks');
    if (!references || references.length === 0) throw invalidParameter('Tasks cannot be empty.');
    if (references.length > 100) throw invalidParameter('Describe tasks supports up to 100 tasks.');
    const include = stringList(input, 'include') ?? [];
    const tasks: unknown[] = [];
    const failures: unknown[] = [];
    for (const reference of references) {
      const task = this.task(cluster, reference);
      if (task) tasks.push(this.taskView(task, include));
      else
        failures.push({
          arn: reference.startsWith('arn:') ? reference : this.arn('task', `${cluster.name}/${reference}`),
          reason: 'MISSING',
        });
    }
    return { tasks, failures };
  }

  private taskView(task: Task, include: string[] = []): Record<string, unknown> {
    const time = (value: number | undefined): Record<string, number> | undefined =>
      value === undefined ? undefined : { value: epochSeconds(value) };
    const optional = (key: string, value: number | undefined): Record<string, number> =>
      value === undefined ? {} : { [key]: time(value)!['value']! };
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
        networkInterfaces: [{ attachmentId: randomUUIDFrom(task.id), privateIpv4Address: '127.0.0.1' }],
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
      availabilityZone: `${this.deps.region}a`,
      attachments: [],
      ...(include.includes('TAGS') ? { tags: task.tags } : {}),
      enableExecuteCommand: false,
      platformFamily: 'Linux',
    };
  }

  // ---------------------------------------------------------------- the scheduler

  /** Where a task is in its life, for the rollout: starting, running (not yet healthy) or healthy. */
  private phase(task: Task, service: Service | undefined): TaskPhase {
    if (task.lastStatus !== 'RUNNING') return 'starting';
    if (service?.faults.failHealthCheck) return 'running';
    const checked = task.containers.filter((container) => container.essential && container.hasHealthCheck);
    if (checked.length > 0) return task.healthStatus === 'HEALTHY' ? 'healthy' : 'running';
    return this.now() - (task.startedAt ?? this.now()) >= this.knobs.healthyAfterMs ? 'healthy' : 'running';
  }

  /** Reads every running container's state from the runtime and stops tasks that exited or went unhealthy. */
  private async refreshTasks(): Promise<void> {
    const running = [...this.tasks.values()].filter(
      (task) => task.lastStatus === 'RUNNING' && task.desiredStatus === 'RUNNING',
    );
    // One list call for every container of this instance; only exited ones are inspected (exit code, OOM).
    const listed =
      running.length > 0
        ? await this.deps.runtime.listStates?.(this.deps.instanceId).catch(() => undefined)
        : undefined;
    await Promise.all(
      running.map(async (task) => {
        const service = task.serviceName
          ? this.services.get(
              this.arn('service', `${task.clusterArn.split('/').at(-1)!}/${task.serviceName}`),
            )
          : undefined;
        for (const container of task.containers) {
          if (!container.runtimeId) continue;
          const quick = listed?.get(container.runtimeId);
          if (quick?.running) {
            container.healthStatus = healthOf(quick.health);
            continue;
          }
          const state = await this.deps.runtime.inspect(container.runtimeId).catch(() => undefined);
          if (!state) continue;
          if (!state.running) {
            container.lastStatus = 'STOPPED';
            container.exitCode = state.status === 'missing' ? 137 : state.exitCode;
            container.reason = state.oomKilled
              ? 'OutOfMemoryError: Container killed due to memory usage'
              : state.error || undefined;
            if (container.essential && task.desiredStatus === 'RUNNING') {
              this.countFailure(task);
              this.lifecycle.stopTask(task, 'Essential container in task exited', 'EssentialContainerExited');
              return;
            }
            continue;
          }
          container.healthStatus = healthOf(state.health);
        }
        const checked = task.containers.filter(
          (container) => container.essential && container.hasHealthCheck,
        );
        task.healthStatus =
          checked.length === 0
            ? 'UNKNOWN'
            : checked.some((container) => container.healthStatus === 'UNHEALTHY')
              ? 'UNHEALTHY'
              : checked.every((container) => container.healthStatus === 'HEALTHY')
                ? 'HEALTHY'
                : 'UNKNOWN';
        const forcedUnhealthy = service?.faults.failHealthCheck === true;
        if (forcedUnhealthy) task.healthStatus = 'UNHEALTHY';
        const graceMs = (service?.healthCheckGracePeriodSeconds ?? 0) * 1000;
        const inGrace = this.now() - (task.startedAt ?? 0) < graceMs;
        if (task.healthStatus === 'UNHEALTHY' && !inGrace) {
          this.countFailure(task);
          const reason =
            service && service.loadBalancers.length > 0 && forcedUnhealthy
              ? `Task failed ELB health checks in (target-group ${service.loadBalancers[0]?.targetGroupArn ?? ''})`
              : 'Task failed container health checks';
          if (service) {
            this.event(
              service,
              reason.startsWith('Task failed ELB')
                ? `(task ${task.id}) failed ELB health checks in (target-group ${service.loadBalancers[0]?.targetGroupArn ?? ''}).`
                : `(task ${task.id}) failed container health checks.`,
            );
          }
          this.lifecycle.stopTask(task, reason, 'ServiceSchedulerInitiated');
        }
      }),
    );
  }

  /** A PRIMARY task that failed while its rollout is in progress feeds the circuit breaker. */
  private countFailure(task: Task): void {
    if (task.failureCounted || !task.serviceName || !task.deploymentId) return;
    task.failureCounted = true;
    const service = [...this.services.values()].find(
      (candidate) => candidate.name === task.serviceName && candidate.clusterArn === task.clusterArn,
    );
    const deployment = service?.deployments.find((candidate) => candidate.id === task.deploymentId);
    if (!service || !deployment) return;
    deployment.failedTasks += 1;
    deployment.updatedAt = this.now();
  }

  private circuitBreakerThreshold(desiredCount: number): number {
    if (this.knobs.circuitBreakerThreshold > 0) return this.knobs.circuitBreakerThreshold;
    return Math.min(Math.max(3, Math.ceil(desiredCount / 2)), 200);
  }

  private reconcile(service: Service): void {
    const primary = service.deployments.find((deployment) => deployment.status === 'PRIMARY');
    if (!primary) return;
    const breaker = service.deploymentConfiguration.deploymentCircuitBreaker;
    if (
      breaker.enable &&
      primary.rolloutState === 'IN_PROGRESS' &&
      primary.failedTasks >= this.circuitBreakerThreshold(primary.desiredCount)
    ) {
      primary.rolloutState = 'FAILED';
      primary.rolloutStateReason = 'ECS deployment circuit breaker: tasks failed to start.';
      primary.updatedAt = this.now();
      this.event(service, `(deployment ${primary.id}) deployment failed: tasks failed to start.`);
      const target = service.lastCompletedTaskDefinitionArn;
      // A failed rollback is not rolled back again (it would loop on the same revision).
      if (breaker.rollback && target && !primary.rollbackOf) {
        const completedId = service.lastCompletedDeploymentId ?? '';
        const rollback = this.newDeployment(service, target, primary.id);
        rollback.rolloutStateReason = `ECS deployment circuit breaker: rolling back to deploymentId ${completedId}.`;
        this.event(service, `rolling back to deployment ${completedId}.`);
        return;
      }
    }
    const live = [...this.tasks.values()].filter(
      (task) =>
        task.serviceName === service.name &&
        task.clusterArn === service.clusterArn &&
        task.desiredStatus === 'RUNNING',
    );
    const planned = (deploymentId: string): PlannedTask[] =>
      live
        .filter((task) => task.deploymentId === deploymentId)
        .map((task) => ({ id: task.id, phase: this.phase(task, service) }));
    const olderIds = new Set(
      service.deployments.filter((deployment) => deployment !== primary).map((deployment) => deployment.id),
    );
    const step = planRollout({
      desiredCount: service.status === 'ACTIVE' ? service.desiredCount : 0,
      maximumPercent: service.deploymentConfiguration.maximumPercent,
      minimumHealthyPercent: service.deploymentConfiguration.minimumHealthyPercent,
      primary: planned(primary.id),
      primaryMayLaunch: primary.rolloutState !== 'FAILED',
      older: live
        .filter((task) => task.deploymentId && olderIds.has(task.deploymentId))
        .map((task) => ({ id: task.id, phase: this.phase(task, service) })),
    });
    for (const id of step.stop) {
      const task = this.tasks.get(id)!;
      const superseded = task.deploymentId !== primary.id;
      this.lifecycle.stopTask(
        task,
        superseded ? `Scaling activity initiated by (deployment ${primary.id})` : 'Service scaled in',
        'ServiceSchedulerInitiated',
      );
    }
    if (step.start > 0) {
      const record = this.taskDefinitions.byArn(primary.taskDefinitionArn)!;
      const started: string[] = [];
      for (let index = 0; index < step.start; index += 1) {
        const task = this.lifecycle.launch(service.clusterArn, record, {
          group: `service:${service.name}`,
          startedBy: primary.id,
          service,
          deploymentId: primary.id,
          overrides: {},
          tags: service.propagateTags === 'SERVICE' ? service.tags : [],
          launchType: service.launchType,
        });
        started.push(task.id);
      }
      this.event(
        service,
        `has started ${step.start} tasks: ${started.map((id) => `(task ${id})`).join(' ')}.`,
      );
    }
    if (step.stop.length > 0) {
      this.event(
        service,
        `has stopped ${step.stop.length} running tasks: ${step.stop.map((id) => `(task ${id})`).join(' ')}.`,
      );
    }
    this.settle(service, primary, live);
  }

  /** Drops drained deployments, completes the rollout, logs the steady state. */
  private settle(service: Service, primary: Deployment, live: Task[]): void {
    const now = this.now();
    const hasTasks = (deployment: Deployment): boolean =>
      [...this.tasks.values()].some(
        (task) => task.deploymentId === deployment.id && task.lastStatus !== 'STOPPED',
      );
    service.deployments = service.deployments.filter(
      (deployment) => deployment === primary || hasTasks(deployment),
    );
    const primaryHealthy = live.filter(
      (task) =>
        task.deploymentId === primary.id &&
        task.desiredStatus === 'RUNNING' &&
        this.phase(task, service) === 'healthy',
    ).length;
    const desired = service.status === 'ACTIVE' ? service.desiredCount : 0;
    const onlyPrimary = service.deployments.length === 1;
    if (primary.rolloutState === 'IN_PROGRESS' && onlyPrimary && primaryHealthy === desired) {
      primary.rolloutState = 'COMPLETED';
      primary.rolloutStateReason = `ECS deployment ${primary.id} completed.`;
      primary.updatedAt = now;
      service.lastCompletedTaskDefinitionArn = primary.taskDefinitionArn;
      service.lastCompletedDeploymentId = primary.id;
      this.event(service, `(deployment ${primary.id}) deployment completed.`);
    }
    const running = live.filter((task) => task.lastStatus === 'RUNNING').length;
    const steady =
      onlyPrimary && running === desired && primaryHealthy === desired && live.length === desired;
    if (steady && !service.steady) this.event(service, 'has reached a steady state.');
    service.steady = steady;
    if (service.status === 'DRAINING' && live.length === 0 && !hasTasks(primary)) {
      service.status = 'INACTIVE';
    }
  }

  /** One scheduler pass; skipped while the previous one still runs. */
  async tick(): Promise<void> {
    if (this.ticking || this.closed) return;
    this.ticking = true;
    try {
      await this.refreshTasks();
      for (const service of this.services.values()) {
        if (service.status !== 'INACTIVE') this.reconcile(service);
      }
      this.pruneStoppedTasks();
    } finally {
      this.ticking = false;
    }
  }

  private pruneStoppedTasks(): void {
    const cutoff = this.now() - STOPPED_TASK_RETENTION_MS;
    for (const [id, task] of this.tasks) {
      if (task.lastStatus === 'STOPPED' && (task.stoppedAt ?? 0) < cutoff) {
        this.tasks.delete(id);
        this.lifecycle.forget(id);
      }
    }
  }

  /** Stops every task (fast: no grace period) and waits for the background work to end. */
  async shutdown(): Promise<void> {
    this.closed = true;
    for (const task of this.tasks.values()) {
      if (task.lastStatus !== 'STOPPED') {
        task.desiredStatus = 'STOPPED';
        task.stoppedReason ??= 'local-aws shut down';
      }
    }
    const saved = this.knobs.stopTimeoutSeconds;
    this.knobs.stopTimeoutSeconds = 0;
    await Promise.all([...this.tasks.values()].map((task) => this.lifecycle.finishStop(task)));
    await Promise.allSettled([...this.lifecycle.inFlight]);
    this.knobs.stopTimeoutSeconds = saved;
  }

  async reset(): Promise<void> {
    await this.shutdown();
    this.closed = false;
    this.clusters.clear();
    this.services.clear();
    this.tasks.clear();
    this.lifecycle.clear();
    this.taskDefinitions.reset();
    this.frontDoorCounter = 0;
  }

  // ---------------------------------------------------------------- tags

  private taggable(arn: string): { tags: Tag[] } {
    const cluster = [...this.clusters.values()].find((candidate) => candidate.arn === arn);
    if (cluster) return cluster;
    const service = this.services.get(arn);
    if (service) return service;
    const definition = this.taskDefinitions.byArn(arn);
    if (definition) return definition;
    const task = [...this.tasks.values()].find((candidate) => candidate.arn === arn);
    if (task) return task;
    throw new AwsError('ResourceNotFoundException', 'The specified resource could not be found.');
  }

  private tagResource(input: Record<string, unknown>): unknown {
    const resource = this.taggable(requiredString(input, 'resourceArn'));
    resource.tags = mergeTags(resource.tags, parseEcsTags(input));
    return {};
  }

  private untagResource(input: Record<string, unknown>): unknown {
    const resource = this.taggable(requiredString(input, 'resourceArn'));
    const keys = stringList(input, 'tagKeys') ?? [];
    resource.tags = resource.tags.filter((tag) => !keys.includes(tag.key));
    return {};
  }
}

function healthOf(dockerHealth: string | undefined): TaskContainer['healthStatus'] {
  return dockerHealth === 'healthy' ? 'HEALTHY' : dockerHealth === 'unhealthy' ? 'UNHEALTHY' : 'UNKNOWN';
}

function clusterName(reference: string): string {
  return reference.startsWith('arn:') ? reference.split('/').at(-1)! : reference;
}

function deploymentConfiguration(
  raw: unknown,
  current: DeploymentConfiguration | undefined,
): DeploymentConfiguration {
  const input = (raw ?? {}) as Record<string, unknown>;
  const breaker = (input['deploymentCircuitBreaker'] ?? undefined) as Record<string, unknown> | undefined;
  // Fields not modelled here (alarms, bakeTimeInMinutes, strategy...) are kept and returned as given.
  const result: DeploymentConfiguration = {
    ...current,
    ...input,
    maximumPercent: optionalNumber(input, 'maximumPercent') ?? current?.maximumPercent ?? 200,
    minimumHealthyPercent:
      optionalNumber(input, 'minimumHealthyPercent') ?? current?.minimumHealthyPercent ?? 100,
    deploymentCircuitBreaker: breaker
      ? {
          enable: optionalBoolean(breaker, 'enable') ?? false,
          rollback: optionalBoolean(breaker, 'rollback') ?? false,
        }
      : (current?.deploymentCircuitBreaker ?? { enable: false, rollback: false }),
  };
  if (result.maximumPercent < 100 || result.maximumPercent > 200 * 10) {
    throw invalidParameter('maximumPercent must be at least 100.');
  }
  if (result.minimumHealthyPercent < 0 || result.minimumHealthyPercent > 100) {
    throw invalidParameter('minimumHealthyPercent must be between 0 and 100.');
  }
  return result;
}

function randomUUIDFrom(seed: string): string {
  return `${seed.slice(0, 8)}-${seed.slice(8, 12)}-${seed.slice(12, 16)}-${seed.slice(16, 20)}-${seed.slice(20, 32)}`;
}
