/**
 * One step of ECS's rolling-update scheduler, as a pure function: given the tasks of each deployment,
 * which tasks to stop and how many new PRIMARY tasks to start, within deploymentConfiguration's
 * maximumPercent (ceiling on tasks alive at once) and minimumHealthyPercent (floor on healthy tasks).
 */
export type TaskPhase = 'starting' | 'running' | 'healthy';

export interface PlannedTask {
  id: string;
  phase: TaskPhase;
}

export interface RolloutInput {
  desiredCount: number;
  maximumPercent: number;
  minimumHealthyPercent: number;
  /** Tasks (not stopping or stopped) of the PRIMARY deployment. */
  primary: PlannedTask[];
  /** May the PRIMARY deployment start tasks (false once its rollout FAILED without rollback). */
  primaryMayLaunch: boolean;
  /** Tasks (not stopping or stopped) of every older deployment, oldest last. */
  older: PlannedTask[];
}

export interface RolloutStep {
  start: number;
  stop: string[];
}

const PHASE_ORDER: Record<TaskPhase, number> = { starting: 0, running: 1, healthy: 2 };

/** Least useful first: tasks still starting, then running-but-not-healthy, then healthy. */
function byUsefulness(tasks: PlannedTask[]): PlannedTask[] {
  return [...tasks].sort((a, b) => PHASE_ORDER[a.phase] - PHASE_ORDER[b.phase]);
}

export function planRollout(input: RolloutInput): RolloutStep {
  const desired = Math.max(0, input.desiredCount);
  const maxTotal = Math.max(Math.floor((desired * input.maximumPercent) / 100), desired === 0 ? 0 : 1);
  const minHealthy = Math.min(Math.ceil((desired * input.minimumHealthyPercent) / 100), desired);
  const stop: string[] = [];

  // Scale-in of the PRIMARY itself.
  const primary = byUsefulness(input.primary);
  while (primary.length > desired) stop.push(primary.shift()!.id);

  const primaryHealthy = primary.filter((task) => task.phase === 'healthy').length;
  const older = byUsefulness(input.older);
  // Older deployments' tasks that are not serving can go at once; the rest only while the healthy
  // floor holds (all of them once the PRIMARY alone is at its desired healthy count).
  let healthyTotal = primaryHealthy + older.filter((task) => task.phase === 'healthy').length;
  for (const task of older) {
    if (!input.primaryMayLaunch && input.primary.length === 0 && task.phase === 'healthy') continue;
    if (task.phase !== 'healthy') {
      stop.push(task.id);
      continue;
    }
    if (primaryHealthy >= desired || healthyTotal - 1 >= minHealthy) {
      stop.push(task.id);
      healthyTotal -= 1;
    }
  }

  const alive = primary.length + older.filter((task) => !stop.includes(task.id)).length;
  const start = input.primaryMayLaunch
    ? Math.max(0, Math.min(desired - primary.length, maxTotal - alive))
    : 0;
  return { start, stop };
}
