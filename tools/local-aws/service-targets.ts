import type { EcsState } from './ecs-context.js';
import type { Service, Task, TaskTarget } from './ecs-model.js';
import type { TargetHealthView } from './target-groups.js';
import type { TaskLifecycle } from './task-lifecycle.js';

/**
 * A load-balanced service's tasks in its target groups, as ECS manages them: a task's target is registered
 * when the task turns RUNNING, the task counts healthy only while its target is `healthy` in every target
 * group of the service, an `unhealthy` target (after healthCheckGracePeriodSeconds) stops the task, and a
 * task the scheduler stops first drains (DEACTIVATING) for the group's deregistration delay.
 */
export class ServiceTargets {
  private readonly state: EcsState;
  private readonly lifecycle: TaskLifecycle;
  private readonly countFailure: (task: Task) => void;

  constructor(state: EcsState, lifecycle: TaskLifecycle, countFailure: (task: Task) => void) {
    this.state = state;
    this.lifecycle = lifecycle;
    this.countFailure = countFailure;
  }

  /** Does this service's health come from target groups (it has loadBalancers and the store is there). */
  balanced(service: Service): boolean {
    return service.loadBalancers.length > 0 && this.state.deps.targetGroups !== undefined;
  }

  /** Makes sure every target group a service names exists (a bare ARN gets ELB's default group). */
  ensureGroups(service: Service): void {
    const groups = this.state.deps.targetGroups;
    if (!groups) return;
    for (const loadBalancer of service.loadBalancers) {
      if (loadBalancer.targetGroupArn) groups.ensure(loadBalancer.targetGroupArn);
    }
  }

  /** Is the task's target healthy in every target group of its service. */
  healthy(task: Task, service: Service): boolean {
    const wanted = this.wantedTargets(task, service);
    if (wanted.length === 0 || (task.targets?.length ?? 0) < wanted.length) return false;
    return wanted.every((target) => this.health(target).state === 'healthy');
  }

  /** Host ports the front door may use: routable targets of the service's first target group. */
  routablePorts(service: Service): number[] {
    const arn = service.loadBalancers[0]?.targetGroupArn;
    const groups = this.state.deps.targetGroups;
    if (!arn || !groups) return [];
    return groups.routable(arn).map((target) => target.port);
  }

  /**
   * One pass after the containers were read: registers RUNNING tasks, stops tasks whose target turned
   * unhealthy, deregisters targets of stopped tasks, ends drains that are over.
   */
  sync(): void {
    for (const task of this.state.tasks.values()) {
      const service = this.state.serviceOf(task);
      if (!service || !this.balanced(service)) continue;
      if (task.desiredStatus === 'RUNNING' && task.lastStatus === 'RUNNING') {
        this.register(task, service);
        this.stopIfUnhealthy(task, service);
      } else if (task.desiredStatus === 'STOPPED') {
        this.leave(task, service);
      }
    }
  }

  /** The scheduler's stop: a registered task drains first; others stop at once. */
  stop(task: Task, service: Service | undefined, reason: string, stopCode: string): void {
    if (!service || !this.balanced(service) || !task.targets?.length || task.lastStatus !== 'RUNNING') {
      this.lifecycle.stopTask(task, reason, stopCode);
      return;
    }
    this.lifecycle.stopTask(task, reason, stopCode, { afterDrain: true });
    task.draining = true;
    for (const target of task.targets)
      this.state.deps.targetGroups?.deregister(target.targetGroupArn, target);
    this.state.event(service, 'has begun draining connections on 1 tasks.');
  }

  private wantedTargets(task: Task, service: Service): TaskTarget[] {
    return service.loadBalancers.flatMap((loadBalancer) => {
      const container = task.containers.find((candidate) => candidate.name === loadBalancer.containerName);
      if (!loadBalancer.targetGroupArn || !container?.hostPort) return [];
      return [{ targetGroupArn: loadBalancer.targetGroupArn, id: '127.0.0.1', port: container.hostPort }];
    });
  }

  private health(target: TaskTarget): TargetHealthView {
    try {
      return this.state.deps.targetGroups?.health(target.targetGroupArn, target) ?? { state: 'unused' };
    } catch {
      return { state: 'unused' }; // the group was deleted
    }
  }

  private register(task: Task, service: Service): void {
    if (task.targets) return;
    task.targets = this.wantedTargets(task, service);
    for (const target of task.targets) {
      const groups = this.state.deps.targetGroups!;
      groups.ensure(target.targetGroupArn);
      groups.register(target.targetGroupArn, target);
      this.state.event(service, `registered 1 targets in (target-group ${target.targetGroupArn})`);
    }
  }

  private stopIfUnhealthy(task: Task, service: Service): void {
    const graceMs = (service.healthCheckGracePeriodSeconds ?? 0) * 1000;
    if (this.state.now() - (task.startedAt ?? 0) < graceMs) return;
    const failing = task.targets?.find((target) => this.health(target).state === 'unhealthy');
    if (!failing) return;
    const health = this.health(failing);
    const name = /:targetgroup\/([^/]+)\//.exec(failing.targetGroupArn)?.[1] ?? failing.targetGroupArn;
    const reason = health.description ?? health.reason ?? 'Health checks failed';
    this.state.event(
      service,
      `(task ${task.id}) (port ${failing.port}) is unhealthy in (target-group ${name}) due to (reason ${reason}).`,
    );
    this.countFailure(task);
    this.lifecycle.stopTask(
      task,
      `Task failed ELB health checks in (target-group ${failing.targetGroupArn})`,
      'ServiceSchedulerInitiated',
    );
    this.leave(task, service);
  }

  /** Deregisters a stopping task's targets; a draining task stops once its targets are gone. */
  private leave(task: Task, service: Service): void {
    if (!task.targets?.length) return;
    const groups = this.state.deps.targetGroups!;
    if (!task.draining) {
      for (const target of task.targets) groups.deregister(target.targetGroupArn, target);
    }
    const stillDraining = task.targets.some((target) => this.health(target).state === 'draining');
    if (task.draining && stillDraining) return;
    for (const target of task.targets) {
      this.state.event(service, `deregistered 1 targets in (target-group ${target.targetGroupArn})`);
    }
    task.targets = [];
    if (task.draining) {
      task.draining = false;
      this.lifecycle.completeStop(task);
    }
  }
}
