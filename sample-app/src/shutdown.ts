import type { Server } from 'node:http';

export interface DrainResult {
  /** True when in-flight requests outlived the timeout and their connections were cut. */
  forced: boolean;
}

/**
 * Stops accepting connections, lets in-flight requests finish, and cuts whatever is still open after
 * `timeoutMs` (ECS sends SIGKILL 30 s after SIGTERM by default; better to end on our own terms).
 */
export function drainServer(
  server: Server,
  timeoutMs: number,
  timers: Pick<
    typeof globalThis,
    'setTimeout' | 'clearTimeout' | 'setInterval' | 'clearInterval'
  > = globalThis,
): Promise<DrainResult> {
  return new Promise((resolve) => {
    let forced = false;
    const timer = timers.setTimeout(() => {
      forced = true;
      server.closeAllConnections();
    }, timeoutMs);
    // A keep-alive connection turns idle when its last request ends; close() alone would then wait for the
    // client to hang up. Sweeping idle connections lets close() finish as soon as the last request is done.
    const sweep = timers.setInterval(() => server.closeIdleConnections(), 50);
    server.close(() => {
      timers.clearTimeout(timer);
      timers.clearInterval(sweep);
      resolve({ forced });
    });
    server.closeIdleConnections();
  });
}

export interface SignalTarget {
  on(event: 'SIGTERM' | 'SIGINT', listener: (signal: NodeJS.Signals) => void): unknown;
}

/**
 * On the first SIGTERM or SIGINT runs `stop` and exits 0 (1 if stopping failed); a second signal exits at
 * once, for the operator who presses Ctrl-C twice.
 */
export function exitOnSignals(options: {
  target: SignalTarget;
  stop: () => Promise<void>;
  exit: (code: number) => void;
  log: (line: string) => void;
}): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping) {
      options.log(`${signal} again: exiting now`);
      options.exit(1);
      return;
    }
    stopping = true;
    options.log(`${signal}: finishing in-flight requests, then exiting`);
    options.stop().then(
      () => options.exit(0),
      (error: unknown) => {
        options.log(`shutdown failed: ${error instanceof Error ? error.message : String(error)}`);
        options.exit(1);
      },
    );
  };
  options.target.on('SIGTERM', onSignal);
  options.target.on('SIGINT', onSignal);
}
