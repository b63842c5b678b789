import { clusterOperations } from './clusters.js';
import { DeploymentScheduler } from './deployments.js';
import { mergeTags } from './ecr.js';
import { EcsState, type EcsDependencies } from './ecs-context.js';
import type { Cluster, Service, ServiceFaults, Task } from './ecs-model.js';
import {
  AwsError,
  clientException,
  objectList,
  paginate,
  requiredString,
  stringList,
  type Tag,
} from './protocol.js';
import { ServiceApi } from './services.js';
import { dockerHealthcheck, parseEcsTags, type ContainerDefinition } from './task-definitions.js';
import { TaskLifecycle } from './task-lifecycle.js';
import { taskOperations } from './tasks.js';

export type { EcsDependencies } from './ecs-context.js';

type Operation = (input: Record<string, unknown>) => Promise<unknown>;

const STOPPED_TASK_RETENTION_MS = 3600_000;

/**
 * The ECS control plane: the API operations by noun (clusters.ts, services.ts, tasks.ts, task definitions
 * and tags here) over one shared state (ecs-context.ts), and the scheduler (deployments.ts) that moves it.
 */
export class EcsService {
  private readonly state: EcsState;
  private readonly lifecycle: TaskLifecycle;
  private readonly scheduler: DeploymentScheduler;
  private readonly serviceApi: ServiceApi;
  private ticking = false;
  private closed = false;
  readonly operations: Record<string, Operation>;

  constructor(deps: EcsDependencies) {
    this.state = new EcsState(deps);
    this.lifecycle = new TaskLifecycle(deps, this.state.tasks, (task) => this.scheduler.countFailure(task));
    this.scheduler = new DeploymentScheduler(this.state, this.lifecycle);
    this.serviceApi = new ServiceApi(this.state);
    const synchronous: Record<string, (input: Record<string, unknown>) => unknown> = {
      ...clusterOperations(this.state),
      ...this.taskDefinitionOperations(),
      ...this.serviceApi.operations,
      ...taskOperations(this.state, this.lifecycle),
      ...this.tagOperations(),
    };
    this.operations = Object.fromEntries(
      Object.entries(synchronous).map(([name, operation]) => [
        name,
        (input: Record<string, unknown>): Promise<unknown> => Promise.resolve().then(() => operation(input)),
      ]),
    );
  }

  get clusters(): Map<string, Cluster> {
    return this.state.clusters;
  }
  get services(): Map<string, Service> {
    return this.state.services;
  }
  get tasks(): Map<string, Task> {
    return this.state.tasks;
  }

  private taskDefinitionOperations(): Record<string, (input: Record<string, unknown>) => unknown> {
    const store = this.state.taskDefinitions;
    return {
      RegisterTaskDefinition: (input) => {
        for (const container of objectList(input, 'containerDefinitions')) {
          // Validate the health check now, as ECS does at registration.
          dockerHealthcheck((container as unknown as ContainerDefinition).healthCheck, 0);
        }
        const record = store.register(input);
        return { taskDefinition: store.view(record), tags: record.tags };
      },
      DescribeTaskDefinition: (input) => {
        const record = store.resolve(requiredString(input, 'taskDefinition', clientException));
        const include = stringList(input, 'include') ?? [];
        return {
          taskDefinition: store.view(record),
          ...(include.includes('TAGS') ? { tags: record.tags } : {}),
        };
      },
      DeregisterTaskDefinition: (input) => ({
        taskDefinition: store.view(
          store.deregister(requiredString(input, 'taskDefinition', clientException)),
        ),
      }),
      ListTaskDefinitions: (input) => {
        const { page, nextToken } = paginate(store.list(input), input, 100, 100);
        return { taskDefinitionArns: page, ...(nextToken ? { nextToken } : {}) };
      },
      ListTaskDefinitionFamilies: (input) => {
        const { page, nextToken } = paginate(store.families(input), input, 100, 100);
        return { families: page, ...(nextToken ? { nextToken } : {}) };
      },
    };
  }

  private tagOperations(): Record<string, (input: Record<string, unknown>) => unknown> {
    return {
      TagResource: (input) => {
        const resource = this.taggable(requiredString(input, 'resourceArn'));
        resource.tags = mergeTags(resource.tags, parseEcsTags(input));
        return {};
      },
      UntagResource: (input) => {
        const resource = this.taggable(requiredString(input, 'resourceArn'));
        const keys = stringList(input, 'tagKeys') ?? [];
        resource.tags = resource.tags.filter((tag) => !keys.includes(tag.key));
        return {};
      },
      ListTagsForResource: (input) => ({ tags: this.taggable(requiredString(input, 'resourceArn')).tags }),
    };
  }

  private taggable(arn: string): { tags: Tag[] } {
    const { state } = this;
    const found =
      [...state.clusters.values()].find((candidate) => candidate.arn === arn) ??
      state.services.get(arn) ??
      state.taskDefinitions.byArn(arn) ??
      [...state.tasks.values()].find((candidate) => candidate.arn === arn);
    if (!found) throw new AwsError('ResourceNotFoundException', 'The specified resource could not be found.');
    return found;
  }

  /** The admin endpoint's view of a service's armed faults. */
  serviceFaults(clusterReference: string | undefined, serviceName: string): ServiceFaults {
    return this.findService(clusterReference, serviceName).faults;
  }

  findService(clusterReference: string | undefined, serviceName: string): Service {
    return this.state.service(this.state.cluster(clusterReference), serviceName);
  }

  /** Host ports the service's front door may forward to. */
  targets(service: Service): number[] {
    return this.scheduler.frontDoorPorts(service);
  }

  /** One scheduler pass; skipped while the previous one still runs. */
  async tick(): Promise<void> {
    if (this.ticking || this.closed) return;
    this.ticking = true;
    try {
      await this.scheduler.run();
      this.pruneStoppedTasks();
    } finally {
      this.ticking = false;
    }
  }

  private pruneStoppedTasks(): void {
    const cutoff = this.state.now() - STOPPED_TASK_RETENTION_MS;
    for (const [id, task] of this.state.tasks) {
      if (task.lastStatus === 'STOPPED' && (task.stoppedAt ?? 0) < cutoff) {
        this.state.tasks.delete(id);
        this.lifecycle.forget(id);
      }
    }
  }

  /** Stops every task (fast: no grace period) and waits for the background work to end. */
  async shutdown(): Promise<void> {
    this.closed = true;
    const tasks = [...this.state.tasks.values()];
    for (const task of tasks) {
      if (task.lastStatus !== 'STOPPED') {
        task.desiredStatus = 'STOPPED';
        task.stoppedReason ??= 'local-aws shut down';
      }
    }
    const knobs = this.state.knobs;
    const saved = knobs.stopTimeoutSeconds;
    knobs.stopTimeoutSeconds = 0;
    await Promise.all(tasks.map((task) => this.lifecycle.finishStop(task)));
    await Promise.allSettled([...this.lifecycle.inFlight]);
    knobs.stopTimeoutSeconds = saved;
  }

  async reset(): Promise<void> {
    await this.shutdown();
    this.closed = false;
    this.state.clear();
    this.lifecycle.clear();
    this.serviceApi.reset();
  }
}
