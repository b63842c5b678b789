// The verify stage after a deploy, as the demo and the broken-release test run it: wait-healthy's bundle
// until the URL answers the expected version, then sample-app's system tests, then security-scan's live
// scanner on the URL. The first stage that fails stops the rest; the services then go back to the task
// definition they ran before (deploy-ecs's bundle with `task-definition-arn`), and the result names what failed.
import { formatDuration, markdownTable } from '../shared/summary.js';
import {
  formatReport,
  runSystemTests,
  summaryLine,
  type SystemTestReport,
} from '../sample-app/system-test/system-tests.js';
import { unescapeCommandData, type ActionRun } from '../tools/runner/run-action.js';
import { runActionStep, type ActionStep } from './action-step.js';

export type VerifyStageName = 'wait-healthy' | 'system tests' | 'live scan' | 'rollback';

export interface VerifyStage {
  name: VerifyStageName;
  ok: boolean;
  ms: number;
  detail: string;
}

export interface VerifyReleaseOptions {
  /** The release's base URL (a load balancer's), e.g. http://127.0.0.1:18080. */
  url: string;
  /** What the health check's `ver` must say once the release serves. */
  expectVersion: string;
  /** The admin the system tests log in as. */
  credentials: { username: string; password: string };
  /** Environment for the bundles: AWS_* endpoints and credentials, PATH. */
  env: Record<string, string>;
  /** Where the services go back to when a stage fails. */
  rollback: {
    cluster: string;
    services: string;
    /** deploy-ecs's previous-task-definition-arn output; empty: nothing to roll back to. */
    previousTaskDefinitionArn: string | undefined;
    /** deploy-ecs's timeout and bake-time for the rollback (its defaults when unset). */
    timeout?: string;
    bakeTime?: string;
  };
  /** Health path under `url`; default /api/health-check. */
  healthPath?: string;
  /** wait-healthy's timeout; default 2m. */
  waitTimeout?: string;
  /** The live scan's fail-on; default high (security-scan's own default). */
  liveScanFailOn?: string;
  /** Print the bundles' logs and the system tests' lines as they come, with this prefix before the stage. */
  echoPrefix?: string;
  /** Called as each stage ends (the demo fills its table from it). */
  onStage?: (stage: VerifyStage) => void;
}

export interface VerifyFailure {
  stage: Exclude<VerifyStageName, 'rollback'>;
  /** The failed system-test check, when the system tests failed. */
  check?: string;
  reason: string;
}

export interface VerifyResult {
  ok: boolean;
  stages: VerifyStage[];
  failure: VerifyFailure | undefined;
  rolledBack: boolean;
  systemTests: SystemTestReport | undefined;
  /** Markdown for a job summary: a headline naming what failed, the stages, and the failure's details. */
  summary: string;
}

const print = (prefix: string | undefined, text: string): void => {
  if (prefix === undefined) return;
  for (const line of text.split('\n')) process.stdout.write(`${prefix}${line}\n`);
};

