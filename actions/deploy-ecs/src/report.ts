import { formatDuration, markdownTable } from '../../../shared/summary.js';
import type { DeployResult, ServiceOutcome } from './deploy.js';
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
  const rows = result.services.map((service) => [
    service.cluster === 'default' ? service.service : `${service.cluster}/${service.service}`,
    revisionOf(service.before),
    revisionOf(service.after),
    images,
    service.timeToStableMs !== undefined ? formatDuration(service.timeToStableMs) : '-',
    OUTCOME_TEXT[service.outcome],
  ]);
  const lines = [`### deploy-ecs: ${revisionOf(result.taskDefinitionArn)}`, ''];
  if (rows.length > 0) {
    lines.push(markdownTable(['service', 'before', 'after', 'image', 'time to stable', 'result'], rows), '');
  }
  if (result.migration) {
    lines.push(`Migration task ran in ${formatDuration(result.migration.durationMs)} and exited 0.`, '');
  }
  if (result.deregistered.length > 0) {
    lines.push(`Deregistered old revisions: ${result.deregistered.map(revisionOf).join(', ')}.`, '');
  }
  if (result.failure) lines.push(`**${result.failure}**`, '');
  return lines.join('\n');
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
    })),
  );
}
