import { existsSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';

import * as core from '@actions/core';

import { quoteInput } from '../../../shared/inputs.js';
import { ConfigurationError } from '../../../shared/errors.js';
import { collectFiles } from './files.js';
import { type Finding, countBySeverity, meetsThreshold, sortFindings } from './findings.js';
import { findRepository, GitError } from './git.js';
import { currentEventRange, type HistoryScanResult, scanHistory } from './history.js';
import { readInputs, type SecurityScanInputs } from './inputs.js';
import { prepareSarifFile, resolveScanRoot } from './locations.js';
import { summaryMarkdown } from './report.js';
import { toSarif } from './sarif.js';
import { scan } from './scan.js';
import { scanSecrets } from './scanners/secrets.js';
import { isRuleSelector } from './suppress.js';

const TOOL_VERSION = '0.1.0';
/** Each live-scan request and TLS handshake: a deployed app that needs longer is itself worth a look. */
const LIVE_REQUEST_TIMEOUT_MS = 10_000;
/** GitHub shows at most 10 annotations of each level per step; more only adds log noise. */
const MAX_ANNOTATIONS = 50;

/** Whether the repository is public, from the event payload (undefined when unknown). */
function repositoryIsPublic(): boolean | undefined {
  const eventPath = process.env['GITHUB_EVENT_PATH'];
  if (!eventPath || !existsSync(eventPath)) return undefined;
  try {
    const event = JSON.parse(readFileSync(eventPath, 'utf8')) as { repository?: { private?: boolean } };
    return event.repository?.private === undefined ? undefined : !event.repository.private;
  } catch {
    return undefined;
  }
}

function annotate(findings: readonly Finding[], pathPrefix: string): void {
  for (const finding of findings.slice(0, MAX_ANNOTATIONS)) {
    // A finding from history has its line in an older commit: on today's file that line means something else.
    const position = finding.commit
      ? {}
      : { startLine: finding.line, ...(finding.column ? { startColumn: finding.column } : {}) };
    const properties: core.AnnotationProperties = {
      title: `${finding.ruleId} (${finding.severity})`,
      file: `${pathPrefix}${finding.file}`,
      ...position,
    };
    const text = `${finding.message} Fix: ${finding.fix}`;
    if (finding.severity === 'critical' || finding.severity === 'high') core.error(text, properties);
    else if (finding.severity === 'medium') core.warning(text, properties);
    else core.notice(text, properties);
  }
  if (findings.length > MAX_ANNOTATIONS) {
    core.info(
      `${findings.length - MAX_ANNOTATIONS} more finding(s) are in the SARIF file and the job summary.`,
    );
  }
}

/** Writes the report; a failure (disk full, the file replaced meanwhile) names the input, never a raw errno. */
function writeSarif(path: string, raw: string, sarif: Record<string, unknown>): void {
  try {
    writeFileSync(path, `${JSON.stringify(sarif, null, 2)}\n`);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'an error';
    throw new ConfigurationError(
      `Input "sarif-file" ${quoteInput(raw || path)} could not be written (${code}).`,
    );
  }
}

/** On pull_request/push events, the secrets the event's commits added (even if a later commit removed them). */
async function scanEventHistory(
  inputs: SecurityScanInputs,
  where: { root: string; workspace: string; treeFindings: readonly Finding[] },
): Promise<Pick<HistoryScanResult, 'findings' | 'suppressed' | 'warnings'>> {
  const none = { findings: [], suppressed: [], warnings: [] };
  if (!inputs.history || !inputs.scanners.includes('secrets')) return none;
  const range = currentEventRange();
  if (!range) return none;
  // The event's commits are the workspace repository's, even when `path` is a checkout of its own.
  const repository = findRepository(where.workspace);
  if (!repository) {
    return {
      ...none,
      warnings: [
        'History not scanned: the workspace is not a git repository (actions/checkout with fetch-depth: 0).',
      ],
    };
  }
  return core.group(`Scan history (${range.event})`, async () => {
    let scanned: HistoryScanResult;
    try {
      scanned = await scanHistory({
        repository,
        root: where.root,
        range,
        scanner: scanSecrets,
        ignore: inputs.ignore,
        treeFindings: where.treeFindings,
      });
    } catch (error) {
      if (!(error instanceof GitError)) throw error;
      return { ...none, warnings: [`History not scanned: ${error.message}.`] };
    }
    core.info(
      `${scanned.commitsScanned} commit(s) scanned, ${scanned.findings.length} secret(s) found only in history.`,
    );
    return scanned;
  });
}

export async function main(): Promise<void> {
  const started = Date.now();
  const inputs = readInputs();
  const workspace = resolve(process.env['GITHUB_WORKSPACE'] ?? process.cwd());
  const root = resolveScanRoot(workspace, inputs.path);
  const relativeRoot = relative(realpathSync(workspace), root).split(sep).join('/');
  const pathPrefix = relativeRoot === '' ? '' : `${relativeRoot}/`;
  // Before any scanning: a report that cannot be written should fail in a second, not after the scan.
  const sarifFile = prepareSarifFile(
    workspace,
    inputs['sarif-file'],
    join(process.env['RUNNER_TEMP'] ?? tmpdir(), 'shipkit-security-scan.sarif'),
  );

  const collected = await core.group('Collect files', () => {
    const result = collectFiles(
      root,
      inputs.ignore.filter((entry) => !isRuleSelector(entry)),
      workspace,
    );
    core.info(
      `${result.files.length} file(s) from ${result.source === 'git' ? 'git ls-files' : 'a .gitignore-aware walk'}, ${result.skipped.length} skipped (binary or > 1 MiB).`,
    );
    return Promise.resolve(result);
  });
  // An image scan needs no checkout; anything else that finds no files most likely scanned an empty workspace.
  if (
    collected.files.length === 0 &&
    !inputs['allow-empty'] &&
    inputs.image === '' &&
    inputs.urls.length === 0
  ) {
    throw new ConfigurationError(
      `No files to scan in ${quoteInput(inputs.path)} (input "path"${inputs.ignore.length > 0 ? ', less "ignore"' : ''}): did the job check out the repository? Set allow-empty: true to accept an empty scan.`,
    );
  }

  const result = await core.group(`Scan (${inputs.scanners.join(', ')})`, async () => {
    const scanned = await scan(collected.files, {
      scanners: inputs.scanners,
      ignore: inputs.ignore,
      workflows: { ...(repositoryIsPublic() === false ? { repositoryPublic: false } : {}) },
      dependencies: { osvUrl: inputs['osv-url'] },
      ...(inputs.image
        ? {
            image: {
              image: inputs.image,
              ...(inputs['registry-username'] ? { username: inputs['registry-username'] } : {}),
              ...(inputs['registry-password'] ? { password: inputs['registry-password'] } : {}),
            },
          }
        : {}),
      ...(inputs.urls.length > 0
        ? {
            live: {
              urls: inputs.urls,
              timeoutMs: LIVE_REQUEST_TIMEOUT_MS,
              certificateExpiryDays: inputs['certificate-expiry-days'],
              onProgress: (message: string) => core.info(message),
            },
          }
        : {}),
    });
    for (const line of scanned.imageReport ?? []) core.info(line);
    if (scanned.codeSkipped.length > 0) {
      core.info(
        `Code scanner: ${scanned.codeSkipped.length} JS/TS file(s) not read (listed in the summary):`,
      );
      for (const { file, reason } of scanned.codeSkipped) core.info(`  ${file}: ${reason}`);
    }
    if (inputs.scanners.includes('dependencies') || (inputs.image && inputs.scanners.includes('image'))) {
      core.info(
        `${scanned.packagesChecked} package(s) (lockfiles${inputs.image ? ' and image' : ''}) checked against OSV at ${inputs['osv-url']}.`,
      );
    }
    return scanned;
  });

  // A deployed URL that does not answer is not a clean one: the live scan checked nothing.
  if (result.liveUnreachable.length > 0) {
    const list = result.liveUnreachable.map(({ url, reason }) => `${url} (${reason})`).join(', ');
    throw new Error(`Input "urls": no answer from ${list}; the live scan checked nothing there.`);
  }

  const notes: string[] = [];
  const history = await scanEventHistory(inputs, { root, workspace, treeFindings: result.findings });
  for (const warning of history.warnings) {
    core.warning(warning);
    notes.push(`⚠️ ${warning}`);
  }
  result.findings = sortFindings([...result.findings, ...history.findings]);
  result.suppressed.push(...history.suppressed);

  for (const { file, reason } of result.unreachable) {
    const message = `Dependency advisories for ${pathPrefix}${file} were not checked: ${reason}.`;
    if (inputs['on-registry-error'] === 'fail') throw new Error(`${message} (on-registry-error: fail)`);
    core.warning(message);
    notes.push(`⚠️ ${message}`);
  }

  const findings = result.findings;
  if (inputs.annotations) {
    annotate(findings, pathPrefix);
  } else {
    for (const finding of findings.slice(0, 200)) {
      core.info(
        `[${finding.severity}] ${finding.ruleId} ${pathPrefix}${finding.file}:${finding.line} ${finding.message}`,
      );
    }
  }
  const counts = countBySeverity(findings);
  const failed = findings.some((finding) => meetsThreshold(finding.severity, inputs['fail-on']));

  writeSarif(
    sarifFile,
    inputs['sarif-file'],
    toSarif(findings, { toolVersion: TOOL_VERSION, pathPrefix, unparsable: result.unparsable }),
  );
  core.info(`SARIF written to ${sarifFile}.`);

  // Outside a runner (a local run) there is no summary file; the log and SARIF still have everything.
  if (process.env['GITHUB_STEP_SUMMARY']) {
    await core.summary
      .addRaw(
        summaryMarkdown({
          findings,
          unparsable: result.unparsable,
          codeSkipped: result.codeSkipped,
          suppressed: result.suppressed.length,
          filesScanned: collected.files.length,
          scanners: inputs.scanners,
          failOn: inputs['fail-on'],
          failed,
          durationMs: Date.now() - started,
          notes,
          pathPrefix,
        }),
      )
      .write();
  }

  core.setOutput('critical', counts.critical);
  core.setOutput('high', counts.high);
  core.setOutput('medium', counts.medium);
  core.setOutput('low', counts.low);
  core.setOutput('total', findings.length);
  core.setOutput('sarif-file', sarifFile);
  core.setOutput('failed', String(failed));

  const summaryLine = `${findings.length} finding(s): ${counts.critical} critical, ${counts.high} high, ${counts.medium} medium, ${counts.low} low (${result.suppressed.length} suppressed).`;
  if (failed) {
    core.setFailed(`${summaryLine} Failing because of findings at or above fail-on: ${inputs['fail-on']}.`);
  } else {
    core.info(summaryLine);
  }
}
