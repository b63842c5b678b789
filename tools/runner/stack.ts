import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { REPO_ROOT } from './run-action.js';

/** What `bash scripts/stack-up.sh` started, as written to .stack/env. */
export interface LocalStack {
  /** host:port of the local Distribution registry (htpasswd auth). */
  registry: string;
  registryUsername: string;
  registryPassword: string;
  /** The Node 24 base image in the local registry, for `--build-arg BASE_IMAGE=...`. */
  baseImage: string;
  /** Folder holding a `docker` that is Debian's 20.10 client (BuildKit without buildx); prepend to PATH. */
  dockerBinDir: string;
  /** The local ECS/ECR stand-in (http://127.0.0.1:4566). */
  localAwsUrl: string;
  /** Environment for a child process that should use the stack: AWS_*, PATH, DOCKER_BUILDKIT. */
  env: Record<string, string>;
}

export const STACK_ENV_FILE = join(REPO_ROOT, '.stack', 'env');

export function readStackEnv(file = STACK_ENV_FILE): Record<string, string> {
  const values: Record<string, string> = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const match = /^(?:export\s+)?([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (match) values[match[1]!] = match[2]!.replace(/^(['"])(.*)\1$/, '$2');
  }
  return values;
}

/** The running local stack; fails the test with the command to run when it is not up. */
export function requireStack(): LocalStack {
  if (!existsSync(STACK_ENV_FILE)) {
    throw new Error(
      'The local stack is not running: start it with "bash scripts/stack-up.sh" (npm test does).',
    );
  }
  const values = readStackEnv();
  const get = (name: string): string => {
    const value = values[name];
    if (value === undefined) throw new Error(`.stack/env has no ${name}: re-run "bash scripts/stack-up.sh".`);
    return value;
  };
  const dockerBinDir = get('SHIPKIT_DOCKER_BIN');
  return {
    registry: get('SHIPKIT_REGISTRY'),
    registryUsername: get('SHIPKIT_REGISTRY_USERNAME'),
    registryPassword: get('SHIPKIT_REGISTRY_PASSWORD'),
    baseImage: get('SHIPKIT_BASE_IMAGE'),
    dockerBinDir,
    localAwsUrl: get('SHIPKIT_LOCAL_AWS'),
    env: {
      PATH: `${dockerBinDir}:${process.env['PATH'] ?? ''}`,
      DOCKER_BUILDKIT: '1',
      AWS_REGION: get('AWS_REGION'),
      AWS_ACCESS_KEY_ID: get('AWS_ACCESS_KEY_ID'),
      AWS_SECRET_ACCESS_KEY: get('AWS_SECRET_ACCESS_KEY'),
      AWS_ENDPOINT_URL_ECS: get('AWS_ENDPOINT_URL_ECS'),
      AWS_ENDPOINT_URL_ECR: get('AWS_ENDPOINT_URL_ECR'),
      AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: get('AWS_ENDPOINT_URL_CLOUDWATCH_LOGS'),
      // deploy-ecs reads target health through ELBv2: it must reach the stand-in, never real AWS.
      AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2: get('AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2'),
    },
  };
}
