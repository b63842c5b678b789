import { existsSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';

import type { NetworkConfiguration } from '@aws-sdk/client-ecs';

import { REGION_SHAPE } from '../../../shared/aws.js';
import { ConfigurationError } from '../../../shared/errors.js';
import {
  getBoolean,
  getDuration,
  getInteger,
  getKeyValues,
  getList,
  getOptionalString,
  getString,
  quoteInput,
} from '../../../shared/inputs.js';
import { DEFAULT_BAKE_TIME_MS } from './bake.js';
import type { ServiceTarget } from './context.js';
import type { DeployRequest, MigrationOptions, TaskDefinitionSource } from './deploy.js';
import { parseTaskDefinition } from './render.js';

/** The inputs of action.yml, typed and validated in one place; keys as in action.yml. */
export interface DeployEcsInputs {
  'task-definition'?: string;
  'task-definition-arn'?: string;
  'from-service'?: string;
  container?: string;
  image?: string;
  images: Map<string, string>;
  'environment-variables': Map<string, string>;
  secrets: Map<string, string>;
  tags: Map<string, string>;
  'allow-mutable-image': boolean;
  cluster: string;
  services: ServiceTarget[];
  'max-concurrency': number;
  'force-new-deployment': boolean;
  'desired-count'?: number;
  'create-service-if-missing': boolean;
  'network-configuration'?: NetworkConfiguration;
  'enable-execute-command': boolean;
  'wait-for-stability': boolean;
  timeout: number;
  /** How long to keep watching each service after it reached steady state; 0 = no bake. */
  'bake-time': number;
  rollback: boolean;
  'migration-command'?: string[];
  'migration-container'?: string;
  'migration-timeout': number;
  'keep-revisions': number;
  'aws-region'?: string;
}

const SERVICE_ARN = /^arn:aws[\w-]*:ecs:[^:]*:\d*:service\/([^/]+)\/([^/]+)$/;
const NAME = /^[A-Za-z0-9_-]{1,255}$/;

/** `svc`, `cluster/svc` or a service ARN -> { cluster, service }. */
export function parseServiceTarget(raw: string, defaultCluster: string, input = 'services'): ServiceTarget {
  const arn = SERVICE_ARN.exec(raw);
  const [cluster, service] = arn
    ? [arn[1]!, arn[2]!]
    : raw.includes('/')
      ? [raw.slice(0, raw.indexOf('/')), raw.slice(raw.indexOf('/') + 1)]
      : [defaultCluster, raw];
  if (!NAME.test(cluster) || !NAME.test(service)) {
    throw new ConfigurationError(
      `Input "${input}" has ${quoteInput(raw)}, which is not a service name, cluster/service or service ARN: use letters, digits, - and _.`,
    );
  }
  return { cluster, service };
}

/** `["npm","run","migrate"]` as is; anything else runs through `sh -c`. */
export function parseCommand(raw: string): string[] {
  if (raw.startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      parsed = undefined;
    }
    if (!Array.isArray(parsed) || parsed.length === 0 || !parsed.every((part) => typeof part === 'string')) {
      throw new ConfigurationError(
        'Input "migration-command" starts with "[" but is not a JSON list of strings: write ["npm", "run", "migrate"] or a plain shell command.',
      );
    }
    return parsed;
  }
  return ['sh', '-c', raw];
}

function parseNetworkConfiguration(raw: string | undefined): NetworkConfiguration | undefined {
  if (!raw) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    parsed = undefined;
  }
  const config = parsed as { awsvpcConfiguration?: { subnets?: unknown } } | undefined;
  if (typeof config !== 'object' || config === null || !Array.isArray(config.awsvpcConfiguration?.subnets)) {
    throw new ConfigurationError(
      'Input "network-configuration" must be JSON like {"awsvpcConfiguration": {"subnets": ["subnet-..."], "securityGroups": ["sg-..."]}}.',
    );
  }
  return parsed as NetworkConfiguration;
}

