import { randomBytes } from 'node:crypto';

import type { EcsState } from './ecs-context.js';
import type { Deployment, Service, Task, TaskContainer } from './ecs-model.js';
import { planRollout, type PlannedTask, type TaskPhase } from './rollout.js';
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
 */
export class DeploymentScheduler {
  private readonly state: EcsState;
  private readonly lifecycle: TaskLifecycle;

  constructor(state: EcsState, lifecycle: TaskLifecycle) {
    this.state = state;
    this.lifecycle = lifecycle;
  }

  /** One pass over every service. */
  async run(): Promise<void> {
    await this.refreshTasks();
    for (const service of this.state.services.values()) {
      if (service.status !== 'INACTIVE') this.reconcile(service);
    }
  }

  /** Where a task is in its life, for the rollout: starting, running (not yet healthy) or healthy. */
  phase(task: Task, service: Service | undefined): TaskPhase {
    const { state } = this;
    if (task.lastStatus !== 'RUNNING') return 'starting';
    if (service?.faults.failHealthCheck) return 'running';
    const checked = task.containers.filter((container) => container.essential && container.hasHealthCheck);
    if (checked.length > 0) return task.healthStatus === 'HEALTHY' ? 'healthy' : 'running';
    return state.now() - (task.startedAt ?? state.now()) >= state.knobs.healthyAfterMs
      ? 'healthy'
      : 'running';
  }

  /** HEALTHY RUNNING tasks behind a service's load balancer, as (port) targets. */
  targets(service: Service): number[] {
    const loadBalancer = service.loadBalancers[0];
    return this.state
      .liveTasks(service)
      .filter((task) => this.phase(task, service) === 'healthy')
      .map((task) => {
        const container =
          task.containers.find((candidate) => candidate.name === loadBalancer?.containerName) ??
          task.containers[0];
        return container?.hostPort ?? 0;
      })
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

  private reconcile(service: Service): void {
    const { state } = this;
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
      primary.updatedAt = state.now();
      state.event(service, `(deployment ${primary.id}) deployment failed: tasks failed to start.`);
      const target = service.lastCompletedTaskDefinitionArn;
      // A failed rollback is not rolled back again (it would loop on the same revision).
      if (breaker.rollback && target && !primary.rollbackOf) {
        const completedId = service.lastCompletedDeploymentId ?? '';
        const rollback = newDeployment(state, service, target, primary.id);
        rollback.rolloutStateReason = `ECS deployment circuit breaker: rolling back to deploymentId ${completedId}.`;
        state.event(service, `rolling back to deployment ${completedId}.`);
        return;
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
      this.lifecycle.stopTask(
        task,
        superseded ? `Scaling activity initiated by (deployment ${primary.id})` : 'Service scaled in',
        'ServiceSchedulerInitiated',
      );
    }
    if (step.start > 0) {
      const record = state.taskDefinitions.byArn(primary.taskDefinitionArn)!;
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
      state.event(
        service,
        `has started ${step.start} tasks: ${started.map((id) => `(task ${id})`).join(' ')}.`,
      );
    }
    if (step.stop.length > 0) {
      state.event(
        service,
        `has stopped ${step.stop.length} running tasks: ${step.stop.map((id) => `(task ${id})`).join(' ')}.`,
      );
    }
    this.settle(service, primary, live);
  }

  /** Drops drained deployments, completes the rollout, logs the steady state. */
  private settle(service: Service, primary: Deployment, live: Task[]): void {
    const { state } = this;
    const now = state.now();
    const hasTasks = (deployment: Deployment): boolean =>
      [...state.tasks.values()].some(
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
      state.event(service, `(deployment ${primary.id}) deployment completed.`);
    }
    const running = live.filter((task) => task.lastStatus === 'RUNNING').length;
    const steady =
      onlyPrimary && running === desired && primaryHealthy === desired && live.length === desired;
    if (steady && !service.steady) state.event(service, 'has reached a steady state.');
    service.steady = steady;
    if (service.status === 'DRAINING' && live.length === 0 && !hasTasks(primary)) service.status = 'INACTIVE';
  }
}

function healthOf(dockerHealth: string | undefined): TaskContainer['healthStatus'] {
  return dockerHealth === 'healthy' ? 'HEALTHY' : dockerHealth === 'unhealthy' ? 'UNHEALTHY' : 'UNKNOWN';
}
