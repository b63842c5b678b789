import { randomBytes, randomUUID } from 'node:crypto';

import type { EcsDependencies } from './ecs-context.js';
import type { Service, Task, TaskContainer } from './ecs-model.js';
import type { LocalAwsKnobs } from './options.js';
import { allocatePort } from './ports.js';
import type { Tag } from './protocol.js';
import {
  dockerHealthcheck,
  type ContainerDefinition,
  type TaskDefinitionRecord,
} from './task-definitions.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * One task's life on the container runtime: PROVISIONING -> PENDING (pull) -> RUNNING (containers started
 * with PORT, environment, health check, labels) and DEACTIVATING -> STOPPING -> STOPPED (SIGTERM, stop
 * timeout, exit codes kept, logs kept, containers removed). The scheduler decides; this carries it out.
 */
export class TaskLifecycle {
  /** Background work (starts, stops, crash faults) that shutdown waits for. */
  readonly inFlight = new Set<Promise<unknown>>();
  private readonly usedPorts = new Set<number>();
  private readonly stopping = new Map<string, Promise<void>>();
  private readonly deps: EcsDependencies;
  private readonly tasks: Map<string, Task>;
  private readonly onFailure: (task: Task) => void;
  private readonly now: () => number;

  constructor(deps: EcsDependencies, tasks: Map<string, Task>, onFailure: (task: Task) => void) {
    this.deps = deps;
    this.tasks = tasks;
    this.onFailure = onFailure;
    this.now = deps.now ?? Date.now;
  }

  private get knobs(): LocalAwsKnobs {
    return this.deps.knobs;
  }

  private arn(kind: string, path: string): string {
    return `arn:aws:ecs:${this.deps.region}:${this.deps.accountId}:${kind}/${path}`;
  }

  /** Forgets a pruned task's bookkeeping. */
  forget(id: string): void {
    this.stopping.delete(id);
  }

  clear(): void {
    this.usedPorts.clear();
    this.stopping.clear();
  }

  launch(
    clusterArn: string,
    record: TaskDefinitionRecord,
    how: {
      group: string;
      startedBy?: string;
      service?: Service;
      deploymentId?: string;
      overrides: Record<string, unknown>;
      tags: Tag[];
      launchType: string;
    },
  ): Task {
    const id = randomBytes(16).toString('hex');
    const clusterName = clusterArn.split('/').at(-1)!;
    const definitions = record.body['containerDefinitions'] as ContainerDefinition[];
    const containers: TaskContainer[] = definitions.map((definition) => ({
      name: definition.name,
      arn: this.arn('container', `${clusterName}/${id}/${randomUUID()}`),
      image: definition.image,
      lastStatus: 'PENDING',
      healthStatus: 'UNKNOWN',
      essential: definition.essential !== false,
      hasHealthCheck: (definition.healthCheck?.command?.length ?? 0) > 0,
      hostPort: 0,
      ...(definition.stopTimeout !== undefined ? { stopTimeoutSeconds: definition.stopTimeout } : {}),
      ...(definition.portMappings?.[0]?.containerPort !== undefined
        ? { containerPort: definition.portMappings[0].containerPort }
        : {}),
    }));
    const task: Task = {
      id,
      arn: this.arn('task', `${clusterName}/${id}`),
      clusterArn,
      taskDefinitionArn: record.arn,
      ...(how.service ? { serviceName: how.service.name } : {}),
      ...(how.deploymentId ? { deploymentId: how.deploymentId } : {}),
      group: how.group,
      ...(how.startedBy ? { startedBy: how.startedBy } : {}),
      lastStatus: 'PROVISIONING',
      desiredStatus: 'RUNNING',
      healthStatus: 'UNKNOWN',
      containers,
      createdAt: this.now(),
      launchType: how.launchType,
      ...(typeof record.body['cpu'] === 'string' ? { cpu: record.body['cpu'] } : {}),
      ...(typeof record.body['memory'] === 'string' ? { memory: record.body['memory'] } : {}),
      tags: how.tags,
      version: 1,
      overrides: how.overrides,
      failureCounted: false,
    };
    this.tasks.set(id, task);
    const faults = how.service?.faults;
    let failToStart = false;
    if (faults && faults.failToStart > 0) {
      faults.failToStart -= 1;
      failToStart = true;
    }
    if (faults && faults.crash > 0) {
      faults.crash -= 1;
      task.crashAfterMs = faults.crashAfterSeconds * 1000;
    }
    this.track(this.startTask(task, definitions, failToStart));
    return task;
  }

