import { existsSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';

import * as core from '@actions/core';

import { ConfigurationError } from '../../../shared/errors.js';
import {
  getBoolean,
  getChoice,
  getInteger,
  getKeyValues,
  getList,
  getOptionalString,
  getSecret,
  getString,
  quoteInput,
} from '../../../shared/inputs.js';
import { isValidTag, type Toggle } from './metadata.js';

export interface SecretInput {
  id: string;
  /** Exactly one of: the value (masked, passed via the child's environment), an env var name, a file. */
  value?: string;
  env?: string;
  file?: string;
}

/** Every input of action.yml, keyed as there, validated. */
export interface BuildPushInputs {
  /** `ecr`, or a registry host[:port] (optionally with http:// or https://). */
  registry: string;
  repository: string;
  'aws-region': string | undefined;
  'registry-username': string | undefined;
  'registry-password': string | undefined;
  'create-repository': boolean;
  'image-tag-mutability': 'IMMUTABLE' | 'MUTABLE';
  'scan-on-push': boolean;
  context: string;
  /** Absolute path of the Dockerfile; undefined for a remote context's own Dockerfile. */
  file: string | undefined;
  target: string | undefined;
  'build-args': Map<string, string>;
  secrets: SecretInput[];
  platforms: string[];
  network: 'default' | 'host' | 'none';
  pull: boolean;
  'no-cache': boolean;
  'cache-from': string[];
  'cache-to': string[];
  provenance: string | undefined;
  sbom: string | undefined;
  'single-manifest': boolean;
  push: boolean;
  'skip-existing': boolean;
  'tag-sha': 'both' | 'long' | 'short' | 'none';
  'tag-branch': Toggle;
  'tag-pr': Toggle;
  'tag-semver': Toggle;
  'tag-latest': 'false' | 'true' | 'default-branch';
  tags: string[];
  labels: Map<string, string>;
  builder: 'auto' | 'buildx' | 'docker';
  'push-attempts': number;
  logout: boolean;
}

const REPOSITORY = /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;
const REGISTRY_HOST =
  /^(?:https?:\/\/)?(?:[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*|\[[0-9a-fA-F:]+\])(?::\d{1,5})?$/;
const PLATFORM = /^[a-z0-9]+\/[a-z0-9_]+(?:\/[a-z0-9]+)?$/;
const SECRET_ID = /^[A-Za-z0-9_.-]+$/;
const CACHE_TYPES = ['registry', 'gha', 'local', 'inline', 's3', 'azblob'];
const ATTESTATION = /^(?:true|false|[a-z-]+=[^,=]+(?:,[a-z-]+=[^,=]+)*)$/;

/** auto, or a boolean (true/yes/on/1, false/no/off/0) normalised to 'true'/'false'. */
function getToggle(name: string): Toggle {
  const value = core.getInput(name).trim().toLowerCase();
  if (value === '' || value === 'auto') return 'auto';
  if (['true', 'yes', 'on', '1'].includes(value)) return 'true';
  if (['false', 'no', 'off', '0'].includes(value)) return 'false';
  throw new ConfigurationError(`Input "${name}" must be auto, true or false, got ${quoteInput(value)}.`);
}

/** One item a line (entries that contain commas themselves); blank lines and # comments skipped. */
function getLines(name: string): string[] {
  return core
    .getInput(name)
    .split(/\r?\n/)
    .map((line) => line.replace(/(^|\s)#.*$/, '').trim())
    .filter((line) => line !== '');
}

/** A cache-from/cache-to entry: `type=...,k=v` (buildx syntax) or a bare image reference (registry cache). */
export function validateCacheEntry(input: 'cache-from' | 'cache-to', entry: string): void {
  if (!entry.includes('=')) {
    if (input === 'cache-to') {
      throw new ConfigurationError(
        `Input "cache-to" entry ${quoteInput(entry)} needs the buildx form, e.g. type=registry,ref=<image>:cache,mode=max.`,
      );
    }
    return;
  }
  const fields = entry.split(',').map((field) => field.split('='));
  if (fields.some((field) => field.length < 2 || field[0] === '')) {
    throw new ConfigurationError(
      `Input "${input}" entry ${quoteInput(entry)} must be comma-separated key=value pairs.`,
    );
  }
  const type = fields.find(([key]) => key === 'type')?.[1];
  if (!type || !CACHE_TYPES.includes(type)) {
    throw new ConfigurationError(
      `Input "${input}" entry ${quoteInput(entry)} needs type= one of ${CACHE_TYPES.join(', ')}.`,
    );
  }
  if (type === 'registry' && !fields.some(([key]) => key === 'ref')) {
    throw new ConfigurationError(
      `Input "${input}" entry ${quoteInput(entry)} needs ref=<image>:<tag> for type=registry.`,
    );
  }
}

function readSecrets(workspace: string, mask: (value: string) => void): SecretInput[] {
  const secrets: SecretInput[] = [];
  const seen = new Set<string>();
  const add = (input: string, id: string, secret: Omit<SecretInput, 'id'>): void => {
    if (!SECRET_ID.test(id)) {
      throw new ConfigurationError(
        `Input "${input}" has an invalid secret id ${quoteInput(id)}: use letters, digits, _ . -.`,
      );
    }
    if (seen.has(id))
      throw new ConfigurationError(
        `Input "${input}" repeats the secret id ${quoteInput(id)}: ids must be unique.`,
      );
    seen.add(id);
    secrets.push({ id, ...secret });
  };
  // Values of `secrets` are masked before anything else can print them.
  getSecret('secrets');
  for (const [id, value] of getKeyValues('secrets')) {
    if (value !== '') mask(value);
    add('secrets', id.trim(), { value });
  }
  for (const [id, name] of getKeyValues('secret-envs')) add('secret-envs', id.trim(), { env: name.trim() });
  for (const [id, path] of getKeyValues('secret-files')) {
    const file = isAbsolute(path.trim()) ? path.trim() : resolve(workspace, path.trim());
    if (!existsSync(file)) {
      throw new ConfigurationError(
        `Input "secret-files": the file for secret ${quoteInput(id)} does not exist (${quoteInput(path.trim())}).`,
      );
    }
    add('secret-files', id.trim(), { file });
  }
  return secrets;
}

/**
 * Reads and checks every input. `mask` is core.setSecret (injected so this module stays testable);
 * `workspace` anchors relative paths (GITHUB_WORKSPACE).
 */
export function readInputs(
  mask: (value: string) => void,
  workspace = process.env['GITHUB_WORKSPACE'] || process.cwd(),
): BuildPushInputs {
  const registry = getString('registry') || 'ecr';
  if (registry !== 'ecr' && !REGISTRY_HOST.test(registry)) {
    throw new ConfigurationError(
      `Input "registry" must be "ecr" or a registry host like ghcr.io or 127.0.0.1:5000, got ${quoteInput(registry)}.`,
    );
  }
  const repository = getString('repository', { required: true });
  // Docker reads a first component with a dot or a port (or localhost) as a registry host.
  const first = repository.split('/')[0]!;
  const looksLikeHost = repository.includes('/') && (/[.:]/.test(first) || first === 'localhost');
  if (!REPOSITORY.test(repository) || repository.length > 256 || looksLikeHost) {
    const hint = looksLikeHost ? ' (put the host in "registry")' : '';
    throw new ConfigurationError(
      `Input "repository" must be a lowercase repository path like my-app or team/my-app${hint}, got ${quoteInput(repository)}.`,
    );
  }
  const username = getOptionalString('registry-username');
  const password = getSecret('registry-password');
  if (registry === 'ecr' && (username || password)) {
    throw new ConfigurationError(
      'Inputs "registry-username"/"registry-password" are not used with registry: ecr (the action gets an ECR token); remove them.',
    );
  }
  if (Boolean(username) !== Boolean(password)) {
    throw new ConfigurationError('Inputs "registry-username" and "registry-password" must be set together.');
  }

  const context = getString('context') || '.';
  const remoteContext = /^(?:https?:\/\/|git@|git:\/\/)/.test(context);
  const contextDir = remoteContext ? context : resolve(workspace, context);
  if (!remoteContext && (!existsSync(contextDir) || !statSync(contextDir).isDirectory())) {
    throw new ConfigurationError(
      `Input "context": the folder ${quoteInput(context)} does not exist in the workspace.`,
    );
  }
  const fileInput = getString('file');
  // A remote context brings its own Dockerfile unless "file" names one.
  const file = fileInput
    ? isAbsolute(fileInput)
      ? fileInput
      : resolve(workspace, fileInput)
    : remoteContext
      ? undefined
      : join(contextDir, 'Dockerfile');
  if (!remoteContext && file !== undefined && !existsSync(file)) {
    throw new ConfigurationError(
      `Input "file": no Dockerfile at ${quoteInput(fileInput || join(context, 'Dockerfile'))}; set "file" to its path relative to the workspace.`,
    );
  }

  const platforms = getList('platforms');
  for (const platform of platforms) {
    if (!PLATFORM.test(platform)) {
      throw new ConfigurationError(
        `Input "platforms" has ${quoteInput(platform)}; use os/arch[/variant] such as linux/amd64.`,
      );
    }
  }
  const cacheFrom = getLines('cache-from');
  cacheFrom.forEach((entry) => validateCacheEntry('cache-from', entry));
  const cacheTo = getLines('cache-to');
  cacheTo.forEach((entry) => validateCacheEntry('cache-to', entry));

  const provenance = getOptionalString('provenance');
  const sbom = getOptionalString('sbom');
  for (const [name, value] of [
    ['provenance', provenance],
    ['sbom', sbom],
  ] as const) {
    if (value !== undefined && !ATTESTATION.test(value)) {
      throw new ConfigurationError(
        `Input "${name}" must be true, false or buildx attributes like mode=max, got ${quoteInput(value)}.`,
      );
    }
  }
  const singleManifest = getBoolean('single-manifest', false);
  if (singleManifest) {
    if ((provenance && provenance !== 'false') || (sbom && sbom !== 'false')) {
      throw new ConfigurationError(
        'Input "single-manifest" cannot be true together with provenance/sbom attestations (they make an image index); drop one.',
      );
    }
    if (platforms.length > 1) {
      throw new ConfigurationError(
        'Input "single-manifest" needs exactly one entry in "platforms" (several platforms make an index).',
      );
    }
  }

  const tags = getList('tags');
  for (const tag of tags) {
    if (!isValidTag(tag)) {
      throw new ConfigurationError(
        `Input "tags" has ${quoteInput(tag)}, which is not a valid tag (letters, digits, _ . -, at most 128, not starting with . or -).`,
      );
    }
  }
  const push = getBoolean('push', true);
  const skipExisting = getBoolean('skip-existing', false);
  if (skipExisting && !push) {
    throw new ConfigurationError(
      'Input "skip-existing" only applies when "push" is true; remove it or set push: true.',
    );
  }
  const awsRegion = getOptionalString('aws-region');
  if (awsRegion !== undefined && !/^[a-z]{2,4}(?:-[a-z]+)+-\d{1,2}$/.test(awsRegion)) {
    throw new ConfigurationError(
      `Input "aws-region" must be a region like us-east-1, got ${quoteInput(awsRegion)}.`,
    );
  }
  const target = getOptionalString('target');
  if (target !== undefined && !/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(target)) {
    throw new ConfigurationError(
      `Input "target" must be a build stage name (FROM ... AS <name>), got ${quoteInput(target)}.`,
    );
  }
  const network = getChoice('network', ['default', 'host', 'none'] as const, 'default');

  return {
    registry,
    repository,
    'aws-region': awsRegion,
    'registry-username': username,
    'registry-password': password,
    'create-repository': getBoolean('create-repository', false),
    'image-tag-mutability': getChoice('image-tag-mutability', ['IMMUTABLE', 'MUTABLE'] as const, 'IMMUTABLE'),
    'scan-on-push': getBoolean('scan-on-push', true),
    context: contextDir,
    file,
    target,
    'build-args': getKeyValues('build-args'),
    secrets: readSecrets(workspace, mask),
    platforms,
    network,
    pull: getBoolean('pull', false),
    'no-cache': getBoolean('no-cache', false),
    'cache-from': cacheFrom,
    'cache-to': cacheTo,
    provenance,
    sbom,
    'single-manifest': singleManifest,
    push,
    'skip-existing': skipExisting,
    'tag-sha': getChoice('tag-sha', ['both', 'long', 'short', 'none'] as const, 'both'),
    'tag-branch': getToggle('tag-branch'),
    'tag-pr': getToggle('tag-pr'),
    'tag-semver': getToggle('tag-semver'),
    'tag-latest': getChoice('tag-latest', ['false', 'true', 'default-branch'] as const, 'false'),
    tags,
    labels: getKeyValues('labels'),
    builder: getChoice('builder', ['auto', 'buildx', 'docker'] as const, 'auto'),
    'push-attempts': getInteger('push-attempts', 4, { min: 1, max: 10 }),
    logout: getBoolean('logout', true),
  };
}
