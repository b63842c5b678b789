import { ConfigurationError } from '../../../shared/errors.js';
import { getBoolean, getChoice, getList, getSecret, getString, quoteInput } from '../../../shared/inputs.js';
import { SEVERITIES, type Severity } from './findings.js';
import { SCANNERS, type Scanner } from './scan.js';
import { DEFAULT_REGISTRY } from './scanners/dependencies.js';

export const FAIL_ON = [...SEVERITIES, 'none'] as const;

/** The action's inputs, keyed as in action.yml, validated in one place. */
export interface SecurityScanInputs {
  path: string;
  scanners: Scanner[];
  'fail-on': Severity | 'none';
  ignore: string[];
  'sarif-file': string;
  annotations: boolean;
  registry: string;
  'registry-token': string | undefined;
  'on-registry-error': 'warn' | 'fail';
}

export function parseScanners(entries: readonly string[]): Scanner[] {
  if (entries.length === 0 || entries.includes('all')) return [...SCANNERS];
  for (const entry of entries) {
    if (!(SCANNERS as readonly string[]).includes(entry)) {
      throw new ConfigurationError(
        `Input "scanners" lists ${quoteInput(entry)}; use any of ${SCANNERS.join(', ')} (or all).`,
      );
    }
  }
  return [...new Set(entries)] as Scanner[];
}

export function parseRegistry(raw: string): string {
  const value = raw === '' ? DEFAULT_REGISTRY : raw;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigurationError(
      `Input "registry" must be an http(s) URL like ${DEFAULT_REGISTRY}, got ${quoteInput(value)}.`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ConfigurationError(
      `Input "registry" must be an http(s) URL like ${DEFAULT_REGISTRY}, got ${quoteInput(value)}.`,
    );
  }
  return value.replace(/\/+$/, '');
}

export function readInputs(): SecurityScanInputs {
  return {
    path: getString('path') || '.',
    scanners: parseScanners(getList('scanners')),
    'fail-on': getChoice('fail-on', FAIL_ON, 'high'),
    ignore: getList('ignore'),
    'sarif-file': getString('sarif-file'),
    annotations: getBoolean('annotations', true),
    registry: parseRegistry(getString('registry')),
    'registry-token': getSecret('registry-token'),
    'on-registry-error': getChoice('on-registry-error', ['warn', 'fail'] as const, 'warn'),
  };
}
