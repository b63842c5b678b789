// build-push: the action's cost over the raw `docker build && docker push` of the same image, interleaved run
// by run. A real rebuild of sample-app (one changed source line per run, so every push is a new digest) on the
// local registry and on the stand-in's ECR, ten images in one job, and the fully cached no-op. Runs the built
// bundle as the runner does. Knobs: BENCH_BUILD_PUSH_ROUNDS (default 10), BENCH_BUILD_PUSH_TEN_ROUNDS
// (default 3), BENCH_BUILD_PUSH_PARTS (comma list of cached,local,ecr,ten; default all).
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { ECRClient, GetAuthorizationTokenCommand } from '@aws-sdk/client-ecr';

import { formatBytes } from '../actions/build-push/src/report.js';
import { REPO_ROOT, type ActionRun } from '../tools/runner/run-action.js';
import { requireStack, type LocalStack } from '../tools/runner/stack.js';
import { median, type BenchRow } from './bench-row.js';
import {
  Docker,
  fakeSha,
  phaseTable,
  removeOtherBundleFolders,
  SampleAppCopy,
  startStandIn,
  timedAction,
  writeEventPayload,
  type ActionCall,
} from './build-push-rebuild.js';

const ROUNDS = Number(process.env['BENCH_BUILD_PUSH_ROUNDS'] || 10);
const TEN_ROUNDS = Number(process.env['BENCH_BUILD_PUSH_TEN_ROUNDS'] || 3);
const PARTS = (process.env['BENCH_BUILD_PUSH_PARTS'] || 'cached,local,ecr,ten').split(',');
const CACHED_RUNS = 5;
/** A dist folder of another build of build-push (e.g. before a change), run interleaved with the current one. */
const OTHER_BUNDLE = process.env['BENCH_BUILD_PUSH_OTHER_DIST'];

interface Manifest {
  config: { digest: string; size: number };
  layers: { digest: string; size: number }[];
}

interface Context {
  stack: LocalStack;
  id: string;
  docker: Docker;
  dockerConfig: string;
  eventPath: string;
  /** OCI titles of every image built, for the clean-up. */
  titles: Set<string>;
  counter: { n: number };
}

const ms = (value: number): string => `${(value / 1000).toFixed(2)} s`;
const ratio = (ours: number, raw: number): string =>
  `${(ours / raw).toFixed(2)}x (${ms(ours)} vs ${ms(raw)})`;
/**
 * The median of the round-by-round ratios: each round's runs ran side by side under the same load, so this
 * holds up better than the ratio of medians when the machine's load moves during the bench.
 */
const pairedRatio = (ours: readonly number[], raw: readonly number[]): string =>
  `${median(ours.map((value, index) => value / raw[index]!)).toFixed(2)}x by round`;

function actionEnv(context: Context, extra: Record<string, string> = {}): Record<string, string> {
  return {
    ...context.stack.env,
    DOCKER_CONFIG: context.dockerConfig,
    GITHUB_SHA: fakeSha(context.id, ++context.counter.n),
    GITHUB_EVENT_PATH: context.eventPath,
    ...extra,
  };
}

interface RebuildTarget {
  name: string;
  /** The repository's image (host/path) the raw commands push to. */
  image: string;
  /** Tags build-push writes per run (its sha, sha-short and branch tags, or fewer on an IMMUTABLE repository). */
  tagCount: number;
  call: (app: SampleAppCopy, title: string) => ActionCall;
}

