import { randomBytes } from 'node:crypto';

import type { EcsState } from './ecs-context.js';
import type { Deployment, Service, Task, TaskContainer } from './ecs-model.js';
import { planRollout, type PlannedTask, type TaskPhase } from './rollout.js';
import { ServiceTargets } from './service-targets.js';
import type { TaskLifecycle } from './task-lifecycle.js';

/** Makes a new PRIMARY deployment of a service (the previous PRIMARY becomes ACTIVE). */
export function newDeployment(
  state: EcsState,
  service: Service,
  taskDefinitionArn: string,
  rollbackOf?: string,
): Deployment {
  const id = `ecs-svc/${BigInt(`0x${randomBytes(8).toString('hex')}`)
    .toString()
    .padStart(19, '0')
    .slice(0, 19)}`;
  const now = state.now();
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

/**
 * The service scheduler: reads container state from the runtime, replaces tasks that exited or failed
 * their checks, moves rolling updates on (rollout.ts), trips the circuit breaker, completes deployments.
 * It only vouches for what it observed: a deployment completes after a fresh read of its containers.
 */
export class DeploymentScheduler {
  private readonly state: EcsState;
  private readonly lifecycle: TaskLifecycle;
  readonly targets: ServiceTargets;

  constructor(state: EcsState, lifecycle: TaskLifecycle) {
    this.state = state;
    this.lifecycle = lifecycle;
    this.targets = new ServiceTargets(state, lifecycle, (task) => this.countFailure(task));
  }

  /**
   * One pass: observe, move every service, then, for deployments that look complete, observe again and
   * complete only those still complete on that second read (a crash between the reads is caught).
   */
  async run(): Promise<void> {
    await this.observe();
    const candidates: { service: Service; primary: Deployment; failedTasks: number }[] = [];
    for (const service of this.state.services.values()) {
      if (service.status === 'INACTIVE') continue;
      const primary = this.reconcile(service);
      if (primary && this.completable(service, primary)) {
        candidates.push({ service, primary, failedTasks: primary.failedTasks });
      }
    }
    if (candidates.length > 0) await this.observe();
    for (const { service, primary, failedTasks } of candidates) {
      if (primary.failedTasks === failedTasks && this.completable(service, primary))
        this.complete(service, primary);
    }
    for (const service of this.state.services.values()) {
      if (service.status !== 'INACTIVE') this.updateSteadyState(service);
    }
  }

  private async observe(): Promise<void> {
    await this.refreshTasks();
    this.targets.sync();
  }

  /** Where a task is in its life, for the rollout: starting, running (not yet healthy) or healthy. */
  phase(task: Task, service: Service | undefined): TaskPhase {
    const { state } = this;
    if (task.lastStatus !== 'RUNNING' || task.desiredStatus !== 'RUNNING') return 'starting';
    if (service?.faults.failHealthCheck) return 'running';
    // Counted healthy as ECS counts it (AWS-FACTS section 1): the container check if there is one, and
    // the load balancer's target health if the service has one; else healthyAfterMs after RUNNING.
    const checked = task.containers.filter((container) => container.essential && container.hasHealthCheck);
    if (checked.length > 0 && task.healthStatus !== 'HEALTHY') return 'running';
    if (service && this.targets.balanced(service))
      return this.targets.healthy(task, service) ? 'healthy' : 'running';
    if (checked.length > 0) return 'healthy';
    return state.now() - (task.startedAt ?? state.now()) >= state.knobs.healthyAfterMs
      ? 'healthy'
      : 'running';
  }

  /** Host ports behind a service's front door: its target group's routable targets. */
  frontDoorPorts(service: Service): number[] {
    // The failHealthCheck fault fails the load balancer's checks too: no target is routable.
    if (service.faults.failHealthCheck) return [];
    if (this.targets.balanced(service)) return this.targets.routablePorts(service);
    // Without target groups (a bare EcsService in a test): the tasks counted healthy.
    const loadBalancer = service.loadBalancers[0];
    return this.state
      .liveTasks(service)
      .filter((task) => this.phase(task, service) === 'healthy')
      .map((task) => task.containers.find((c) => c.name === loadBalancer?.containerName)?.hostPort ?? 0)
      .filter((port) => port > 0);
  }
  /** Reads every running container's state from the runtime and stops tasks that exited or went unhealthy. */
  private async refreshTasks(): Promise<void> {
    const { state } = this;
    const running = [...state.tasks.values()].filter(
      (task) => task.lastStatus === 'RUNNING' && task.desiredStatus === 'RUNNING',
    );
    // One list call for every container of this instance; only exited ones are inspected (exit code, OOM).
    const listed =
      running.length > 0
        ? await state.deps.runtime.listStates?.(state.deps.instanceId).catch(() => undefined)
        : undefined;
    await Promise.all(
      running.map(async (task) => {
        const service = state.serviceOf(task);
        for (const container of task.containers) {
          if (!container.runtimeId) continue;
          const quick = listed?.get(container.runtimeId);
          if (quick?.running) {
            container.healthStatus = healthOf(quick.health);
            continue;
          }
          const observed = await state.deps.runtime.inspect(container.runtimeId).catch(() => undefined);
          if (!observed) continue;
          if (!observed.running) {
            container.lastStatus = 'STOPPED';
            container.exitCode = observed.status === 'missing' ? 137 : observed.exitCode;
            container.reason = observed.oomKilled
              ? 'OutOfMemoryError: Container killed due to memory usage'
              : observed.error || undefined;
            if (container.essential && task.desiredStatus === 'RUNNING') {
              this.countFailure(task);
              this.lifecycle.stopTask(task, 'Essential container in task exited', 'EssentialContainerExited');
              return;
            }
            continue;
          }
          container.healthStatus = healthOf(observed.health);
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
        const inGrace = state.now() - (task.startedAt ?? 0) < graceMs;
        if (task.healthStatus === 'UNHEALTHY' && !inGrace) {
          this.countFailure(task);
          const reason =
            service && service.loadBalancers.length > 0 && forcedUnhealthy
              ? `Task failed ELB health checks in (target-group ${service.loadBalancers[0]?.targetGroupArn ?? ''})`
              : 'Task failed container health checks';
          if (service) {
            state.event(
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
  countFailure(task: Task): void {
    if (task.failureCounted || !task.serviceName || !task.deploymentId) return;
    task.failureCounted = true;
    const deployment = this.state
      .serviceOf(task)
      ?.deployments.find((candidate) => candidate.id === task.deploymentId);
    if (!deployment) return;
    deployment.failedTasks += 1;
    deployment.updatedAt = this.state.now();
  }

  private circuitBreakerThreshold(desiredCount: number): number {
    if (this.state.knobs.circuitBreakerThreshold > 0) return this.state.knobs.circuitBreakerThreshold;
    return Math.min(Math.max(3, Math.ceil(desiredCount / 2)), 200);
  }

  /** Starts and stops tasks for one service; returns its PRIMARY deployment. */
  private reconcile(service: Service): Deployment | undefined {
    const { state } = this;
    const primary = service.deployments.find((deployment) => deployment.status === 'PRIMARY');
    if (!primary) return undefined;
    const breaker = service.deploymentConfiguration.deploymentCircuitBreaker;
    if (
      breaker.enable &&
      primary.rolloutState === 'IN_PROGRESS' &&
      primary.failedTasks >= this.circuitBreakerThreshold(primary.desiredCount)
    ) {
      primary.rolloutState = 'FAILED';
      primary.rolloutStateReason = 'ECS deployment circuit breaker: tasks failed to start.';
      primary.updatedAt = state.now();
      state.event(service, `(deployment ${primary.id}) deployment failed: tasks failed to start.`);
      const target = service.lastCompletedTaskDefinitionArn;
      // A failed rollback is not rolled back again (it would loop on the same revision).
      if (breaker.rollback && target && !primary.rollbackOf) {
        const completedId = service.lastCompletedDeploymentId ?? '';
        const rollback = newDeployment(state, service, target, primary.id);
        rollback.rolloutStateReason = `ECS deployment circuit breaker: rolling back to deploymentId ${completedId}.`;
        state.event(service, `rolling back to deployment ${completedId}.`);
        return undefined;
      }
    }
    const live = state.liveTasks(service);
    const planned = (tasks: Task[]): PlannedTask[] =>
      tasks.map((task) => ({ id: task.id, phase: this.phase(task, service) }));
    const olderIds = new Set(service.deployments.filter((d) => d !== primary).map((d) => d.id));
    const step = planRollout({
      desiredCount: service.status === 'ACTIVE' ? service.desiredCount : 0,
      maximumPercent: service.deploymentConfiguration.maximumPercent,
      minimumHealthyPercent: service.deploymentConfiguration.minimumHealthyPercent,
      primary: planned(live.filter((task) => task.deploymentId === primary.id)),
      primaryMayLaunch: primary.rolloutState !== 'FAILED',
      older: planned(live.filter((task) => task.deploymentId && olderIds.has(task.deploymentId))),
    });
    for (const id of step.stop) {
      const task = state.tasks.get(id)!;
      const superseded = task.deploymentId !== primary.id;
      this.targets.stop(
        task,
        service,
        superseded ? `Scaling activity initiated by (deployment ${primary.id})` : 'Service scaled in',
        'ServiceSchedulerInitiated',
      );
    }
    if (step.start > 0) this.launch(service, primary, step.start);
    if (step.stop.length > 0) {
      state.event(
        service,
        `has stopped ${step.stop.length} running tasks: ${step.stop.map((id) => `(task ${id})`).join(' ')}.`,
      );
    }
    const hasTasks = (deployment: Deployment): boolean =>
      [...state.tasks.values()].some(
        (task) => task.deploymentId === deployment.id && task.lastStatus !== 'STOPPED',
      );
    // Drained deployments leave the list, as on ECS.
    service.deployments = service.deployments.filter(
      (deployment) => deployment === primary || hasTasks(deployment),
    );
    if (service.status === 'DRAINING' && state.liveTasks(service).length === 0 && !hasTasks(primary)) {
      service.status = 'INACTIVE';
    }
    return primary;
  }

  private launch(service: Service, primary: Deployment, count: number): void {
    const { state } = this;
    const record = state.taskDefinitions.byArn(primary.taskDefinitionArn)!;
    const cluster = service.clusterArn.split('/').at(-1)!;
    const propagated =
      service.propagateTags === 'SERVICE'
        ? service.tags
        : service.propagateTags === 'TASK_DEFINITION'
          ? record.tags
          : [];
    // Key names of ECS managed tags: not found in the docs (AWS-FACTS section 7); these are our choice.
    const managed = service.enableECSManagedTags
      ? [
          { key: 'aws:ecs:clusterName', value: cluster },
          { key: 'aws:ecs:serviceName', value: service.name },
        ]
      : [];
    const started: string[] = [];
    for (let index = 0; index < count; index += 1) {
      const task = this.lifecycle.launch(service.clusterArn, record, {
        group: `service:${service.name}`,
        startedBy: primary.id,
        service,
        deploymentId: primary.id,
        overrides: {},
        tags: [...propagated, ...managed],
        launchType: service.launchType,
      });
      started.push(task.id);
    }
    state.event(service, `has started ${count} tasks: ${started.map((id) => `(task ${id})`).join(' ')}.`);
  }

  /**
   * ECS's steady state (AWS-FACTS section 1): only the PRIMARY deployment is left, it runs exactly the
   * desired count, nothing pending, every task counted healthy.
   */
  private completable(service: Service, primary: Deployment): boolean {
    if (service.deployments.length !== 1) return false;
    const desired = service.status === 'ACTIVE' ? service.desiredCount : 0;
    const live = this.state.liveTasks(service);
    if (live.length !== desired) return false;
    return live.every(
      (task) =>
        task.deploymentId === primary.id &&
        task.lastStatus === 'RUNNING' &&
        this.phase(task, service) === 'healthy',
    );
  }

  private complete(service: Service, primary: Deployment): void {
    if (primary.rolloutState !== 'IN_PROGRESS') return;
    primary.rolloutState = 'COMPLETED';
    primary.rolloutStateReason = `ECS deployment ${primary.id} completed.`;
    primary.updatedAt = this.state.now();
    service.lastCompletedTaskDefinitionArn = primary.taskDefinitionArn;
    service.lastCompletedDeploymentId = primary.id;
    this.state.event(service, `(deployment ${primary.id}) deployment completed.`);
  }

  private updateSteadyState(service: Service): void {
    const primary = service.deployments.find((deployment) => deployment.status === 'PRIMARY');
    const steady =
      primary !== undefined && primary.rolloutState !== 'IN_PROGRESS' && this.completable(service, primary);
    if (steady && !service.steady) this.state.event(service, 'has reached a steady state.');
    service.steady = steady;
  }
}

function healthOf(dockerHealth: string | undefined): TaskContainer['healthStatus'] {
  return dockerHealth === 'healthy' ? 'HEALTHY' : dockerHealth === 'unhealthy' ? 'UNHEALTHY' : 'UNKNOWN';
}
