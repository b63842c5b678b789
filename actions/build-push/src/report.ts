import { formatDuration, markdownTable } from '../../../shared/summary.js';
import type { PublishResult } from './publish.js';

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

const STATE_TEXT = { pushed: 'pushed', unchanged: 'already there', moved: 'moved to this image' } as const;

/** The job summary: one table people read after the run. */
export function summaryMarkdown(result: PublishResult, builder: string): string {
  const rows: string[][] = [
    ['Image', `\`${result.image}\``],
    ['Digest', result.digest ? `\`${result.digest}\`` : 'not pushed'],
    ['Tags', result.tags.map((tag) => `\`${tag.name}\` (${STATE_TEXT[tag.state]})`).join('<br>')],
    ['Size', result.sizeBytes === undefined ? 'unknown' : formatBytes(result.sizeBytes)],
    ['Build time', result.skipped ? 'skipped (skip-existing)' : formatDuration(result.buildMs)],
    ['Push time', result.skipped ? 'skipped' : formatDuration(result.pushMs)],
    [
      'Cache hits',
      result.cacheHits ? `${result.cacheHits.cached} of ${result.cacheHits.total} steps` : 'unknown',
    ],
    ['Layers', `${result.layers.pushed} uploaded, ${result.layers.existing} already in the registry`],
    ['Platforms', result.platforms.join(', ') || 'runner default'],
    ['Builder', builder],
  ];
  return `### build-push\n\n${markdownTable(['', 'Value'], rows)}\n`;
}
