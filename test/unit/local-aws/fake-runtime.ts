// A container runtime without Docker for the stand-in's unit tests: containers are records, apps are
// node:http servers on the PORT the stand-in hands them.
import { createServer, type Server } from 'node:http';

import type { ContainerSpec, ContainerState, LogLine } from '../../../tools/local-aws/docker-engine.js';
import type { TaskRuntime } from '../../../tools/local-aws/task-runtime.js';

interface FakeContainer {
  spec: ContainerSpec;
  state: ContainerState;
  /** Answers on PORT like an app would: {"container": id, "mode": MODE}. */
  server?: Server;
}

/**
 * Containers that run until stopped, answering HTTP on PORT. Image tags steer them: ":exits" exits 2 at
 * once, ":sick" turns unhealthy, ":silent" runs but never answers, ":crash<ms>" never answers and exits 3
 * <ms> after its start (a release that dies while booting, as a Node app does 0.7-1.7 s in).
 */
export class FakeRuntime implements TaskRuntime {
  readonly containers = new Map<string, FakeContainer>();
  readonly started: ContainerSpec[] = [];
  maxAlive = 0;
  /** Makes run() slow, to race it against a stop. */
  runDelayMs = 0;
  /** Makes inspect() slow, to race the check after a start against a stop. */
  inspectDelayMs = 0;
  private next = 0;

  pull(image: string): Promise<void> {
    if (image.endsWith(':missing'))
      return Promise.reject(new Error(`manifest for ${image} not found: manifest unknown`));
    return Promise.resolve();
  }
  async run(spec: ContainerSpec): Promise<string> {
    if (this.runDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.runDelayMs));
    const id = `c${(this.next += 1)}`;
    const exits = spec.image.endsWith(':exits');
    this.containers.set(id, {
      spec,
      state: {
        status: exits ? 'exited' : 'running',
        running: !exits,
        exitCode: exits ? 2 : 0,
        error: '',
        oomKilled: false,
        ...(spec.healthcheck ? { health: spec.image.endsWith(':sick') ? 'unhealthy' : 'healthy' } : {}),
        imageId: 'sha256:fake',
      },
    });
    this.started.push(spec);
    const crashAfterMs = /:crash(\d+)$/.exec(spec.image)?.[1];
    if (crashAfterMs !== undefined) {
      const timer = setTimeout(() => void this.end(id, 3), Number(crashAfterMs));
      timer.unref();
    }
    const silent = spec.image.endsWith(':silent') || crashAfterMs !== undefined;
    if (!exits && !silent && spec.env['PORT']) {
      const server = createServer((_request, response) =>
        response.end(JSON.stringify({ container: id, mode: spec.env['MODE'] })),
      );
      server.listen(Number(spec.env['PORT']), '127.0.0.1');
      this.containers.get(id)!.server = server;
    }
    this.maxAlive = Math.max(this.maxAlive, this.alive());
    return id;
  }
  alive(): number {
    return [...this.containers.values()].filter((container) => container.state.running).length;
  }
  async inspect(id: string): Promise<ContainerState> {
    if (this.inspectDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.inspectDelayMs));
    const container = this.containers.get(id);
    return Promise.resolve(
      container?.state ?? {
        status: 'missing',
        running: false,
        exitCode: -1,
        error: '',
        oomKilled: false,
        imageId: '',
      },
    );
  }
  imageDigest(): Promise<string | undefined> {
    return Promise.resolve(`sha256:${'f'.repeat(64)}`);
  }
  private end(id: string, exitCode: number): Promise<void> {
    const container = this.containers.get(id);
    if (container?.state.running)
      container.state = { ...container.state, status: 'exited', running: false, exitCode };
    container?.server?.closeAllConnections();
    container?.server?.close();
    return Promise.resolve();
  }
  stop(id: string): Promise<void> {
    return this.end(id, 0);
  }
  kill(id: string): Promise<void> {
    return this.end(id, 137);
  }
  remove(id: string): Promise<void> {
    this.containers.delete(id);
    return Promise.resolve();
  }
  /** The one-call listing the scheduler prefers; exited containers are then inspected one by one. */
  listStates(): Promise<Map<string, { running: boolean; health?: string }>> {
    const states = new Map<string, { running: boolean; health?: string }>();
    for (const [id, { state }] of this.containers) {
      states.set(id, { running: state.running, ...(state.health ? { health: state.health } : {}) });
    }
    return Promise.resolve(states);
  }
  logs(id: string): Promise<LogLine[]> {
    const container = this.containers.get(id);
    if (!container) return Promise.resolve([]);
    const lines = [{ timestamp: 1_700_000_000_000, message: `starting ${container.spec.image}` }];
    if (!container.state.running)
      lines.push({ timestamp: 1_700_000_001_000, message: `exit ${container.state.exitCode}` });
    return Promise.resolve(lines);
  }
}
