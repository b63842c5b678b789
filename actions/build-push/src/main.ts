import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import * as core from '@actions/core';
import { ECRClient } from '@aws-sdk/client-ecr';

import { awsClientConfig } from '../../../shared/aws.js';
import { ConfigurationError, errorMessage } from '../../../shared/errors.js';
import { readGitContext } from '../../../shared/git-context.js';
import { loginArgs, logoutArgs, type BuildPlan, type BuildSecret } from './docker-args.js';
import { checkEmulation, hostPlatform, spawnCommand, tail } from './docker.js';
import { describeTags, ecrLogin, ensureRepository } from './ecr.js';
import { readInputs, type BuildPushInputs } from './inputs.js';
import { computeLabels, computeTags } from './metadata.js';
import { buildAndPush, type Logger, type PublishResult } from './publish.js';
import { RegistryClient, RegistryError } from './registry.js';
import { summaryMarkdown } from './report.js';

const STATE_REGISTRY = 'login-registry';
const STATE_DOCKER_CONFIG = 'docker-config';

const logger: Logger = {
  info: (message) => core.info(message),
  warning: (message) => core.warning(message),
  group: (name, run) => core.group(name, run),
};

interface Target {
  /** Repository URI without a tag, e.g. 123.dkr.ecr.us-east-1.amazonaws.com/app or 127.0.0.1:5000/app. */
  image: string;
  /** host[:port] for docker login. */
  host: string;
  /** What the registry HTTP client talks to (scheme included for ECR's proxy endpoint). */
  endpoint: string;
  credentials: { username: string; password: string } | undefined;
  immutable: boolean;
  ecr: ECRClient | undefined;
}

