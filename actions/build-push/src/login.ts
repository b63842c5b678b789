import { ConfigurationError } from '../../../shared/errors.js';
import { loginArgs, logoutArgs } from './docker-args.js';
import { spawnCommand, tail, type RunCommand } from './docker.js';
import type { Logger } from './publish.js';
import { RegistryError, type RegistryClient } from './registry.js';
import type { Target } from './target.js';

/** Saved by the main step for the post step: which registry to log out of, with which DOCKER_CONFIG. */
export const STATE_REGISTRY = 'login-registry';
export const STATE_DOCKER_CONFIG = 'docker-config';

export interface LoginDeps {
  log: Pick<Logger, 'info' | 'warning'>;
  /** Keeps a value for the post step (core.saveState). */
  saveState: (name: string, value: string) => void;
  docker?: RunCommand;
}

/**
 * Checks reachability and credentials with a plain HTTP call (clear errors) while docker logs in: the two
 * are independent, and the HTTP call's error wins when both fail.
 */
export async function login(
  target: Target,
  registry: Pick<RegistryClient, 'ping'>,
  deps: LoginDeps,
): Promise<void> {
  const docker = deps.docker ?? spawnCommand;
  const credentials = target.credentials;
  // docker first: its process then starts while this one sets up the HTTP call.
  const dockerLogin = credentials
    ? docker('docker', loginArgs(target.host, credentials.username), { stdin: credentials.password })
    : Promise.resolve(undefined);
  const [loggedIn, pinged] = await Promise.allSettled([dockerLogin, registry.ping()]);
  // A login that went through is logged out by the post step, even when the ping then fails the run.
  if (loggedIn.status === 'fulfilled' && loggedIn.value?.exitCode === 0) {
    deps.saveState(STATE_REGISTRY, target.host);
    deps.saveState(STATE_DOCKER_CONFIG, process.env['DOCKER_CONFIG'] ?? '');
  }
  if (pinged.status === 'rejected') {
    const error: unknown = pinged.reason;
    if (error instanceof RegistryError && (error.status === 401 || error.status === 403)) {
      throw new ConfigurationError(
        `${error.message} Check "registry-username" and "registry-password" (for ECR: the role's ecr:GetAuthorizationToken permission).`,
      );
    }
    throw error;
  }
  if (!credentials) return;
  if (loggedIn.status === 'rejected') throw loggedIn.reason;
  const result = loggedIn.value!;
  if (result.exitCode !== 0) {
    throw new Error(`docker login ${target.host} failed: ${tail(result.stderr || result.stdout, 2)}`);
  }
  deps.log.info(`Logged in to ${target.host} as ${credentials.username}.`);
}

/** Logs docker out of `host` with the DOCKER_CONFIG the login used; a failure is only a warning. */
export async function logout(
  host: string,
  dockerConfig: string,
  deps: Pick<LoginDeps, 'log' | 'docker'>,
): Promise<void> {
  const docker = deps.docker ?? spawnCommand;
  const result = await docker(
    'docker',
    logoutArgs(host),
    dockerConfig ? { env: { DOCKER_CONFIG: dockerConfig } } : {},
  );
  if (result.exitCode === 0) deps.log.info(`Logged out of ${host}.`);
  else deps.log.warning(`docker logout ${host} failed: ${tail(result.stderr || result.stdout)}`);
}