/** N rounds, each: build-push, raw with the same tag count, raw with one tag; the order rotates per round. */
async function compareRebuild(
  context: Context,
  target: RebuildTarget,
  rounds: number,
): Promise<{ rows: BenchRow[]; phases: string[]; other?: { row: BenchRow; phases: string[] } }> {
  const app = new SampleAppCopy();
  const title = target.image.split('/').pop()!;
  context.titles.add(title);
  const buildArgs = [
    '--build-arg',
    `BASE_IMAGE=${context.stack.baseImage}`,
    '--label',
    `org.opencontainers.image.title=${title}`,
  ];
  const ours: number[] = [];
  const raw: number[] = [];
  const rawOne: number[] = [];
  const other: number[] = [];
  const runs: ActionRun[] = [];
  const otherRuns: ActionRun[] = [];
  try {
    // A first run of each, untimed: the base layers are in the registry and the cache is warm.
    app.change(`${context.id}-${title}-warm`);
    await timedAction(target.call(app, title));
    app.change(`${context.id}-${title}-warm-raw`);
    context.docker.buildAndPush(app.dir, target.image, ['warm'], buildArgs);
    for (let round = 0; round < rounds; round++) {
      const steps = [
        async (): Promise<void> => {
          app.change(`${context.id}-${title}-ours-${round}`);
          const { ms: took, run } = await timedAction(target.call(app, title));
          ours.push(took);
          runs.push(run);
        },
        (): Promise<void> => {
          app.change(`${context.id}-${title}-raw-${round}`);
          const tags = Array.from({ length: target.tagCount }, (_, index) =>
            index === target.tagCount - 1 && target.tagCount > 2 ? 'raw-main' : `raw-${round}-${index}`,
          );
          raw.push(context.docker.buildAndPush(app.dir, target.image, tags, buildArgs));
          return Promise.resolve();
        },
        (): Promise<void> => {
          app.change(`${context.id}-${title}-raw-one-${round}`);
          rawOne.push(context.docker.buildAndPush(app.dir, target.image, [`one-${round}`], buildArgs));
          return Promise.resolve();
        },
      ];
      if (OTHER_BUNDLE) {
        steps.push(async (): Promise<void> => {
          app.change(`${context.id}-${title}-other-${round}`);
          const { ms: took, run } = await timedAction(target.call(app, title), OTHER_BUNDLE);
          other.push(took);
          otherRuns.push(run);
        });
      }
      for (let step = 0; step < steps.length; step++) await steps[(round + step) % steps.length]!();
    }
  } finally {
    app.remove();
  }
  const [oursMedian, rawMedian, oneMedian] = [median(ours), median(raw), median(rawOne)];
  return {
    rows: [
      {
        area: 'build-push',
        metric: `real rebuild of sample-app, ${target.name}, ${target.tagCount} tags, vs raw docker build && ${target.tagCount} pushes (median of ${rounds}, interleaved)`,
        value: `${ratio(oursMedian, rawMedian)}; ${pairedRatio(ours, raw)}`,
        target: `<= 1.10x; +${Math.round(oursMedian - rawMedian)} ms`,
      },
      {
        area: 'build-push',
        metric: `real rebuild of sample-app, ${target.name}, ${target.tagCount} tags, vs raw one-tag docker build && push (median of ${rounds})`,
        value: `${ratio(oursMedian, oneMedian)}; ${pairedRatio(ours, rawOne)}`,
        target: `<= 1.25x; +${Math.round(oursMedian - oneMedian)} ms`,
      },
    ],
    phases: phaseTable(runs),
    ...(OTHER_BUNDLE
      ? {
          other: {
            row: {
              area: 'build-push',
              metric: `real rebuild of sample-app, ${target.name}: the other bundle (${OTHER_BUNDLE}) (median of ${rounds})`,
              value: `${ms(median(other))}; vs raw ${ratio(median(other), rawMedian)}; vs one tag ${(median(other) / oneMedian).toFixed(2)}x`,
            },
            phases: phaseTable(otherRuns),
          },
        }
      : {}),
  };
}