  private track(work: Promise<unknown>): void {
    const tracked = work.catch((error: unknown) => this.deps.log?.(`internal error: ${String(error)}`));
    this.inFlight.add(tracked);
    void tracked.finally(() => this.inFlight.delete(tracked));
  }

  private async startTask(
    task: Task,
    definitions: ContainerDefinition[],
    failToStart: boolean,
  ): Promise<void> {
    const half = this.knobs.taskStartDelayMs / 2;
    await sleep(half);
    if (stopRequested(task)) return this.finishStop(task);
    this.setStatus(task, 'PENDING');
    task.pullStartedAt = this.now();
    try {
      for (const container of task.containers) await this.deps.runtime.pull(container.image);
    } catch (error) {
      task.pullStoppedAt = this.now();
      return this.failToStart(task, `CannotPullContainerError: ${firstLine(error)}`);
    }
    task.pullStoppedAt = this.now();
    if (failToStart) {
      return this.failToStart(
        task,
        'CannotStartContainerError: the next tasks of this service were set to fail to start (local-aws fault)',
      );
    }
    if (stopRequested(task)) return this.finishStop(task);
    try {
      for (const [index, container] of task.containers.entries()) {
        const definition = definitions[index]!;
        container.hostPort = await this.freePort();
        container.imageDigest = await this.deps.runtime.imageDigest(container.image).catch(() => undefined);
        container.runtimeId = await this.deps.runtime.run({
          image: container.image,
          env: this.containerEnvironment(task, definition, container),
          ...commandOverrides(task, definition),
          ...(definition.workingDirectory ? { workingDirectory: definition.workingDirectory } : {}),
          ...(definition.user ? { user: definition.user } : {}),
          labels: {
            'shipkit.local-aws': this.deps.instanceId,
            'shipkit.local-aws.task': task.arn,
            'shipkit.local-aws.container': container.name,
          },
          ...(container.hasHealthCheck
            ? { healthcheck: dockerHealthcheck(definition.healthCheck, this.knobs.healthCheckIntervalMs)! }
            : {}),
        });
        this.publishLogs(task, definition, container);
      }
    } catch (error) {
      return this.failToStart(task, `CannotStartContainerError: ${firstLine(error)}`);
    }
    await sleep(half);
    if (stopRequested(task)) return this.finishStop(task);
    // RUNNING is what the runtime reports, not what was asked: an essential container that already
    // exited stops the task as ECS does, and it never shows RUNNING.
    if (!(await this.observeStarted(task))) return;
    // A stop asked for while the containers were read back: as a RUNNING task it would never be stopped.
    if (stopRequested(task)) return this.finishStop(task);
    this.setStatus(task, 'RUNNING');
    task.startedAt = this.now();
    if (task.crashAfterMs !== undefined) {
      const crashAfterMs = task.crashAfterMs;
      this.track(
        sleep(crashAfterMs).then(async () => {
          const essential = task.containers.find((container) => container.essential);
          if (task.lastStatus === 'RUNNING' && essential?.runtimeId)
            await this.deps.runtime.kill(essential.runtimeId);
        }),
      );
    }
  }

