import { newDeployment } from './deployments.js';
import { propagateTagsOf, requireNetworkConfiguration, type EcsState } from './ecs-context.js';
import type { DeploymentConfiguration, LoadBalancer, Service, Task } from './ecs-model.js';
import {
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
} from './protocol.js';
import { parseEcsTags, type ContainerDefinition, type TaskDefinitionRecord } from './task-definitions.js';

type Operation = (input: Record<string, unknown>) => unknown;

const FRONT_DOOR_TAG = 'local-aws:front-door-port';

/** CreateService, UpdateService, DescribeServices, ListServices, DeleteService. */
export class ServiceApi {
  private readonly state: EcsState;
  /** Creation order of load-balanced services: their default front door ports. */
  private frontDoorCounter = 0;

  constructor(state: EcsState) {
    this.state = state;
  }

  readonly operations: Record<string, Operation> = {
    CreateService: (input) => this.createService(input),
    UpdateService: (input) => this.updateService(input),
    DescribeServices: (input) => this.describeServices(input),
    ListServices: (input) => this.listServices(input),
    DeleteService: (input) => this.deleteService(input),
  };

  reset(): void {
    this.frontDoorCounter = 0;
  }

  /** A bare targetGroupArn gets ELB's default group, so DescribeTargetHealth answers for it at once. */
  private ensureTargetGroups(service: Service): void {
    for (const loadBalancer of service.loadBalancers) {
      if (loadBalancer.targetGroupArn) this.state.deps.targetGroups?.ensure(loadBalancer.targetGroupArn);
    }
  }

  private createService(input: Record<string, unknown>): unknown {
    const { state } = this;
    const cluster = state.cluster(optionalString(input, 'cluster'));
    const name = requiredString(input, 'serviceName');
    if (!/^[a-zA-Z0-9_-]{1,255}$/.test(name)) {
      throw invalidParameter(
        'Service names may contain up to 255 letters, numbers, hyphens and underscores.',
      );
    }
    const arn = state.arn('service', `${cluster.name}/${name}`);
    const existing = state.services.get(arn);
    if (existing && existing.status !== 'INACTIVE')
      throw invalidParameter('Creation of service was not idempotent.');
    const taskDefinitionReference = optionalString(input, 'taskDefinition');
    if (!taskDefinitionReference) throw invalidParameter('TaskDefinition must be specified.');
    const taskDefinition = state.taskDefinitions.resolve(taskDefinitionReference);
    if (taskDefinition.status !== 'ACTIVE') throw clientException('TaskDefinition is inactive');
    const desiredCount = optionalNumber(input, 'desiredCount') ?? 0;
    if (!Number.isInteger(desiredCount) || desiredCount < 0)
      throw invalidParameter('desiredCount must be >= 0.');
    requireNetworkConfiguration(taskDefinition, input);
    const loadBalancers = objectList(input, 'loadBalancers') as LoadBalancer[];
    for (const loadBalancer of loadBalancers) checkLoadBalancer(loadBalancer, taskDefinition);
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
      createdAt: state.now(),
      tags,
      enableExecuteCommand: optionalBoolean(input, 'enableExecuteCommand') ?? false,
      propagateTags: propagateTagsOf(input, ['TASK_DEFINITION', 'SERVICE', 'NONE']),
      enableECSManagedTags: optionalBoolean(input, 'enableECSManagedTags') ?? false,
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
    state.services.set(arn, service);
    this.ensureTargetGroups(service);
    newDeployment(state, service, taskDefinition.arn);
    if (loadBalancers.length > 0) state.deps.onLoadBalancedService?.(service);
    return { service: this.serviceView(service) };
  }

  private updateService(input: Record<string, unknown>): unknown {
    const { state } = this;
    const service = state.service(
      state.cluster(optionalString(input, 'cluster')),
      requiredString(input, 'service'),
    );
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
      const record = state.taskDefinitions.resolve(reference);
      if (record.status !== 'ACTIVE') throw clientException('TaskDefinition is inactive');
      for (const loadBalancer of service.loadBalancers) checkLoadBalancer(loadBalancer, record);
      taskDefinitionArn = record.arn;
    }
    const force = optionalBoolean(input, 'forceNewDeployment') === true;
    if (taskDefinitionArn !== service.taskDefinitionArn || force)
      newDeployment(state, service, taskDefinitionArn);
    return { service: this.serviceView(service) };
  }

  private serviceView(service: Service, include: string[] = []): Record<string, unknown> {
    const { state } = this;
    const running = (tasks: Task[]): number => tasks.filter((task) => task.lastStatus === 'RUNNING').length;
    const pending = (tasks: Task[]): number =>
      tasks.filter((task) => ['PROVISIONING', 'PENDING', 'ACTIVATING'].includes(task.lastStatus)).length;
    const all = state.liveTasks(service);
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
        const tasks = state.liveTasks(service, deployment.id);
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
      createdBy: `arn:aws:iam::${state.deps.accountId}:root`,
      enableECSManagedTags: service.enableECSManagedTags,
      propagateTags: service.propagateTags,
      enableExecuteCommand: service.enableExecuteCommand,
    };
  }

  private describeServices(input: Record<string, unknown>): unknown {
    const { state } = this;
    const cluster = state.cluster(optionalString(input, 'cluster'));
    const references = stringList(input, 'services');
    if (!references || references.length === 0) throw invalidParameter('Services cannot be empty.');
    if (references.length > 10) throw invalidParameter('Describe services supports up to 10 services.');
    const include = stringList(input, 'include') ?? [];
    const services: unknown[] = [];
    const failures: unknown[] = [];
    for (const reference of references) {
      const name = reference.startsWith('arn:') ? reference.split('/').at(-1)! : reference;
      const arn = state.arn('service', `${cluster.name}/${name}`);
      const service = state.services.get(arn);
      if (service) services.push(this.serviceView(service, include));
      else failures.push({ arn, reason: 'MISSING' });
    }
    return { services, failures };
  }

  private listServices(input: Record<string, unknown>): unknown {
    const cluster = this.state.cluster(optionalString(input, 'cluster'));
    const arns = [...this.state.services.values()]
      .filter((service) => service.clusterArn === cluster.arn && service.status === 'ACTIVE')
      .map((service) => service.arn);
    const { page, nextToken } = paginate(arns, input, 10, 100);
    return { serviceArns: page, ...(nextToken ? { nextToken } : {}) };
  }

  private deleteService(input: Record<string, unknown>): unknown {
    const { state } = this;
    const service = state.service(
      state.cluster(optionalString(input, 'cluster')),
      requiredString(input, 'service'),
    );
    if (service.desiredCount > 0 && optionalBoolean(input, 'force') !== true) {
      throw invalidParameter('The service cannot be stopped while it is scaled above 0.');
    }
    service.desiredCount = 0;
    service.status = 'DRAINING';
    for (const deployment of service.deployments) deployment.desiredCount = 0;
    return { service: this.serviceView(service) };
  }
}

function checkLoadBalancer(loadBalancer: LoadBalancer, taskDefinition: TaskDefinitionRecord): void {
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