export function readInputs(): DeployEcsInputs {
  const cluster = getString('cluster') || 'default';
  if (!NAME.test(cluster)) {
    throw new ConfigurationError(
      `Input "cluster" must be a cluster name (letters, digits, - and _), got ${quoteInput(cluster)}.`,
    );
  }
  const images = getKeyValues('images');
  const container = getOptionalString('container');
  const image = getOptionalString('image');
  for (const [name, value] of images) {
    if (value.trim() === '') {
      throw new ConfigurationError(
        `Input "images" gives container ${quoteInput(name)} an empty image: pass its image (build-push's "image-uri" output), or drop the line to keep the image it has.`,
      );
    }
  }
  if (image && !container) {
    throw new ConfigurationError('Input "image" needs "container" to say which container runs it.');
  }
  if (container && image) {
    if (images.has(container)) {
      throw new ConfigurationError(
        `Input "images" sets container ${quoteInput(container)} again: use either "image" or "images".`,
      );
    }
    images.set(container, image);
  }
  const desired = getOptionalString('desired-count');
  const migration = getOptionalString('migration-command');
  const environment = getKeyValues('environment-variables');
  const secrets = getKeyValues('secrets');
  // `container` alone changes nothing: an empty `image` there is an expression that came out empty.
  if (container && !image && !images.has(container) && environment.size + secrets.size === 0 && !migration) {
    throw new ConfigurationError(
      `Input "image" is empty, so container ${quoteInput(container)} would keep its old image: pass the image (build-push's "image-uri" output) or drop "container".`,
    );
  }
  const region = getOptionalString('aws-region');
  if (region !== undefined) checkRegion(region, 'Input "aws-region"');
  const network = parseNetworkConfiguration(getOptionalString('network-configuration'));
  return {
    ...optional('task-definition', getOptionalString('task-definition')),
    ...optional('task-definition-arn', getOptionalString('task-definition-arn')),
    ...optional('from-service', getOptionalString('from-service')),
    ...optional('container', container),
    ...optional('image', image),
    images,
    'environment-variables': environment,
    secrets,
    tags: getKeyValues('tags'),
    'allow-mutable-image': getBoolean('allow-mutable-image', false),
    cluster,
    services: getList('services').map((raw) => parseServiceTarget(raw, cluster)),
    'max-concurrency': getInteger('max-concurrency', 5, { min: 1, max: 50 }),
    'force-new-deployment': getBoolean('force-new-deployment', false),
    ...(desired !== undefined ? { 'desired-count': getInteger('desired-count', 0, { min: 0 }) } : {}),
    'create-service-if-missing': getBoolean('create-service-if-missing', false),
    ...optional('network-configuration', network),
    'enable-execute-command': getBoolean('enable-execute-command', false),
    'wait-for-stability': getBoolean('wait-for-stability', true),
    timeout: getDuration('timeout', 600_000, { minMs: 1000, maxMs: 6 * 3_600_000 }),
    'bake-time': getDuration('bake-time', DEFAULT_BAKE_TIME_MS, { maxMs: 6 * 3_600_000 }),
    rollback: getBoolean('rollback', true),
    ...optional('migration-command', migration !== undefined ? parseCommand(migration) : undefined),
    ...optional('migration-container', getOptionalString('migration-container')),
    'migration-timeout': getDuration('migration-timeout', 600_000, { minMs: 1000 }),
    'keep-revisions': getInteger('keep-revisions', 0, { min: 0, max: 1000 }),
    ...optional('aws-region', region),
  };
}

/**
 * Refuses a region that is not shaped like a region code, before any AWS call would send a request to a
 * host that does not exist. Only the shape is checked (see REGION_SHAPE), never a list of regions.
 */