  /**
   * Reads every container's state from the runtime after the start: running ones turn RUNNING, exited ones
   * keep their exit code. False (and the task stopping) when an essential container is not running.
   */
  private async observeStarted(task: Task): Promise<boolean> {
    let exited: TaskContainer | undefined;
    for (const container of task.containers) {
      if (!container.runtimeId) continue;
      const state = await this.deps.runtime.inspect(container.runtimeId).catch(() => undefined);
      if (state?.running) {
        container.lastStatus = 'RUNNING';
        continue;
      }
      container.lastStatus = 'STOPPED';
      container.exitCode = !state || state.status === 'missing' ? 137 : state.exitCode;
      if (state?.oomKilled) container.reason = 'OutOfMemoryError: Container killed due to memory usage';
      else if (state?.error) container.reason = state.error;
      if (container.essential) exited ??= container;
    }
    if (!exited) return true;
    if (stopRequested(task)) {
      await this.finishStop(task);
      return false;
    }
    task.desiredStatus = 'STOPPED';
    task.stoppedReason = 'Essential container in task exited';
    task.stopCode = 'EssentialContainerExited';
    task.stoppingAt = this.now();
    this.onFailure(task);
    this.deps.log?.(
      `task ${task.id}: essential container ${exited.name} exited with ${exited.exitCode ?? '?'} before RUNNING`,
    );
    await this.finishStop(task);
    return false;
  }

  /** awslogs: the stream `<prefix>/<container>/<task id>` reads the container's lines from Docker. */
  private publishLogs(task: Task, definition: ContainerDefinition, container: TaskContainer): void {
    const options = definition.logConfiguration?.options;
    if (definition.logConfiguration?.logDriver !== 'awslogs' || !this.deps.logs || !container.runtimeId)
      return;
    const group = options?.['awslogs-group'];
    const prefix = options?.['awslogs-stream-prefix'];
    if (!group || !prefix) return;
    const runtimeId = container.runtimeId;
    container.logStream = { group, stream: `${prefix}/${container.name}/${task.id}` };
    this.deps.logs.register({
      ...container.logStream,
      createdAt: this.now(),
      read: () => this.deps.runtime.logs(runtimeId).catch(() => []),
    });
  }

  private containerEnvironment(
    task: Task,
    definition: ContainerDefinition,
    container: TaskContainer,
  ): Record<string, string> {
    const env: Record<string, string> = {};
    for (const entry of definition.environment ?? []) if (entry.name) env[entry.name] = entry.value ?? '';
    // valueFrom ARNs cannot be resolved here: a secret is set only when LOCAL_AWS_SECRETS maps it, since a
    // placeholder would break apps that validate their secrets (a hash, a key length) at start.
    for (const secret of definition.secrets ?? []) {
      const value = this.deps.secrets[secret.valueFrom ?? ''];
      if (secret.name && value !== undefined) env[secret.name] = value;
    }
    const overrides = (task.overrides['containerOverrides'] ?? []) as {
      name?: string;
      environment?: { name?: string; value?: string }[];
    }[];
    for (const override of overrides) {
      if (override.name !== definition.name) continue;
      for (const entry of override.environment ?? []) if (entry.name) env[entry.name] = entry.value ?? '';
    }
    // Tasks share the host's loopback: PORT tells the app the port it got instead of containerPort.
    env['PORT'] = String(container.hostPort);
    env['ECS_CONTAINER_METADATA_URI_V4'] ??= '';
    env['AWS_REGION'] ??= this.deps.region;
    env['AWS_DEFAULT_REGION'] ??= this.deps.region;
    return env;
  }

  private async freePort(): Promise<number> {
    for (;;) {
      const port = await allocatePort();
      if (!this.usedPorts.has(port)) {
        this.usedPorts.add(port);
        return port;
      }
    }
  }

  private setStatus(task: Task, status: Task['lastStatus']): void {
    task.lastStatus = status;
    task.version += 1;
  }

  private async failToStart(task: Task, reason: string): Promise<void> {
    task.stopCode = 'TaskFailedToStart';
    task.stoppedReason = reason;
    task.desiredStatus = 'STOPPED';
    task.stoppingAt = this.now();
    this.onFailure(task);
    await this.finishStop(task);
  }

