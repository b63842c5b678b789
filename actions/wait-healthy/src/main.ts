import * as core from '@actions/core';

import { httpProbe } from '../../../shared/http-probe.js';
import { sleep } from '../../../shared/retry.js';
import { formatDuration } from '../../../shared/summary.js';
import { readInputs } from './inputs.js';
import { decidingUrl, describeExpectations, displayUrl, failureMessage, summaryMarkdown } from './report.js';
import { waitForHealthy } from './wait.js';

export async function main(): Promise<void> {
  const inputs = readInputs();
  if (inputs.insecure) {
    core.warning(
      'insecure: true: TLS certificates are not verified. Use it for self-signed test certificates only.',
    );
  }

  // The runner cancels with SIGINT (then SIGTERM): stop polling, report what was seen, exit promptly.
  const cancel = new AbortController();
  const onSignal = (): void => cancel.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const { expectations } = inputs;
  core.info(
    `Waiting up to ${formatDuration(inputs.timeoutMs)} for ${inputs.urls.map(displayUrl).join(', ')} ` +
      `(${inputs.method}; ${describeExpectations(expectations)}; ${inputs.consecutiveSuccesses} in a row; ` +
      `every ${inputs.minIntervalMs}-${inputs.maxIntervalMs} ms).`,
  );

  const report = await waitForHealthy(inputs, {
    now: () => performance.now(),
    sleep,
    random: Math.random,
    log: (line) => core.info(line),
    signal: cancel.signal,
    probe: (url, timeoutMs, signal) =>
      httpProbe({
        url,
        method: inputs.method,
        headers: inputs.headers,
        timeoutMs,
        ...(inputs.ca === undefined ? {} : { ca: inputs.ca }),
        insecure: inputs.insecure,
        followRedirects: inputs.followRedirects,
        maxRedirects: inputs.maxRedirects,
        proxyEnv: process.env,
        ...(signal ? { signal } : {}),
      }),
  });
  process.removeListener('SIGINT', onSignal);
  process.removeListener('SIGTERM', onSignal);

  const deciding = decidingUrl(report);
  const answer = deciding?.result.lastAnswer;
  core.setOutput('healthy', String(report.healthy));
  core.setOutput('time-to-healthy', report.healthy ? String(Math.round(report.elapsedMs)) : '');
  core.setOutput('attempts', String(report.attempts));
  core.setOutput('last-status', answer?.status === undefined ? '' : String(answer.status));
  core.setOutput('version', answer?.version ?? '');
  try {
    await core.summary.addRaw(summaryMarkdown(report, expectations, inputs.secrets)).write();
  } catch (error: unknown) {
    core.debug(`No job summary written: ${String(error)}`);
  }

  if (report.healthy) {
    core.info(
      `All healthy after ${formatDuration(report.elapsedMs)} (${report.attempts} attempt${report.attempts === 1 ? '' : 's'}).`,
    );
    return;
  }
  // An unhealthy service is an answer, not a crash: one error line, no stack trace even in debug.
  const message = failureMessage(report, expectations, inputs.secrets);
  core.setFailed(report.cancelled ? `Cancelled: ${message}` : message);
}
