import { parseCredentials } from './protocol.js';

/** Timing knobs: how fast the simulated ECS moves. Defaults are AWS's; tests and the demo opt into speed-ups. */
export interface LocalAwsKnobs {
  /** PROVISIONING -> PENDING -> RUNNING takes this long (ms), split in two halves, before the pull. */
  taskStartDelayMs: number;
  /**
   * A task with neither a load balancer nor a container healthCheck counts as healthy this long (ms) after
   * RUNNING: ECS's 40 s by default (AWS-FACTS section 1); tests opt into less.
   */
  healthyAfterMs: number;
  /**
   * Container healthCheck interval (ms): 0 = the task definition's interval (ECS default 30 s), > 0 replaces
   * it. Timeout, retries and start period always come from the task definition.
   */
  healthCheckIntervalMs: number;
  /** Failed tasks before the circuit breaker trips; 0 = ECS's rule min(max(3, ceil(desired/2)), 200). */
  circuitBreakerThreshold: number;
  /** How often (ms) the scheduler reconciles tasks with Docker and moves deployments on. */
  deploymentTickMs: number;
  /** Seconds between SIGTERM and SIGKILL when a task is stopped (ECS's stopTimeout, capped by this). */
  stopTimeoutSeconds: number;
  /** Target group health check interval (ms) for every group; 0 = each group's own HealthCheckIntervalSeconds. */
  targetHealthCheckIntervalMs: number;
  /** How long (ms) a deregistered target drains; 0 = each group's deregistration_delay.timeout_seconds. */
  deregistrationDelayMs: number;
}

export interface LocalAwsOptions extends LocalAwsKnobs {
  /** 0 = any free port. */
  port: number;
  host: string;
  /** host:port of the Distribution registry the images live in. */
  registry: string;
  registryUsername: string;
  registryPassword: string;
  region: string;
  accountId: string;
  /** Front door of the first load-balanced service; +1 per service. 0 = any free port for every service. */
  firstFrontDoorPort: number;
  /** Unix socket of the Docker Engine. */
  dockerSocket: string;
  /** valueFrom -> value for container definition `secrets` (ARNs cannot be resolved locally). */
  secrets: Record<string, string>;
  /** Serve the registry API on local-aws's port with ECR's push rules (repositoryUri/proxyEndpoint point here). */
  registryProxy: boolean;
  /** accessKeyId -> secret: when set, SigV4 signatures are verified against them (otherwise any key works). */
  credentials: Record<string, string>;
}

export const DEFAULT_KNOBS: LocalAwsKnobs = {
  taskStartDelayMs: 500,
  healthyAfterMs: 40_000,
  healthCheckIntervalMs: 0,
  circuitBreakerThreshold: 0,
  deploymentTickMs: 250,
  stopTimeoutSeconds: 2,
  targetHealthCheckIntervalMs: 0,
  deregistrationDelayMs: 0,
};

export const DEFAULT_OPTIONS: LocalAwsOptions = {
  ...DEFAULT_KNOBS,
  port: 4566,
  host: '127.0.0.1',
  registry: '127.0.0.1:5000',
  registryUsername: 'AWS',
  registryPassword: '',
  region: 'us-east-1',
  accountId: '000000000000',
  firstFrontDoorPort: 18080,
  dockerSocket: '/var/run/docker.sock',
  secrets: {},
  credentials: {},
  registryProxy: false,
};

const KNOB_ENV: Record<keyof LocalAwsKnobs, string> = {
  taskStartDelayMs: 'LOCAL_AWS_TASK_START_DELAY_MS',
  healthyAfterMs: 'LOCAL_AWS_HEALTHY_AFTER_MS',
  healthCheckIntervalMs: 'LOCAL_AWS_HEALTH_CHECK_INTERVAL_MS',
  circuitBreakerThreshold: 'LOCAL_AWS_CIRCUIT_BREAKER_THRESHOLD',
  deploymentTickMs: 'LOCAL_AWS_DEPLOYMENT_TICK_MS',
  stopTimeoutSeconds: 'LOCAL_AWS_STOP_TIMEOUT_SECONDS',
  targetHealthCheckIntervalMs: 'LOCAL_AWS_TARGET_HEALTH_CHECK_INTERVAL_MS',
  deregistrationDelayMs: 'LOCAL_AWS_DEREGISTRATION_DELAY_MS',
};

function envInteger(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) {
    throw new Error(`${name} must be a whole number >= 0, got "${raw}".`);
  }
  return value;
}

/** The CLI's options from LOCAL_AWS_* variables (see README.md); unset ones keep their defaults. */
export function optionsFromEnv(env: NodeJS.ProcessEnv): Partial<LocalAwsOptions> {
  const options: Partial<LocalAwsOptions> = {};
  const port = envInteger(env, 'LOCAL_AWS_PORT');
  if (port !== undefined) options.port = port;
  const frontDoor = envInteger(env, 'LOCAL_AWS_FRONT_DOOR_PORT');
  if (frontDoor !== undefined) options.firstFrontDoorPort = frontDoor;
  const strings = {
    host: 'LOCAL_AWS_HOST',
    registry: 'LOCAL_AWS_REGISTRY',
    registryUsername: 'LOCAL_AWS_REGISTRY_USERNAME',
    registryPassword: 'LOCAL_AWS_REGISTRY_PASSWORD',
    region: 'LOCAL_AWS_REGION',
    accountId: 'LOCAL_AWS_ACCOUNT_ID',
    dockerSocket: 'LOCAL_AWS_DOCKER_SOCKET',
  } as const;
  for (const [key, name] of Object.entries(strings) as [keyof typeof strings, string][]) {
    const value = env[name];
    if (value) options[key] = value;
  }
  for (const [key, name] of Object.entries(KNOB_ENV) as [keyof LocalAwsKnobs, string][]) {
    const value = envInteger(env, name);
    if (value !== undefined) options[key] = value;
  }
  if (env['LOCAL_AWS_REGISTRY_PROXY'])
    options.registryProxy = ['1', 'true'].includes(env['LOCAL_AWS_REGISTRY_PROXY']);
  const credentials = env['LOCAL_AWS_CREDENTIALS'];
  if (credentials) options.credentials = parseCredentials(credentials);
  const secrets = env['LOCAL_AWS_SECRETS'];
  if (secrets) options.secrets = parseSecrets(secrets);
  return options;
}

function parseSecrets(raw: string): Record<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new Error('LOCAL_AWS_SECRETS must be a JSON object mapping valueFrom ARNs to values.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error('LOCAL_AWS_SECRETS must be a JSON object mapping valueFrom ARNs to values.');
  }
  return Object.fromEntries(Object.entries(parsed).map(([key, value]) => [key, String(value)]));
}

/** Keeps only known knob names with whole-number values (for the admin endpoint). */
export function pickKnobs(input: Record<string, unknown>): Partial<LocalAwsKnobs> {
  const knobs: Partial<LocalAwsKnobs> = {};
  for (const key of Object.keys(DEFAULT_KNOBS) as (keyof LocalAwsKnobs)[]) {
    const value = input[key];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
      throw new Error(`knob ${key} must be a whole number >= 0`);
    }
    knobs[key] = value;
  }
  return knobs;
}
