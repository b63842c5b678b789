import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import * as core from '@actions/core';

import { ConfigurationError } from '../../../shared/errors.js';
import { readGitContext, type GitContext } from '../../../shared/git-context.js';
import { buildSecrets } from './build-secrets.js';
import type { BuildPlan } from './docker-args.js';
import { checkEmulation, detectBuilder, hostPlatform, spawnCommand, type RunCommand } from './docker.js';
import { readInputs, type BuildPushInputs } from './inputs.js';
import { login, logout, STATE_DOCKER_CONFIG, STATE_REGISTRY } from './login.js';
import { computeLabels, computeTags, tagVersion, type ImageTag, type SemVer } from './metadata.js';
import {
  buildAndPush,
  buildImage,
  existingTags,
  publishImage,
  type Logger,
  type PublishOptions,
  type PublishResult,
} from './publish.js';
import { RegistryClient } from './registry.js';
import { summaryMarkdown } from './report.js';
import { resolveTarget, type Target } from './target.js';
import { Timeline } from './timeline.js';

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

const timeline = new Timeline((line) => core.debug(line));

/** spawnCommand, recorded on the timeline as `docker <subcommand>`. */
const docker: RunCommand = (command, args, options) =>
  timeline.track('process', [command, ...args.slice(0, args[0] === 'buildx' ? 2 : 1)].join(' '), () =>
    spawnCommand(command, args, options),
  );

export async function main(): Promise<void> {
  core.debug(`phase step start: node and the bundle loaded in ${Math.round(performance.now())} ms`);
  try {
    await publish();
  } finally {
    for (const line of timeline.summary()) core.debug(line);
  }
}

/** Lines of work that runs alongside the build, held back so they do not land inside its log group. */
function deferredLogger(): Pick<Logger, 'info' | 'warning'> & { flush: () => void } {
  const lines: { warning: boolean; message: string }[] = [];
  return {
    info: (message) => lines.push({ warning: false, message }),
    warning: (message) => lines.push({ warning: true, message }),
    flush: () => {
      for (const line of lines.splice(0)) {
        if (line.warning) core.warning(line.message);
        else core.info(line.message);
      }
    },
  };
}

/** Resolves on the next turn of the event loop (after what this turn spawns). */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** A promise that is awaited later: its rejection must not count as unhandled in the meantime. */
function later<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

function computeTagList(
  inputs: BuildPushInputs,
  context: GitContext,
  version: SemVer | undefined,
  immutable: boolean,
): ImageTag[] {
  const tags = computeTags(
    context,
    {
      sha: inputs['tag-sha'],
      branch: inputs['tag-branch'],
      pr: inputs['tag-pr'],
      semver: inputs['tag-semver'],
      latest: inputs['tag-latest'],
      raw: inputs.tags,
      immutable,
    },
    version,
  );
  if (tags.length === 0) {
    throw new ConfigurationError(
      'Input "tags" is empty and the tag-* inputs give no tag for this event: add a tag to "tags" or set tag-sha: both.',
    );
  }
  const moving = tags.filter((tag) => tag.moving).map((tag) => tag.name);
  if (immutable && moving.length > 0) {
    core.warning(
      `The repository is IMMUTABLE, and ${moving.join(', ')} will point at another image on a later build, which it will refuse; set tag-branch/tag-pr/tag-semver to auto and tag-latest to false, or use a MUTABLE repository.`,
    );
  }
  return tags;
}

