import { ConfigurationError } from '../../../shared/errors.js';
import type { CommandOptions, RunCommand } from '../../../actions/build-push/src/docker.js';
import { login, STATE_REGISTRY } from '../../../actions/build-push/src/login.js';
import { RegistryError } from '../../../actions/build-push/src/registry.js';
import type { Target } from '../../../actions/build-push/src/target.js';

const target: Target = {
  image: '127.0.0.1:5000/team/app',
  host: '127.0.0.1:5000',
  endpoint: '127.0.0.1:5000',
  // A fake value for the test.
  // shipkit-ignore: secret-generic-password
  credentials: { username: 'AWS', password: 's3cret-pw' },
  immutable: false,
  ecr: undefined,
};

interface DockerCall {
  args: readonly string[];
  options: CommandOptions | undefined;
}

function setup(exitCode: number, ping: () => Promise<void>) {
  const calls: DockerCall[] = [];
  const order: string[] = [];
  const docker: RunCommand = (_command, args, options) => {
    calls.push({ args, options });
    order.push('docker');
    return Promise.resolve({ exitCode, stdout: '', stderr: exitCode === 0 ? '' : 'Error: unauthorized' });
  };
  const state: Record<string, string> = {};
  const info: string[] = [];
  const deps = {
    docker,
    log: { info: (message: string) => info.push(message), warning: () => undefined },
    saveState: (name: string, value: string) => {
      state[name] = value;
    },
  };
  const registry = {
    ping: () => {
      order.push('ping');
      return ping();
    },
  };
  return { calls, order, state, info, deps, registry };
}

describe('login', () => {
  it('logs docker in with the password on stdin, pinging the registry alongside, and saves the post state', async () => {
    const { calls, order, state, info, deps, registry } = setup(0, () => Promise.resolve());
    await login(target, registry, deps);
    expect(order).toEqual(['docker', 'ping']);
    expect(calls[0]!.args.join(' ')).not.toContain('s3cret-pw');
    expect(calls[0]!.options?.stdin).toBe('s3cret-pw');
    expect(state[STATE_REGISTRY]).toBe('127.0.0.1:5000');
    expect(info).toEqual(['Logged in to 127.0.0.1:5000 as AWS.']);
  });

  it('reports refused credentials from the ping (the clearer error) when both fail', async () => {
    const { state, deps, registry } = setup(1, () =>
      Promise.reject(
        new RegistryError('The registry http://127.0.0.1:5000 refused the credentials (HTTP 401).', 401),
      ),
    );
    const failure = login(target, registry, deps);
    await expect(failure).rejects.toThrow(ConfigurationError);
    await expect(failure).rejects.toThrow(/refused the credentials \(HTTP 401\)\. Check "registry-username"/);
    expect(state[STATE_REGISTRY]).toBeUndefined();
  });

  it('still records a login that went through when the ping fails, so the post step logs out', async () => {
    const { state, deps, registry } = setup(0, () =>
      Promise.reject(new RegistryError('Cannot reach the registry at http://127.0.0.1:5000: ECONNRESET.')),
    );
    await expect(login(target, registry, deps)).rejects.toThrow(/Cannot reach the registry/);
    expect(state[STATE_REGISTRY]).toBe('127.0.0.1:5000');
  });

  it('fails with docker’s reason when only docker login fails', async () => {
    const { state, info, deps, registry } = setup(1, () => Promise.resolve());
    await expect(login(target, registry, deps)).rejects.toThrow(
      'docker login 127.0.0.1:5000 failed: Error: unauthorized',
    );
    expect(state[STATE_REGISTRY]).toBeUndefined();
    expect(info).toEqual([]);
  });

  it('only pings when there are no credentials', async () => {
    const { calls, order, deps, registry } = setup(0, () => Promise.resolve());
    await login({ ...target, credentials: undefined }, registry, deps);
    expect(calls).toHaveLength(0);
    expect(order).toEqual(['ping']);
  });
});