function localTarget(context: Context, repository: string): RebuildTarget {
  const { stack } = context;
  return {
    name: 'local registry',
    image: `${stack.registry}/${repository}`,
    tagCount: 3,
    call: (app, title) => ({
      inputs: {
        registry: stack.registry,
        repository,
        'registry-username': stack.registryUsername,
        'registry-password': stack.registryPassword,
        context: app.dir,
        'build-args': `BASE_IMAGE=${stack.baseImage}`,
        network: 'host',
        labels: `org.opencontainers.image.title=${title}`,
      },
      env: actionEnv(context),
    }),
  };
}

async function ecrTarget(context: Context, repository: string, endpoint: string): Promise<RebuildTarget> {
  const { stack } = context;
  const ecr = new ECRClient({
    region: stack.env['AWS_REGION']!,
    endpoint,
    credentials: {
      accessKeyId: stack.env['AWS_ACCESS_KEY_ID']!,
      secretAccessKey: stack.env['AWS_SECRET_ACCESS_KEY']!,
    },
  });
  const data = (await ecr.send(new GetAuthorizationTokenCommand({}))).authorizationData![0]!;
  const [username, password] = Buffer.from(data.authorizationToken!, 'base64').toString('utf8').split(':');
  const host = new URL(data.proxyEndpoint!).host;
  context.docker.login(host, username!, password!);
  ecr.destroy();
  return {
    name: "stand-in's ECR (IMMUTABLE)",
    image: `${host}/${repository}`,
    // IMMUTABLE: the branch tag is off (it could never move), so the sha and sha-short tags.
    tagCount: 2,
    call: (app, title) => ({
      inputs: {
        repository,
        'create-repository': 'true',
        context: app.dir,
        'build-args': `BASE_IMAGE=${stack.baseImage}`,
        network: 'host',
        labels: `org.opencontainers.image.title=${title}`,
      },
      env: actionEnv(context, { AWS_ENDPOINT_URL_ECR: endpoint }),
    }),
  };
}

/** The monorepo case: ten images, each a real rebuild, by ten build-push steps vs the raw loop. */
async function tenImages(context: Context, rounds: number): Promise<BenchRow[]> {
  const targets = Array.from({ length: 10 }, (_, index) =>
    localTarget(context, `bench/build-push-${context.id}-mono-${index}`),
  );
  const app = new SampleAppCopy();
  const buildArgs = (title: string): string[] => [
    '--build-arg',
    `BASE_IMAGE=${context.stack.baseImage}`,
    '--label',
    `org.opencontainers.image.title=${title}`,
  ];
  const ours: number[] = [];
  const raw: number[] = [];
  const other: number[] = [];
  try {
    for (const target of targets) {
      const title = target.image.split('/').pop()!;
      context.titles.add(title);
      app.change(`${context.id}-warm-${title}`);
      await timedAction(target.call(app, title));
    }
    for (let round = 0; round < rounds; round++) {
      const actionLoop = async (bundle: string | undefined, times: number[]): Promise<void> => {
        const started = performance.now();
        for (const target of targets) {
          const title = target.image.split('/').pop()!;
          app.change(`${context.id}-${bundle ?? 'ours'}-${round}-${title}`);
          await timedAction(target.call(app, title), bundle);
        }
        times.push(performance.now() - started);
      };
      const oursLoop = async (): Promise<void> => {
        await actionLoop(undefined, ours);
        if (OTHER_BUNDLE) await actionLoop(OTHER_BUNDLE, other);
      };
      const rawLoop = (): void => {
        let total = 0;
        for (const target of targets) {
          const title = target.image.split('/').pop()!;
          app.change(`${context.id}-raw-${round}-${title}`);
          const tags = [`raw-${round}-0`, `raw-${round}-1`, 'raw-main'];
          total += context.docker.buildAndPush(app.dir, target.image, tags, buildArgs(title));
        }
        raw.push(total);
      };
      if (round % 2 === 0) {
        await oursLoop();
        rawLoop();
      } else {
        rawLoop();
        await oursLoop();
      }
    }
  } finally {
    app.remove();
  }
  return [
    {
      area: 'build-push',
      metric: `ten images in one job (real rebuilds, 3 tags each), ten build-push steps vs the raw loop (median of ${rounds})`,
      value: `${ratio(median(ours), median(raw))}; ${pairedRatio(ours, raw)}`,
      target: `<= 1.10x; +${Math.round((median(ours) - median(raw)) / 10)} ms per image`,
    },
    ...(OTHER_BUNDLE
      ? [
          {
            area: 'build-push',
            metric: `ten images in one job: the other bundle (${OTHER_BUNDLE})`,
            value: ratio(median(other), median(raw)),
          },
        ]
      : []),
  ];
}