async function publish(): Promise<void> {
  const inputs = readInputs((value) => core.setSecret(value));
  const context = readGitContext();
  const version = await tagVersion(context);
  const builder = await detectBuilder(inputs.builder, docker);
  const host = hostPlatform();
  // Several platforms under plain docker is refused (with the buildx fix) when the build command is made.
  const emulation =
    builder === 'docker' && inputs.platforms.length > 1
      ? undefined
      : checkEmulation(inputs.platforms, host, (name) => existsSync(`/proc/sys/fs/binfmt_misc/${name}`));
  if (emulation) throw new ConfigurationError(emulation);
  const resolveLog = deferredLogger();
  const resolve = (): Promise<Target> =>
    later(
      resolveTarget(inputs, { log: resolveLog, mask: (secret) => core.setSecret(secret), timeline }),
    ).finally(() => resolveLog.flush());
  // A plain docker build that pushes needs nothing from ECR: it starts first, untagged, and ECR's token and
  // repository come in alongside it. Anything else (buildx pushes itself; a local build is tagged) waits.
  const early = inputs.push && builder === 'docker' && inputs.registry === 'ecr';
  const known = early ? undefined : await resolve();

  const labels = computeLabels(context, {
    title: inputs.repository.split('/').pop()!,
    extra: inputs.labels,
    version,
  });
  const workDir = mkdtempSync(join(process.env['RUNNER_TEMP'] || tmpdir(), 'build-push-'));
  try {
    const { secrets, env } = buildSecrets(inputs.secrets);
    const plan = (image: string, tags: readonly ImageTag[], isEcr: boolean): BuildPlan => ({
      context: inputs.context,
      file: inputs.file,
      target: inputs.target,
      platforms: inputs.platforms,
      buildArgs: inputs['build-args'],
      secrets,
      labels,
      tags: tags.map((tag) => `${image}:${tag.name}`),
      image,
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
      isEcr,
    });
    const options = (target: Target, tags: readonly ImageTag[]): PublishOptions => ({
      plan: plan(target.image, tags, target.ecr !== undefined),
      repositoryPath: target.image.slice(target.image.indexOf('/') + 1),
      tagNames: tags.map((tag) => tag.name),
      builder,
      immutable: target.immutable,
      skipExisting: inputs['skip-existing'],
      revision: context.sha,
      pushAttempts: inputs['push-attempts'],
      hostPlatform: host,
    });
    const loginLog = deferredLogger();
    // A failed login (or ECR lookup) stops the build running alongside it.
    const stopBuild = new AbortController();
    /**
     * What needs the target: the registry client, the login and the existing-tag lookup. They start on the
     * next turn of the event loop, so that a build started in this turn spawns first: the login's process
     * and the first registry request hold this process for a while (measured: ~150 ms on a busy machine).
     */
    const startPush = (target: Target, tags: readonly ImageTag[]) => {
      const registry = new RegistryClient({
        registry: target.endpoint,
        credentials: target.credentials,
        fetch: timeline.fetch((url, init) => fetch(url, init)),
      });
      const settings = options(target, tags);
      let settled = false;
      const done = later(
        nextTurn()
          .then(() =>
            login(target, registry, {
              log: loginLog,
              saveState: (name, value) => core.saveState(name, value),
              docker,
            }),
          )
          .finally(() => {
            settled = true;
          }),
      );
      done.catch(() => stopBuild.abort());
      const existing = later(
        nextTurn().then(() => existingTags(registry, settings.repositoryPath, settings.tagNames)),
      );
      return { registry, settings, login: { done, settled: () => settled }, existing };
    };
    const deps = {
      docker,
      log: logger,
      readFile: (path: string) => readFileSync(path, 'utf8'),
      now: () => performance.now(),
      buildEnv: env,
      buildSignal: stopBuild.signal,
    };

    let result: PublishResult;
    let ecr: Target['ecr'];
    if (early) {
      // Tagged after the build, when the repository's name is known.
      const built = later(buildImage({ plan: plan('', [], true), builder, hostPlatform: host }, deps));
      // After the build's process started: loading the AWS SDK blocks this process for a while.
      const target = await resolve().catch(async (error: unknown) => {
        stopBuild.abort();
        await built.catch(() => undefined);
        throw error;
      });
      ecr = target.ecr;
      const tags = computeTagList(inputs, context, version, target.immutable);
      const push = startPush(target, tags);
      // A failed login explains more than the build that ran alongside it.
      const outcome = await built.catch(async (error: unknown) => {
        await push.login.done;
        throw error;
      });
      loginLog.flush();
      core.info(`Tags: ${push.settings.tagNames.join(', ')}`);
      result = await publishImage(push.settings, outcome, { ...deps, ...push });
    } else {
      const target = known!;
      ecr = target.ecr;
      const tags = computeTagList(inputs, context, version, target.immutable);
      core.info(`Tags: ${tags.map((tag) => tag.name).join(', ')}`);
      if (inputs.push) {
        const push = startPush(target, tags);
        result = await buildAndPush(push.settings, { ...deps, ...push, existing: push.existing });
        loginLog.flush();
      } else {
        result = await buildAndPush(options(target, tags), deps);
      }
    }
    if (ecr && result.digest) {
      const { crossCheckEcr } = await import('./ecr.js');
      await crossCheckEcr(ecr, inputs.repository, result);
    }
    setOutputs(result, labels, builder);
    await core.summary.addRaw(summaryMarkdown(result, builder)).write();
    if (result.digest) core.info(`Pushed ${result.image}@${result.digest}`);
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
