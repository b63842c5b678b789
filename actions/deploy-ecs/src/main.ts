import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import * as core from '@actions/core';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { ECSClient } from '@aws-sdk/client-ecs';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';

import { awsClientConfig } from '../../../shared/aws.js';
import { sleep } from '../../../shared/retry.js';
import type { DeployDeps } from './context.js';
import { deploy, resolveTaskDefinition } from './deploy.js';
import { checkRegion, readInputs, toRequest } from './inputs.js';
import { imageDefinitions } from './render.js';
import { servicesOutput, summaryMarkdown } from './report.js';

export async function main(): Promise<void> {
  const inputs = readInputs();
  const request = toRequest(inputs, process.env['GITHUB_WORKSPACE'] ?? process.cwd());
  const config = awsClientConfig(inputs['aws-region']);
  if (!inputs['aws-region']) {
    const variable = process.env['AWS_REGION'] ? 'AWS_REGION' : 'AWS_DEFAULT_REGION';
    checkRegion(config.region, `Input "aws-region" is empty and ${variable}`);
  }
  // The runner sends SIGINT on cancel and SIGKILLs a few seconds later: stop polling and report at once.
  const cancel = new AbortController();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      core.warning(`Received ${signal}: stopping the rollout watch.`);
      cancel.abort();
    });
  }
  const deps: DeployDeps = {
    ecs: new ECSClient(config),
    logs: new CloudWatchLogsClient(config),
    elb: new ElasticLoadBalancingV2Client(config),
    region: config.region,
    log: { info: (message) => core.info(message), warning: (message) => core.warning(message) },
    now: () => Date.now(),
    sleep: (ms) => sleep(ms, cancel.signal),
    signal: cancel.signal,
  };

  const resolved = await core.group('Task definition', () => resolveTaskDefinition(deps, request));
  const outDir = mkdtempSync(join(process.env['RUNNER_TEMP'] ?? tmpdir(), 'deploy-ecs-'));
  const taskDefinitionFile = join(outDir, 'task-definition.json');
  const imageDefinitionsFile = join(outDir, 'imagedefinitions.json');
  const definitions = JSON.stringify(imageDefinitions(resolved.taskDefinition));
  writeFileSync(taskDefinitionFile, `${JSON.stringify(resolved.taskDefinition, null, 2)}\n`);
  writeFileSync(imageDefinitionsFile, `${definitions}\n`);
  core.setOutput('task-definition-file', taskDefinitionFile);
  core.setOutput('imagedefinitions-file', imageDefinitionsFile);
  core.setOutput('imagedefinitions', definitions);
  for (const { name, imageUri } of imageDefinitions(resolved.taskDefinition))
    core.info(`${name}: ${imageUri}`);

  const result = await core.group('Deploy', () => deploy(deps, request, resolved));
  core.setOutput('task-definition-arn', result.taskDefinitionArn);
  core.setOutput('previous-task-definition-arn', result.previousTaskDefinitionArn ?? '');
  core.setOutput('deployment-id', result.services.map((service) => service.deploymentId ?? '').join(','));
  core.setOutput('services', servicesOutput(result));
  core.setOutput(
    'time-to-stable',
    result.timeToStableMs !== undefined ? (result.timeToStableMs / 1000).toFixed(1) : '',
  );
  core.setOutput('rolled-back', String(result.rolledBack));
  await core.summary.addRaw(summaryMarkdown(result, resolved.taskDefinition)).write();
  if (result.failure) throw new Error(result.failure);
}