  /**
   * Asks a task to stop (SIGTERM, then SIGKILL after the stop timeout), as StopTask and the scheduler do.
   * `afterDrain`: the task stays DEACTIVATING, its containers up, until completeStop (its targets drain).
   */
  stopTask(task: Task, reason: string, stopCode: string, options: { afterDrain?: boolean } = {}): void {
    if (task.desiredStatus === 'STOPPED') return;
    task.desiredStatus = 'STOPPED';
    task.stoppedReason = reason;
    task.stopCode = stopCode;
    task.stoppingAt = this.now();
    if (task.lastStatus === 'RUNNING') {
      this.setStatus(task, 'DEACTIVATING');
      if (!options.afterDrain) this.track(this.finishStop(task));
    }
    // A task still starting notices desiredStatus at its next step.
  }

  /** Ends the stop of a task that was DEACTIVATING while its targets drained. */
  completeStop(task: Task): void {
    this.track(this.finishStop(task));
  }

  /** Stops and removes a task's containers; calls for one task run one after the other. */
  finishStop(task: Task): Promise<void> {
    const next = (this.stopping.get(task.id) ?? Promise.resolve()).then(() => this.stopContainers(task));
    this.stopping.set(task.id, next);
    return next;
  }

  private async stopContainers(task: Task): Promise<void> {
    // A container can appear after the task was marked STOPPED (a start racing a reset): it is removed too.
    const pending = task.containers.filter((container) => container.runtimeId && !container.removed);
    const alreadyStopped = task.lastStatus === 'STOPPED';
    if (alreadyStopped && pending.length === 0) return;
    if (!alreadyStopped) this.setStatus(task, 'STOPPING');
    await Promise.all(
      pending.map(async (container) => {
        if (!container.runtimeId) return;
        container.removed = true;
        // ECS's stopTimeout (default 30 s) for this container, capped by the local knob.
        const stopTimeout = Math.min(container.stopTimeoutSeconds ?? 30, this.knobs.stopTimeoutSeconds);
        await this.deps.runtime.stop(container.runtimeId, stopTimeout).catch(() => undefined);
        const state = await this.deps.runtime.inspect(container.runtimeId).catch(() => undefined);
        if (state && state.status !== 'missing' && container.exitCode === undefined)
          container.exitCode = state.exitCode;
        if (container.logStream && this.deps.logs) {
          // The container goes away now; its stream keeps what it wrote.
          const lines = await this.deps.runtime.logs(container.runtimeId).catch(() => []);
          this.deps.logs.register({
            ...container.logStream,
            createdAt: task.createdAt,
            read: () => Promise.resolve(lines),
          });
        }
        await this.deps.runtime.remove(container.runtimeId).catch(() => undefined);
      }),
    );
    if (alreadyStopped || task.lastStatus === 'STOPPED') return;
    for (const container of task.containers) {
      container.lastStatus = 'STOPPED';
      if (container.hostPort) this.usedPorts.delete(container.hostPort);
    }
    task.stoppedAt = this.now();
    this.setStatus(task, 'STOPPED');
    this.deps.log?.(`task ${task.id} stopped: ${task.stoppedReason ?? 'no reason'}`);
  }
}

/** Read through a function: the task is changed concurrently while its start awaits. */
function stopRequested(task: Task): boolean {
  return task.desiredStatus === 'STOPPED';
}

function commandOverrides(
  task: Task,
  definition: ContainerDefinition,
): { command?: string[]; entryPoint?: string[] } {
  const overrides = (task.overrides['containerOverrides'] ?? []) as { name?: string; command?: string[] }[];
  const override = overrides.find((candidate) => candidate.name === definition.name);
  const command = override?.command ?? definition.command;
  return {
    ...(command ? { command } : {}),
    ...(definition.entryPoint ? { entryPoint: definition.entryPoint } : {}),
  };
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]!.slice(0, 255);
}