/** The fully cached no-op (the fixture app, nothing changed): only a new tag is pushed each time. */
async function cachedNoOp(context: Context): Promise<BenchRow[]> {
  const { stack, docker } = context;
  const repository = `bench/build-push-${context.id}`;
  const image = `${stack.registry}/${repository}`;
  const title = repository.split('/').pop()!;
  context.titles.add(title);
  const appDir = mkdtempSync(join(tmpdir(), 'bench-build-push-app-'));
  cpSync(join(REPO_ROOT, 'test', 'fixtures', 'build-push', 'app'), appDir, { recursive: true });
  const auth = `Basic ${Buffer.from(`${stack.registryUsername}:${stack.registryPassword}`).toString('base64')}`;
  const call = (): ActionCall => ({
    inputs: {
      registry: stack.registry,
      repository,
      'registry-username': stack.registryUsername,
      'registry-password': stack.registryPassword,
      context: appDir,
      'build-args': `BASE_IMAGE=${stack.baseImage}`,
      network: 'host',
      'tag-sha': 'long',
      'tag-branch': 'false',
      labels: `org.opencontainers.image.title=${title}`,
    },
    env: actionEnv(context),
  });
  const manifest = async (digest: string): Promise<Manifest> => {
    const response = await fetch(`http://${stack.registry}/v2/${repository}/manifests/${digest}`, {
      headers: { Authorization: auth, Accept: 'application/vnd.docker.distribution.manifest.v2+json' },
    });
    return (await response.json()) as Manifest;
  };
  const buildArgs = [
    '--build-arg',
    `BASE_IMAGE=${stack.baseImage}`,
    '--label',
    `org.opencontainers.image.title=${title}`,
  ];
  try {
    const base = await timedAction(call());
    const raw: number[] = [];
    const logins: number[] = [];
    const ours: number[] = [];
    const other: number[] = [];
    for (let index = 1; index <= CACHED_RUNS; index++) {
      const loginStarted = performance.now();
      docker.login(stack.registry, stack.registryUsername, stack.registryPassword);
      logins.push(performance.now() - loginStarted);
      raw.push(docker.buildAndPush(appDir, image, [`raw-${index}`], buildArgs));
      ours.push((await timedAction(call())).ms);
      if (OTHER_BUNDLE) other.push((await timedAction(call(), OTHER_BUNDLE)).ms);
    }
    const [rawMedian, loginMedian, oursMedian] = [median(raw), median(logins), median(ours)];

    // One-line change: only the COPY layer (and config) should travel.
    const server = join(appDir, 'server.mjs');
    const source = readFileSync(server, 'utf8');
    if (!source.includes("const VERSION = 'v1';"))
      throw new Error('the fixture app has no VERSION line to change');
    writeFileSync(server, source.replace("const VERSION = 'v1';", "const VERSION = 'v2';"));
    const changed = await timedAction(call());
    const before = await manifest(base.run.outputs['digest']!);
    const after = await manifest(changed.run.outputs['digest']!);
    const known = new Set([before.config.digest, ...before.layers.map((layer) => layer.digest)]);
    const blobs = [after.config, ...after.layers];
    const uploaded = blobs
      .filter((blob) => !known.has(blob.digest))
      .reduce((sum, blob) => sum + blob.size, 0);
    const total = blobs.reduce((sum, blob) => sum + blob.size, 0);
    return [
      {
        area: 'build-push',
        metric: `fully cached no-op vs raw docker build && push, 1 tag (median of ${CACHED_RUNS})`,
        value: `${(oursMedian / rawMedian).toFixed(2)}x (${Math.round(oursMedian)} ms vs ${Math.round(rawMedian)} ms)`,
        // The overhead is fixed (node start, login, registry round trips), so the ratio is large for a
        // build that does nothing and shrinks as builds get real (the rows above).
        target: `no regression; +${Math.round(oursMedian - rawMedian)} ms fixed per run`,
      },
      {
        area: 'build-push',
        metric: `fully cached no-op vs raw docker login && build && push (median of ${CACHED_RUNS})`,
        value: `${(oursMedian / (rawMedian + loginMedian)).toFixed(2)}x (${Math.round(oursMedian)} ms vs ${Math.round(rawMedian + loginMedian)} ms)`,
        target: 'no regression',
      },
      ...(OTHER_BUNDLE
        ? [
            {
              area: 'build-push',
              metric: `fully cached no-op: the other bundle (${OTHER_BUNDLE})`,
              value: `${Math.round(median(other))} ms (this one ${Math.round(oursMedian)} ms)`,
            },
          ]
        : []),
      {
        area: 'build-push',
        metric: 'bytes pushed on a rebuild after a one-line source change',
        value: `${formatBytes(uploaded)} of ${formatBytes(total)}`,
        target: 'only the changed layer + config',
      },
    ];
  } finally {
    rmSync(appDir, { recursive: true, force: true });
  }
}

