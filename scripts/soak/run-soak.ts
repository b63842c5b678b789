// The soak: many deploys of good and crashing releases through deploy-ecs's built bundle, concurrently,
// against one private stand-in, with CPU burners running. Used by `npm run soak` and the bench.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { CreateClusterCommand, ECSClient } from '@aws-sdk/client-ecs';
import { parse as parseYaml } from 'yaml';

import { parseDuration } from '../../shared/inputs.js';
import { buildTestImages } from '../../test/fixtures/deploy-ecs/helpers.js';
import { FAST_ROLLOUTS, startTestLocalAws } from '../../test/helpers/local-aws.js';
import type { LocalAwsOptions } from '../../tools/local-aws/index.js';
import { REPO_ROOT } from '../../tools/runner/run-action.js';
import { requireStack } from '../../tools/runner/stack.js';
import { startCpuBurners } from './burners.js';
import { deployOnce, type DeployContext, type DeployResult } from './deploy-once.js';
import type { Scenario } from './scenarios.js';

export interface SoakOptions {
  scenarios: Scenario[];
  runsPerScenario: number;
  concurrency: number;
  burners: boolean;
  /** deploy-ecs's `timeout` input ('' = action.yml's default). */
  deployTimeout: string;
  /** Called with each finished deploy (progress). */
  onResult?: (result: DeployResult, done: number, total: number) => void;
  log?: (line: string) => void;
}

export interface SoakResult {
  results: DeployResult[];
  /** action.yml's bake-time default as written ('' when the input does not exist). */
  bakeTime: string;
  bakeTimeMs?: number;
  /** The stand-in's knobs the soak set: explicit speed-ups, printed with the table. */
  knobs: Partial<LocalAwsOptions>;
  wallTimeMs: number;
  /** Containers of the private stand-in still there after it closed (should be 0). */
  leftContainers: number;
}

const CLUSTER = 'soak';
const BURNERS = 2;

/** Every input's default from action.yml, as the runner passes them (INPUT_* for each input). */
export function actionDefaults(action: string): Record<string, string> {
  const manifest = parseYaml(readFileSync(join(REPO_ROOT, 'actions', action, 'action.yml'), 'utf8')) as {
    inputs?: Record<string, { default?: string | number | boolean }>;
  };
  const defaults: Record<string, string> = {};
  for (const [name, input] of Object.entries(manifest.inputs ?? {}))
    if (input.default !== undefined) defaults[name] = String(input.default);
  return defaults;
}

function leftContainers(dockerBinDir: string, instanceId: string): number {
  const out = execFileSync(
    join(dockerBinDir, 'docker'),
    ['ps', '-aq', '--filter', `label=shipkit.local-aws=${instanceId}`],
    { encoding: 'utf8' },
  );
  return out.split('\n').filter((line) => line.trim() !== '').length;
}

async function runPool<T>(
  jobs: (() => Promise<T>)[],
  concurrency: number,
  stopped: () => boolean,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < jobs.length && !stopped()) await jobs[next++]!();
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, jobs.length)) }, worker));
}

export async function runSoak(options: SoakOptions): Promise<SoakResult> {
  const log = options.log ?? ((line: string): void => void process.stderr.write(`${line}\n`));
  const stack = requireStack();
  const defaults = actionDefaults('deploy-ecs');
  const bakeTime = defaults['bake-time'] ?? '';
  const bakeTimeMs = bakeTime ? parseDuration(bakeTime) : undefined;
  // The tests' explicit speed-ups (target checks every 200 ms, 200 ms drains...), printed with the table.
  const knobs = { ...FAST_ROLLOUTS };
  const started = Date.now();

  // Every temporary file of the soak (runner folders, DOCKER_CONFIGs, task definitions) lands in one
  // folder removed at the end, whatever the code that made it forgets.
  const previousTmpdir = process.env['TMPDIR'];
  const workDir = mkdtempSync(join(tmpdir(), 'shipkit-soak-'));
  process.env['TMPDIR'] = workDir;
  // The bound only guards against a crashed soak; it must outlast the soak itself (a fixed hour ran out
  // 60 minutes into a 960-deploy soak). Budget 5 minutes of slot time per deploy, stopped by PID at the end.
  const runCount = options.scenarios.length * options.runsPerScenario;
  const burnerBoundSeconds = Math.ceil((runCount * 300) / options.concurrency) + 600;
  const burners = options.burners ? startCpuBurners(BURNERS, burnerBoundSeconds) : undefined;
  if (burners) {
    log(`soak: ${BURNERS} CPU burners, PIDs ${burners.pids.join(', ')} (bounded to ${burnerBoundSeconds} s)`);
  }
  // First signal: start no new deploy, let the running ones end, then clean up. Second: leave now.
  let interrupted = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (interrupted) process.exit(signal === 'SIGINT' ? 130 : 143);
    interrupted = true;
    burners?.stop();
    log(`soak: ${signal}: no new deploys; cleaning up after the running ones (again to leave at once)`);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  let local: Awaited<ReturnType<typeof startTestLocalAws>> | undefined;
  let ecs: ECSClient | undefined;
  const results: DeployResult[] = [];
  let left = 0;
  try {
    const images = await buildTestImages(stack);
    local = await startTestLocalAws(stack, knobs);
    ecs = new ECSClient({
      region: stack.env['AWS_REGION'] ?? 'us-east-1',
      endpoint: local.url,
      credentials: {
        accessKeyId: stack.env['AWS_ACCESS_KEY_ID']!,
        secretAccessKey: stack.env['AWS_SECRET_ACCESS_KEY']!,
      },
    });
    await ecs.send(new CreateClusterCommand({ clusterName: CLUSTER }));
    const stepTimeoutMs =
      (parseDuration(options.deployTimeout || defaults['timeout'] || '10m') ?? 600_000) * 2 +
      (bakeTimeMs ?? 0) +
      120_000;
    const context: DeployContext = {
      ecs,
      cluster: CLUSTER,
      images,
      env: {
        ...stack.env,
        AWS_ENDPOINT_URL_ECS: local.url,
        AWS_ENDPOINT_URL_ECR: local.url,
        AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: local.url,
        AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2: local.url,
        TMPDIR: workDir,
      },
      workDir,
      inputDefaults: defaults,
      deployTimeout: options.deployTimeout,
      stepTimeoutMs,
      settleTimeoutMs: 180_000,
    };
    // Round-robin over scenarios so every scenario progresses at the same pace.
    const jobs: (() => Promise<void>)[] = [];
    const total = options.runsPerScenario * options.scenarios.length;
    for (let run = 1; run <= options.runsPerScenario; run++) {
      for (const scenario of options.scenarios) {
        jobs.push(async () => {
          const result = await deployOnce(context, scenario, run);
          results.push(result);
          options.onResult?.(result, results.length, total);
        });
      }
    }
    await runPool(jobs, options.concurrency, () => interrupted);
  } finally {
    burners?.stop();
    ecs?.destroy();
    if (local) {
      await local.close();
      left = leftContainers(stack.dockerBinDir, local.instanceId);
    }
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    if (previousTmpdir === undefined) delete process.env['TMPDIR'];
    else process.env['TMPDIR'] = previousTmpdir;
    rmSync(workDir, { recursive: true, force: true });
  }
  return {
    results,
    bakeTime,
    ...(bakeTimeMs !== undefined ? { bakeTimeMs } : {}),
    knobs,
    wallTimeMs: Date.now() - started,
    leftContainers: left,
  };
}