export function checkRegion(region: string, source: string): void {
  if (!REGION_SHAPE.test(region)) {
    throw new ConfigurationError(
      `${source} is ${quoteInput(region)}, which is not an AWS region code like eu-west-1 or us-gov-west-1: give the region the services run in.`,
    );
  }
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

function readTaskDefinitionFile(path: string, workspace: string): TaskDefinitionSource {
  const full = isAbsolute(path) ? path : resolve(workspace, path);
  if (!existsSync(full)) {
    throw new ConfigurationError(
      `Input "task-definition" names ${quoteInput(path)}, which does not exist: give a path relative to the repository.`,
    );
  }
  if (statSync(full).isDirectory()) {
    throw new ConfigurationError(
      `Input "task-definition" names ${quoteInput(path)}, which is a directory: give the path of the task-definition JSON file in it.`,
    );
  }
  return { kind: 'file', path, taskDefinition: parseTaskDefinition(readFileSync(full, 'utf8'), path) };
}

/** Cross-input rules, then the plain request the deploy logic takes. */
export function toRequest(inputs: DeployEcsInputs, workspace: string): DeployRequest {
  const sources = (['task-definition', 'task-definition-arn', 'from-service'] as const).filter(
    (key) => inputs[key] !== undefined,
  );
  if (sources.length !== 1) {
    throw new ConfigurationError(
      sources.length === 0
        ? 'Input "task-definition" is required: give a task-definition JSON file, or set "task-definition-arn" or "from-service" instead.'
        : `Inputs ${sources.map((key) => `"${key}"`).join(' and ')} both name a task definition: keep only one.`,
    );
  }
  let source: TaskDefinitionSource;
  if (inputs['task-definition-arn'] !== undefined) {
    const arn = inputs['task-definition-arn'];
    if (!/^(arn:aws[\w-]*:ecs:[^:]*:\d*:task-definition\/)?[A-Za-z0-9_-]+:\d+$/.test(arn)) {
      throw new ConfigurationError(
        `Input "task-definition-arn" must be a task-definition ARN or family:revision, got ${quoteInput(arn)}.`,
      );
    }
    const renderInputs = (['image', 'images', 'environment-variables', 'secrets', 'tags'] as const).filter(
      (key) => {
        const value = inputs[key];
        return value instanceof Map ? value.size > 0 : value !== undefined;
      },
    );
    if (renderInputs.length > 0) {
      throw new ConfigurationError(
        `Input "task-definition-arn" deploys a task definition as is, so "${renderInputs[0]}" cannot change it: use "task-definition" or "from-service" to render a new revision.`,
      );
    }
    source = { kind: 'arn', arn };
  } else if (inputs['from-service'] !== undefined) {
    source = {
      kind: 'from-service',
      target: parseServiceTarget(inputs['from-service'], inputs.cluster, 'from-service'),
    };
  } else {
    source = readTaskDefinitionFile(inputs['task-definition']!, workspace);
  }
  const labels = new Set<string>();
  for (const target of inputs.services) {
    const key = `${target.cluster}/${target.service}`;
    if (labels.has(key))
      throw new ConfigurationError(
        `Input "services" lists ${quoteInput(key)} twice: list each service once.`,
      );
    labels.add(key);
  }
  const containerTargets = inputs.container ? [inputs.container] : [...inputs.images.keys()];
  const migration: MigrationOptions | undefined = inputs['migration-command']
    ? {
        command: inputs['migration-command'],
        timeoutMs: inputs['migration-timeout'],
        ...((inputs['migration-container'] ?? inputs.container)
          ? { container: inputs['migration-container'] ?? inputs.container! }
          : {}),
      }
    : undefined;
  return {
    source,
    cluster: inputs.cluster,
    render: {
      images: inputs.images,
      targetContainers: containerTargets,
      environment: inputs['environment-variables'],
      secrets: inputs.secrets,
      tags: inputs.tags,
    },
    allowMutableImage: inputs['allow-mutable-image'],
    targets: inputs.services,
    maxConcurrency: inputs['max-concurrency'],
    forceNewDeployment: inputs['force-new-deployment'],
    ...(inputs['desired-count'] !== undefined ? { desiredCount: inputs['desired-count'] } : {}),
    createIfMissing: inputs['create-service-if-missing'],
    ...(inputs['network-configuration'] ? { networkConfiguration: inputs['network-configuration'] } : {}),
    enableExecuteCommand: inputs['enable-execute-command'],
    waitForStability: inputs['wait-for-stability'],
    timeoutMs: inputs.timeout,
    bakeTimeMs: inputs['bake-time'],
    rollback: inputs.rollback,
    ...(migration ? { migration } : {}),
    keepRevisions: inputs['keep-revisions'],
  };
}