async function resolveTarget(inputs: BuildPushInputs): Promise<Target> {
  if (inputs.registry !== 'ecr') {
    const host = inputs.registry.replace(/^https?:\/\//, '');
    const username = inputs['registry-username'];
    const password = inputs['registry-password'];
    return {
      image: `${host}/${inputs.repository}`,
      host,
      endpoint: inputs.registry,
      credentials: username && password ? { username, password } : undefined,
      immutable: false,
      ecr: undefined,
    };
  }
  if (!inputs.push) {
    // A build-only run (e.g. a pull request from a fork) may have no AWS credentials: build locally then.
    try {
      return await resolveEcr(inputs);
    } catch (error: unknown) {
      core.warning(
        `push is false and ECR is not reachable (${errorMessage(error)}); building as ${inputs.repository} locally.`,
      );
      return {
        image: inputs.repository,
        host: '',
        endpoint: '',
        credentials: undefined,
        immutable: false,
        ecr: undefined,
      };
    }
  }
  return resolveEcr(inputs);
}

async function resolveEcr(inputs: BuildPushInputs): Promise<Target> {
  const ecr = new ECRClient(awsClientConfig(inputs['aws-region']));
  const login = await ecrLogin(ecr);
  core.setSecret(login.password);
  const repository = await ensureRepository(ecr, inputs.repository, {
    create: inputs['create-repository'],
    mutability: inputs['image-tag-mutability'],
    scanOnPush: inputs['scan-on-push'],
  });
  if (repository.created) {
    core.info(
      `Created the ECR repository ${repository.uri} (${inputs['image-tag-mutability']}, scan on push ${inputs['scan-on-push'] ? 'on' : 'off'}).`,
    );
  }
  return {
    image: repository.uri,
    host: login.registry,
    endpoint: login.endpoint,
    credentials: { username: login.username, password: login.password },
    immutable: repository.immutable,
    ecr,
  };
}

/** Checks reachability and credentials with a plain HTTP call first (clear errors), then logs docker in. */
async function login(target: Target, registry: RegistryClient): Promise<void> {
  try {
    await registry.ping();
  } catch (error: unknown) {
    if (error instanceof RegistryError && (error.status === 401 || error.status === 403)) {
      throw new ConfigurationError(
        `${error.message} Check "registry-username" and "registry-password" (for ECR: the role's ecr:GetAuthorizationToken permission).`,
      );
    }
    throw error;
  }
  if (!target.credentials) return;
  const result = await spawnCommand('docker', loginArgs(target.host, target.credentials.username), {
    stdin: target.credentials.password,
  });
  if (result.exitCode !== 0) {
    throw new Error(`docker login ${target.host} failed: ${tail(result.stderr || result.stdout, 2)}`);
  }
  core.saveState(STATE_REGISTRY, target.host);
  core.saveState(STATE_DOCKER_CONFIG, process.env['DOCKER_CONFIG'] ?? '');
  core.info(`Logged in to ${target.host} as ${target.credentials.username}.`);
}

async function detectBuilder(choice: BuildPushInputs['builder']): Promise<'buildx' | 'docker'> {
  if (choice === 'docker') return 'docker';
  const probe = await spawnCommand('docker', ['buildx', 'version']).catch(() => undefined);
  const available = probe?.exitCode === 0;
  if (choice === 'buildx' && !available) {
    throw new ConfigurationError(
      'Input "builder" is buildx, but "docker buildx" is not installed: add docker/setup-buildx-action before this step, or set builder: auto.',
    );
  }
  return available ? 'buildx' : 'docker';
}

/** Secret values reach docker through its environment; the command line only names the variable. */
function buildSecrets(inputs: BuildPushInputs): { secrets: BuildSecret[]; env: Record<string, string> } {
  const env: Record<string, string> = {};
  const secrets = inputs.secrets.map((secret, index): BuildSecret => {
    if (secret.value !== undefined) {
      const name = `SHIPKIT_BUILD_SECRET_${index}`;
      env[name] = secret.value;
      return { id: secret.id, env: name };
    }
    if (secret.env !== undefined) {
      if (process.env[secret.env] === undefined) {
        throw new ConfigurationError(
          `Input "secret-envs": the variable ${secret.env} for secret "${secret.id}" is not set.`,
        );
      }
      return { id: secret.id, env: secret.env };
    }
    return { id: secret.id, src: secret.file! };
  });
  return { secrets, env };
}

function setOutputs(result: PublishResult, labels: Record<string, string>, builder: string): void {
  const references = result.tags.map((tag) => `${result.image}:${tag.name}`);
  const imageUri = result.digest ? `${result.image}@${result.digest}` : '';
  core.setOutput('image', result.image);
  core.setOutput('digest', result.digest ?? '');
  core.setOutput('image-uri', imageUri);
  core.setOutput('tags', references.join('\n'));
  core.setOutput(
    'labels',
    Object.entries(labels)
      .map(([key, value]) => `${key}=${value}`)
      .join('\n'),
  );
  core.setOutput('skipped', String(result.skipped));
  core.setOutput(
    'metadata',
    JSON.stringify({
      image: result.image,
      digest: result.digest ?? null,
      imageUri: imageUri || null,
      imageId: result.imageId ?? null,
      tags: references,
      tagStates: Object.fromEntries(result.tags.map((tag) => [tag.name, tag.state])),
      labels,
      sizeBytes: result.sizeBytes ?? null,
      platforms: result.platforms,
      buildMs: result.buildMs,
      pushMs: result.pushMs,
      cacheHits: result.cacheHits ?? null,
      layers: result.layers,
      skipped: result.skipped,
      builder,
    }),
  );
}

export async function main(): Promise<void> {
  const inputs = readInputs((value) => core.setSecret(value));
  const context = readGitContext();
  const target = await core.group('Registry', () => resolveTarget(inputs));
  const tags = computeTags(context, {
    sha: inputs['tag-sha'],
    branch: inputs['tag-branch'],
    pr: inputs['tag-pr'],
    semver: inputs['tag-semver'],
    latest: inputs['tag-latest'],
    raw: inputs.tags,
    immutable: target.immutable,
  });
  if (tags.length === 0) {
    throw new ConfigurationError(
      'Input "tags" is empty and the tag-* inputs give no tag for this event: add a tag to "tags" or set tag-sha: both.',
    );
  }
  const labels = computeLabels(context, { title: inputs.repository.split('/').pop()!, extra: inputs.labels });
  const moving = tags.filter((tag) => tag.moving).map((tag) => tag.name);
  if (target.immutable && moving.length > 0) {
    core.warning(
      `The repository is IMMUTABLE, and ${moving.join(', ')} will point at another image on a later build, which it will refuse; set tag-branch/tag-pr/tag-semver to auto and tag-latest to false, or use a MUTABLE repository.`,
    );
  }
  const registry = new RegistryClient({ registry: target.endpoint, credentials: target.credentials });
  // Probing for buildx (a docker process) overlaps the login.
  const probing = detectBuilder(inputs.builder);
  probing.catch(() => undefined);
  if (inputs.push) await core.group('Login', () => login(target, registry));
  const builder = await probing;
  const host = hostPlatform();
  // Several platforms under plain docker is refused (with the buildx fix) when the build command is made.
  const emulation =
    builder === 'docker' && inputs.platforms.length > 1
      ? undefined
      : checkEmulation(inputs.platforms, host, (name) => existsSync(`/proc/sys/fs/binfmt_misc/${name}`));
  if (emulation) throw new ConfigurationError(emulation);

  const workDir = mkdtempSync(join(process.env['RUNNER_TEMP'] || tmpdir(), 'build-push-'));
  try {
    const { secrets, env } = buildSecrets(inputs);
    const plan: BuildPlan = {
      context: inputs.context,
      file: inputs.file,
      target: inputs.target,
      platforms: inputs.platforms,
      buildArgs: inputs['build-args'],
      secrets,
      labels,
      tags: tags.map((tag) => `${target.image}:${tag.name}`),
      image: target.image,
      cacheFrom: inputs['cache-from'],
      cacheTo: inputs['cache-to'],
      network: inputs.network,
      pull: inputs.pull,
      noCache: inputs['no-cache'],
      provenance: inputs.provenance,
      sbom: inputs.sbom,
      singleManifest: inputs['single-manifest'],
      push: inputs.push,
      iidFile: join(workDir, 'iid'),
      metadataFile: join(workDir, 'metadata.json'),
      isEcr: target.ecr !== undefined,
    };
    core.info(`Tags: ${tags.map((tag) => tag.name).join(', ')}`);
    const result = await buildAndPush(
      {
        plan,
        repositoryPath: target.image.slice(target.image.indexOf('/') + 1),
        tagNames: tags.map((tag) => tag.name),
        builder,
        immutable: target.immutable,
        skipExisting: inputs['skip-existing'],
        revision: context.sha,
        pushAttempts: inputs['push-attempts'],
        hostPlatform: host,
      },
      {
        docker: spawnCommand,
        registry: inputs.push ? registry : undefined,
        log: logger,
        readFile: (path) => readFileSync(path, 'utf8'),
        now: () => performance.now(),
        buildEnv: env,
      },
    );
    if (target.ecr && result.digest) await crossCheckEcr(target.ecr, inputs.repository, result);
    setOutputs(result, labels, builder);
    await core.summary.addRaw(summaryMarkdown(result, builder)).write();
    if (result.digest) core.info(`Pushed ${target.image}@${result.digest}`);
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

/** ECR's own record must agree with the registry API: same digest under every tag. */
async function crossCheckEcr(client: ECRClient, repository: string, result: PublishResult): Promise<void> {
  const names = result.tags.map((tag) => tag.name);
  const details = await describeTags(client, repository, names);
  for (const name of names) {
    const detail = details.get(name);
    if (!detail)
      throw new Error(`ECR DescribeImages does not list tag "${name}" in ${repository} after the push.`);
    if (detail.imageDigest !== result.digest) {
      throw new Error(
        `ECR DescribeImages has ${detail.imageDigest} for tag "${name}", but the registry served ${result.digest}.`,
      );
    }
  }
  const size = details.get(names[0]!)?.imageSizeInBytes;
  if (size !== undefined && result.sizeBytes === undefined) result.sizeBytes = size;
}

/** Post step: log docker out of the registry main logged in to, with the same DOCKER_CONFIG. */
export async function post(): Promise<void> {
  const host = core.getState(STATE_REGISTRY);
  if (!host) return;
  if (core.getInput('logout').trim().toLowerCase() === 'false') {
    core.info(`logout is false: staying logged in to ${host}.`);
    return;
  }
  const dockerConfig = core.getState(STATE_DOCKER_CONFIG);
  const result = await spawnCommand(
    'docker',
    logoutArgs(host),
    dockerConfig ? { env: { DOCKER_CONFIG: dockerConfig } } : {},
  );
  if (result.exitCode === 0) core.info(`Logged out of ${host}.`);
  else core.warning(`docker logout ${host} failed: ${tail(result.stderr || result.stdout)}`);
}