export default async function bench(): Promise<BenchRow[]> {
  const stack = requireStack();
  const id = Date.now().toString(36);
  const dockerConfig = mkdtempSync(join(tmpdir(), 'bench-build-push-docker-'));
  const docker = new Docker(stack, dockerConfig);
  const context: Context = {
    stack,
    id,
    docker,
    dockerConfig,
    eventPath: writeEventPayload(dockerConfig),
    titles: new Set(),
    counter: { n: 0 },
  };
  const rows: BenchRow[] = [];
  const report = (name: string, phases: string[]): void => {
    console.error(`build-push phases, ${name} (median over the timed runs):`);
    for (const line of phases) console.error(`  ${line}`);
  };
  try {
    docker.login(stack.registry, stack.registryUsername, stack.registryPassword);
    if (PARTS.includes('local')) {
      const local = await compareRebuild(
        context,
        localTarget(context, `bench/build-push-${id}-rebuild`),
        ROUNDS,
      );
      rows.push(...local.rows);
      report('local registry', local.phases);
      if (local.other) {
        rows.push(local.other.row);
        report('local registry, the other bundle', local.other.phases);
      }
    }
    if (PARTS.includes('ecr')) {
      // The stand-in of this working tree, not the shared stack's (which runs the code it started with).
      const standIn = await startStandIn(stack);
      let ecr;
      try {
        const target = await ecrTarget(context, `bench/build-push-${id}-ecr`, standIn.url);
        ecr = await compareRebuild(context, target, ROUNDS);
      } finally {
        await standIn.stop();
      }
      rows.push(...ecr.rows);
      report("stand-in's ECR", ecr.phases);
      if (ecr.other) {
        rows.push(ecr.other.row);
        report("stand-in's ECR, the other bundle", ecr.other.phases);
      }
    }
    if (PARTS.includes('ten')) rows.push(...(await tenImages(context, TEN_ROUNDS)));
    if (PARTS.includes('cached')) rows.push(...(await cachedNoOp(context)));
    return rows;
  } finally {
    for (const title of context.titles) docker.removeImages(title);
    removeOtherBundleFolders(OTHER_BUNDLE);
    rmSync(dockerConfig, { recursive: true, force: true });
  }
}
