import { formatDuration, markdownTable } from '../../../shared/summary.js';
import type { DeployResult, ServiceOutcome, ServiceResult } from './deploy.js';
import { revisionOf } from './judge.js';
import { shortImage, type TaskDefinitionInput } from './render.js';

const OUTCOME_TEXT: Record<ServiceOutcome, string> = {
  completed: 'deployed',
  updated: 'updated (not waited for)',
  created: 'created (not waited for)',
  failed: 'FAILED, not rolled back',
  'rolled-back': 'FAILED, rolled back',
  'rollback-failed': 'FAILED, rollback failed',
  superseded: 'SUPERSEDED by a newer deploy, not rolled back',
  cancelled: 'CANCELLED mid-rollout',
  'not-started': 'not started',
};

/** The job summary: one row per service with before/after revision, image, time and result. */
export function summaryMarkdown(result: DeployResult, taskDefinition: TaskDefinitionInput): string {
  const images = taskDefinition.containerDefinitions
    .map((container) => `${container.name}: ${shortImage(container.image ?? '')}`)
    .join(', ');
  // The bake column only when a bake ran, so a step without one keeps its table as before.
  const baked = result.services.some((service) => service.bake);
  const rows = result.services.map((service) => [
    service.cluster === 'default' ? service.service : `${service.cluster}/${service.service}`,
    revisionOf(service.before),
    revisionOf(service.after),
    images,
    service.timeToStableMs !== undefined ? formatDuration(service.timeToStableMs) : '-',
    ...(baked ? [bakeText(service)] : []),
    OUTCOME_TEXT[service.outcome],
  ]);
  const header = [
    'service',
    'before',
    'after',
    'image',
    'time to stable',
    ...(baked ? ['bake'] : []),
    'result',
  ];
  const lines = [`### deploy-ecs: ${revisionOf(result.taskDefinitionArn)}`, ''];
  if (rows.length > 0) lines.push(markdownTable(header, rows), '');
  if (result.migration) {
    lines.push(`Migration task ran in ${formatDuration(result.migration.durationMs)} and exited 0.`, '');
  }
  if (result.deregistered.length > 0) {
    lines.push(`Deregistered old revisions: ${result.deregistered.map(revisionOf).join(', ')}.`, '');
  }
  if (result.failure) lines.push(`**${result.failure}**`, '');
  return lines.join('\n');
}

function bakeText(service: ServiceResult): string {
  if (!service.bake) return '-';
  const watched = formatDuration(service.bake.watchedMs);
  if (service.bake.state === 'passed') return `passed (${watched})`;
  if (service.bake.state === 'failed') return `FAILED after ${watched}`;
  return `cut short after ${watched}`;
}

/** The `services` output: JSON a later step can read with fromJSON(). */
export function servicesOutput(result: DeployResult): string {
  return JSON.stringify(
    result.services.map((service) => ({
      cluster: service.cluster,
      service: service.service,
      before: service.before ?? null,
      after: service.after,
      deploymentId: service.deploymentId ?? null,
      result: service.outcome,
      timeToStableSeconds: service.timeToStableMs !== undefined ? service.timeToStableMs / 1000 : null,
      reason: service.reason ?? null,
      // Only when a bake ran (bake-time 0 or wait-for-stability false leave them out).
      ...(service.bake ? { bake: service.bake.state, bakeSeconds: service.bake.watchedMs / 1000 } : {}),
    })),
  );
}
