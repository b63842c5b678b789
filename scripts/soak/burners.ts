// Background load for the soak and the under-load runs: busy-looping Node processes, each bounded by
// `timeout` so none outlives a crashed parent, stopped by PID.
import { spawn, type ChildProcess } from 'node:child_process';

export interface Burners {
  pids: number[];
  /** Stops every burner this started (SIGTERM to `timeout`, which passes it on to its Node). */
  stop: () => void;
}

export function startCpuBurners(count: number, boundSeconds: number): Burners {
  const children: ChildProcess[] = [];
  for (let index = 0; index < count; index++) {
    const child = spawn('timeout', [String(boundSeconds), process.execPath, '-e', 'for(;;){}'], {
      stdio: 'ignore',
    });
    child.on('error', () => undefined);
    children.push(child);
  }
  return {
    pids: children.flatMap((child) => (child.pid !== undefined ? [child.pid] : [])),
    stop: () => {
      for (const child of children) {
        if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) continue;
        try {
          process.kill(child.pid, 'SIGTERM');
        } catch {
          // Already gone (its bound ran out): nothing to stop.
        }
      }
    },
  };
}