export async function verifyRelease(options: VerifyReleaseOptions): Promise<VerifyResult> {
  const stages: VerifyStage[] = [];
  const record = (stage: VerifyStage): void => {
    stages.push(stage);
    options.onStage?.(stage);
  };
  const step = (
    action: string,
    inputs: Record<string, string>,
    describe: (run: ActionRun) => string,
  ): Promise<ActionStep> =>
    runActionStep(action, {
      inputs,
      env: options.env,
      describe,
      ...(options.echoPrefix === undefined ? {} : { echoPrefix: `${options.echoPrefix}${action} | ` }),
    });
  const url = options.url.replace(/\/+$/, '');
  let failure: VerifyFailure | undefined;
  let systemTests: SystemTestReport | undefined;
  const details: string[] = [];

  const health = await step(
    'wait-healthy',
    {
      urls: `${url}${options.healthPath ?? '/api/health-check'}`,
      'json-path': 'ver',
      'expect-value': options.expectVersion,
      timeout: options.waitTimeout ?? '2m',
    },
    (run) => `ver ${run.outputs['version'] ?? '?'} after ${run.outputs['attempts'] ?? '?'} requests`,
  );
  record({ name: 'wait-healthy', ok: health.ok, ms: health.ms, detail: health.detail });
  if (!health.ok) failure = { stage: 'wait-healthy', reason: health.detail };

  if (failure === undefined) {
    systemTests = await runSystemTests(url, {
      ...options.credentials,
      expectVersion: options.expectVersion,
    });
    const ms = systemTests.checks.reduce((sum, check) => sum + check.durationMs, 0);
    print(
      options.echoPrefix === undefined ? undefined : `${options.echoPrefix}system-test | `,
      formatReport(systemTests),
    );
    const first = systemTests.firstFailure;
    record({
      name: 'system tests',
      ok: systemTests.ok,
      ms,
      detail: first === undefined ? summaryLine(systemTests) : `${summaryLine(systemTests)}: ${first.detail}`,
    });
    if (!systemTests.ok) {
      failure = {
        stage: 'system tests',
        ...(first === undefined ? {} : { check: first.name }),
        reason: first?.detail ?? 'a check was skipped',
      };
      for (const check of systemTests.checks) if (check.report !== undefined) details.push(check.report);
    }
  }

  if (failure === undefined) {
    const scan = await step(
      'security-scan',
      { scanners: 'live', urls: url, 'fail-on': options.liveScanFailOn ?? 'high' },
      (run) => liveScanCounts(run.outputs),
    );
    const counts = liveScanCounts(scan.run.outputs);
    record({
      name: 'live scan',
      ok: scan.ok,
      ms: scan.ms,
      detail: scan.ok ? counts : `${counts}: ${scan.run.errors.at(-1) ?? scan.detail}`,
    });
    if (!scan.ok) {
      failure = { stage: 'live scan', reason: scan.run.errors.at(-1) ?? scan.detail };
      details.push(annotatedFindings(scan.run).join('\n'));
    }
  }

  let rolledBack = false;
  if (failure !== undefined) {
    const previous = options.rollback.previousTaskDefinitionArn;
    if (previous === undefined || previous === '') {
      record({ name: 'rollback', ok: false, ms: 0, detail: 'no previous task definition to go back to' });
    } else {
      const rollback = await step(
        'deploy-ecs',
        {
          'task-definition-arn': previous,
          cluster: options.rollback.cluster,
          services: options.rollback.services,
          ...(options.rollback.timeout === undefined ? {} : { timeout: options.rollback.timeout }),
          ...(options.rollback.bakeTime === undefined ? {} : { 'bake-time': options.rollback.bakeTime }),
        },
        (run) =>
          `${options.rollback.services} back on ${shortArn(run.outputs['task-definition-arn'] ?? previous)} in ${formatDuration(Number(run.outputs['time-to-stable'] ?? 0) * 1000)}`,
      );
      rolledBack = rollback.ok;
      record({ name: 'rollback', ok: rollback.ok, ms: rollback.ms, detail: rollback.detail });
    }
  }

  return {
    ok: failure === undefined,
    stages,
    failure,
    rolledBack,
    systemTests,
    summary: summarize(options, stages, failure, rolledBack, details),
  };
}

/** The findings as the step annotated them (`::notice title=live-...::message`), one line each. */
function annotatedFindings(run: ActionRun): string[] {
  const decode = (text: string): string =>
    unescapeCommandData(text).replace(/%3A/g, ':').replace(/%2C/g, ',');
  return run.log.split('\n').flatMap((line) => {
    const annotation = /^::(error|warning|notice) ([^:]*)::(.*)$/.exec(line);
    if (annotation === null) return [];
    const title = /(?:^|,)title=([^,]*)/.exec(annotation[2]!)?.[1];
    return [`${title === undefined ? annotation[1] : decode(title)}: ${decode(annotation[3]!)}`];
  });
}

function liveScanCounts(outputs: Record<string, string>): string {
  const count = (name: string): string => outputs[name] ?? '?';
  return `${count('total')} findings (critical ${count('critical')}, high ${count('high')}, medium ${count('medium')}, low ${count('low')})`;
}

/** family:revision, what people read in an ECS console. */
function shortArn(arn: string): string {
  return arn.split('/').pop() ?? arn;
}

function summarize(
  options: VerifyReleaseOptions,
  stages: VerifyStage[],
  failure: VerifyFailure | undefined,
  rolledBack: boolean,
  details: string[],
): string {
  const what =
    failure === undefined
      ? undefined
      : failure.check === undefined
        ? `${failure.stage} failed: ${failure.reason}`
        : `system test "${failure.check}" failed: ${failure.reason}`;
  const previous = shortArn(options.rollback.previousTaskDefinitionArn ?? '');
  const headline =
    what === undefined
      ? `Verified ${options.url}: ${options.expectVersion} serves, its system tests and live scan passed.`
      : `Verify of ${options.url} (${options.expectVersion}) FAILED: ${what}. ` +
        (rolledBack
          ? `Rolled back to ${previous}.`
          : `NOT rolled back${previous === '' ? '' : ` to ${previous}`}: see the rollback row.`);
  const table = markdownTable(
    ['stage', 'result', 'time', 'detail'],
    stages.map((stage) => [stage.name, stage.ok ? 'ok' : 'FAILED', formatDuration(stage.ms), stage.detail]),
  );
  const blocks = details.filter((block) => block !== '').map((block) => `\n\`\`\`text\n${block}\n\`\`\``);
  return [`### ${headline}`, '', table, ...blocks, ''].join('\n');
}
