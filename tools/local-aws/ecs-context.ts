import { randomUUID } from 'node:crypto';

import type { Cluster, Service, Task } from './ecs-model.js';
import type { LogsService } from './logs.js';
import type { LocalAwsKnobs } from './options.js';
import { AwsError, invalidParameter, optionalString } from './protocol.js';
import { TaskDefinitionStore, type TaskDefinitionRecord } from './task-definitions.js';
import type { TargetGroupStore } from './target-groups.js';
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
  /** ELBv2 target groups: load-balanced tasks are registered there, and their targets' health is theirs. */
  targetGroups?: Pick<TargetGroupStore, 'ensure' | 'register' | 'deregister' | 'health' | 'routable'>;
}

const MAX_EVENTS = 100;

/** The ECS control plane's state and the lookups every part of it (clusters, services, tasks) shares. */
export class EcsState {
  readonly clusters = new Map<string, Cluster>();
  /** Keyed by service ARN; deleted services stay (INACTIVE) as ECS keeps them describable. */
  readonly services = new Map<string, Service>();
  readonly tasks = new Map<string, Task>();
  readonly taskDefinitions: TaskDefinitionStore;
  readonly deps: EcsDependencies;
  readonly now: () => number;

  constructor(deps: EcsDependencies) {
    this.deps = deps;
    this.now = deps.now ?? Date.now;
    this.taskDefinitions = new TaskDefinitionStore(deps.region, deps.accountId, this.now);
  }

  get knobs(): LocalAwsKnobs {
    return this.deps.knobs;
  }

  arn(kind: string, path: string): string {
    return `arn:aws:ecs:${this.deps.region}:${this.deps.accountId}:${kind}/${path}`;
  }

  cluster(reference: string | undefined): Cluster {
    const name = clusterName(reference ?? 'default');
    const cluster = this.clusters.get(name);
    if (!cluster || cluster.status !== 'ACTIVE')
      throw new AwsError('ClusterNotFoundException', 'Cluster not found.');
    return cluster;
  }

  service(cluster: Cluster, reference: string): Service {
    const name = reference.startsWith('arn:') ? reference.split('/').at(-1)! : reference;
    const service = this.services.get(this.arn('service', `${cluster.name}/${name}`));
    if (!service) throw new AwsError('ServiceNotFoundException', 'Service not found.');
    if (service.status !== 'ACTIVE')
      throw new AwsError('ServiceNotActiveException', 'Service was not ACTIVE.');
    return service;
  }

  /** The service a task belongs to (any status), if it is a service task. */
  serviceOf(task: Task): Service | undefined {
    if (!task.serviceName) return undefined;
    return this.services.get(
      this.arn('service', `${task.clusterArn.split('/').at(-1)!}/${task.serviceName}`),
    );
  }

  /** Tasks of a service whose desired status is still RUNNING. */
  liveTasks(service: Service, deploymentId?: string): Task[] {
    return [...this.tasks.values()].filter(
      (task) =>
        task.serviceName === service.name &&
        task.clusterArn === service.clusterArn &&
        (deploymentId === undefined || task.deploymentId === deploymentId) &&
        task.desiredStatus === 'RUNNING',
    );
  }

  event(service: Service, message: string): void {
    service.events.unshift({
      id: randomUUID(),
      createdAt: this.now(),
      message: `(service ${service.name}) ${message}`,
    });
    service.events.length = Math.min(service.events.length, MAX_EVENTS);
    this.deps.log?.(`${service.name}: ${message}`);
  }

  clear(): void {
    this.clusters.clear();
    this.services.clear();
    this.tasks.clear();
    this.taskDefinitions.reset();
  }
}

/** ECS refuses an awsvpc task without its network (AWS-FACTS section 6). */
export function requireNetworkConfiguration(
  record: TaskDefinitionRecord,
  input: Record<string, unknown>,
): void {
  if (record.body['networkMode'] === 'awsvpc' && input['networkConfiguration'] === undefined) {
    throw invalidParameter("Network Configuration must be provided when networkMode 'awsvpc' is specified.");
  }
}

/** propagateTags as CreateService and RunTask take it (AWS-FACTS section 7): default NONE. */
export function propagateTagsOf(input: Record<string, unknown>, allowed: string[]): string {
  const value = optionalString(input, 'propagateTags') ?? 'NONE';
  if (!allowed.includes(value)) throw invalidParameter(`propagateTags must be one of ${allowed.join(', ')}.`);
  return value;
}

export function clusterName(reference: string): string {
  return reference.startsWith('arn:') ? reference.split('/').at(-1)! : reference;
}
