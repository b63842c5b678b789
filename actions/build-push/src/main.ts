import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import * as core from '@actions/core';

import { ConfigurationError } from '../../../shared/errors.js';
import { readGitContext } from '../../../shared/git-context.js';
import { buildSecrets } from './build-secrets.js';
import type { BuildPlan } from './docker-args.js';
import { checkEmulation, detectBuilder, hostPlatform, spawnCommand } from './docker.js';
import { readInputs } from './inputs.js';
import { login, logout, STATE_DOCKER_CONFIG, STATE_REGISTRY } from './login.js';
import { computeLabels, computeTags } from './metadata.js';
import { buildAndPush, existingTags, type Logger, type PublishResult } from './publish.js';
import { RegistryClient } from './registry.js';
import { summaryMarkdown } from './report.js';
import { resolveTarget } from './target.js';

const logger: Logger = {
  info: (message) => core.info(message),
  warning: (message) => core.warning(message),
  group: (name, run) => core.group(name, run),
};

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
  const target = await core.group('Registry', () =>
    resolveTarget(inputs, { log: logger, mask: (secret) => core.setSecret(secret) }),
  );
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
  const repositoryPath = target.image.slice(target.image.indexOf('/') + 1);
  // Probing for buildx and logging in (docker processes) and looking up the tags (HTTP) overlap; the
  // processes start first. Errors surface where each is awaited, the login's clearer ones first.
  const probing = detectBuilder(inputs.builder);
  probing.catch(() => undefined);
  const loggingIn = inputs.push
    ? core.group('Login', () =>
        login(target, registry, { log: logger, saveState: (name, value) => core.saveState(name, value) }),
      )
    : undefined;
  loggingIn?.catch(() => undefined);
  const existing = inputs.push
    ? existingTags(
        registry,
        repositoryPath,
        tags.map((tag) => tag.name),
      )
    : undefined;
  existing?.catch(() => undefined);
  await loggingIn;
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
    const { secrets, env } = buildSecrets(inputs.secrets);
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
        repositoryPath,
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
        existing,
      },
    );
    if (target.ecr && result.digest) {
      const { crossCheckEcr } = await import('./ecr.js');
      await crossCheckEcr(target.ecr, inputs.repository, result);
    }
    setOutputs(result, labels, builder);
    await core.summary.addRaw(summaryMarkdown(result, builder)).write();
    if (result.digest) core.info(`Pushed ${target.image}@${result.digest}`);
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

/** Post step: log docker out of the registry main logged in to, with the same DOCKER_CONFIG. */
export async function post(): Promise<void> {
  const host = core.getState(STATE_REGISTRY);
  if (!host) return;
  if (core.getInput('logout').trim().toLowerCase() === 'false') {
    core.info(`logout is false: staying logged in to ${host}.`);
    return;
  }
  await logout(host, core.getState(STATE_DOCKER_CONFIG), { log: logger });
}
