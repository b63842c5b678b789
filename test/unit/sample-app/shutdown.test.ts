import { jest } from '@jest/globals';
import { EventEmitter, once } from 'node:events';
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { drainServer, exitOnSignals } from '../../../sample-app/src/shutdown.js';

/** A server whose /slow requests wait until the test releases them. */
async function slowServer(): Promise<{
  server: ReturnType<typeof createServer>;
  port: number;
  held: ServerResponse[];
}> {
  const held: ServerResponse[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (req.url === '/slow') held.push(res);
    else res.end('fast');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, port: (server.address() as AddressInfo).port, held };
}

function get(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    })
      .on('error', reject)
      .end();
  });
}

describe('drainServer', () => {
  it('waits for the request in flight, and does not cut it', async () => {
    const { server, port, held } = await slowServer();
    const arrived = once(server, 'request');
    const slow = get(port, '/slow');
    await arrived;
    const timers = {
      setTimeout: jest.fn(() => 1 as unknown as NodeJS.Timeout),
      clearTimeout: jest.fn(),
      setInterval,
      clearInterval,
    };
    const drained = drainServer(server, 5000, timers as never);
    await expect(get(port, '/')).rejects.toThrow(/ECONNREFUSED/);
    held[0]!.end('done');
    expect(await slow).toEqual({ status: 200, body: 'done' });
    // Drained although the client would keep its keep-alive connection open for seconds.
    expect(await drained).toEqual({ forced: false });
    expect(timers.clearTimeout).toHaveBeenCalledTimes(1);
  });

  it('cuts connections that outlive the timeout', async () => {
    const { server, port } = await slowServer();
    const arrived = once(server, 'request');
    const slow = get(port, '/slow');
    await arrived;
    let fire: () => void = () => undefined;
    const timers = {
      setTimeout: jest.fn((callback: () => void) => {
        fire = callback;
        return 1 as unknown as NodeJS.Timeout;
      }),
      clearTimeout: jest.fn(),
      setInterval,
      clearInterval,
    };
    const drained = drainServer(server, 5000, timers as never);
    expect(timers.setTimeout).toHaveBeenCalledWith(expect.any(Function), 5000);
    fire();
    expect(await drained).toEqual({ forced: true });
    await expect(slow).rejects.toThrow(/socket hang up|ECONNRESET/);
  });
});

describe('exitOnSignals', () => {
  it('stops once on SIGTERM and exits 0', async () => {
    const target = new EventEmitter();
    const exit = jest.fn();
    const log = jest.fn();
    let finishStop: () => void = () => undefined;
    const stop = jest.fn(() => new Promise<void>((resolve) => (finishStop = resolve)));
    exitOnSignals({ target, stop, exit, log });

    target.emit('SIGTERM', 'SIGTERM');
    expect(stop).toHaveBeenCalledTimes(1);
    expect(exit).not.toHaveBeenCalled();
    finishStop();
    await new Promise(setImmediate);
    expect(exit).toHaveBeenCalledWith(0);
    expect(log).toHaveBeenCalledWith('SIGTERM: finishing in-flight requests, then exiting');
  });

  it('exits 1 at once on a second signal, and 1 when stopping fails', async () => {
    const target = new EventEmitter();
    const exit = jest.fn();
    exitOnSignals({ target, stop: () => new Promise<void>(() => undefined), exit, log: jest.fn() });
    target.emit('SIGINT', 'SIGINT');
    target.emit('SIGINT', 'SIGINT');
    expect(exit).toHaveBeenCalledWith(1);

    const failing = new EventEmitter();
    const exitAfterFailure = jest.fn();
    exitOnSignals({
      target: failing,
      stop: () => Promise.reject(new Error('db locked')),
      exit: exitAfterFailure,
      log: jest.fn(),
    });
    failing.emit('SIGTERM', 'SIGTERM');
    await new Promise(setImmediate);
    expect(exitAfterFailure).toHaveBeenCalledWith(1);
  });
});
