import { ConfigurationError } from '../../../shared/errors.js';
import {
  getBoolean,
  getChoice,
  getInteger,
  getList,
  getSecret,
  getString,
  quoteInput,
} from '../../../shared/inputs.js';
import { SEVERITIES, type Severity } from './findings.js';
import { SCANNERS, type Scanner } from './scan.js';
import { DEFAULT_OSV_URL } from './scanners/dependencies/osv.js';
import { parseImageReference } from './scanners/image/reference.js';

export const FAIL_ON = [...SEVERITIES, 'none'] as const;

/** The action's inputs, keyed as in action.yml, validated in one place. */
export interface SecurityScanInputs {
  path: string;
  scanners: Scanner[];
  'fail-on': Severity | 'none';
  ignore: string[];
  'sarif-file': string;
  annotations: boolean;
  'osv-url': string;
  /** Image reference whose OS and language packages are checked (empty: no image scan). */
  image: string;
  'registry-username': string;
  'registry-password': string | undefined;
  'on-registry-error': 'warn' | 'fail';
  /** Accept a scan that finds no files (by default an error: usually a job that forgot to check out). */
  'allow-empty': boolean;
  /** On pull_request/push events, also scan the lines the event's commits added. */
  history: boolean;
  /** Deployed URLs the live scanner checks (passive requests only); empty: no live scan. */
  urls: string[];
  'certificate-expiry-days': number;
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

export function parseOsvUrl(raw: string): string {
  const value = raw === '' ? DEFAULT_OSV_URL : raw;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigurationError(
      `Input "osv-url" must be an http(s) URL like ${DEFAULT_OSV_URL}, got ${quoteInput(value)}.`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ConfigurationError(
      `Input "osv-url" must be an http(s) URL like ${DEFAULT_OSV_URL}, got ${quoteInput(value)}.`,
    );
  }
  return value.replace(/\/+$/, '');
}

/** Empty (no image scan) or a reference the registry API can be asked about. */
export function parseImage(raw: string): string {
  if (raw === '' || parseImageReference(raw)) return raw.trim();
  throw new ConfigurationError(
    `Input "image" must be an image reference like 127.0.0.1:5000/app:1.0 or registry/app@sha256:<digest>, got ${quoteInput(raw)}.`,
  );
}

/** http(s) URLs with a host: what the live scanner can request. */
export function parseUrls(entries: readonly string[]): string[] {
  return entries.map((entry) => {
    let url: URL | undefined;
    try {
      url = new URL(entry);
    } catch {
      url = undefined;
    }
    if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:') || url.hostname === '') {
      throw new ConfigurationError(
        `Input "urls" lists ${quoteInput(entry)}; each entry must be an http(s) URL like https://app.example.com/.`,
      );
    }
    return url.href;
  });
}

export function readInputs(): SecurityScanInputs {
  return {
    path: getString('path') || '.',
    scanners: parseScanners(getList('scanners')),
    'fail-on': getChoice('fail-on', FAIL_ON, 'high'),
    ignore: getList('ignore'),
    'sarif-file': getString('sarif-file'),
    annotations: getBoolean('annotations', true),
    'osv-url': parseOsvUrl(getString('osv-url')),
    image: parseImage(getString('image')),
    'registry-username': getString('registry-username'),
    'registry-password': getSecret('registry-password'),
    'on-registry-error': getChoice('on-registry-error', ['warn', 'fail'] as const, 'warn'),
    'allow-empty': getBoolean('allow-empty', false),
    history: getBoolean('history', true),
    urls: parseUrls(getList('urls')),
    'certificate-expiry-days': getInteger('certificate-expiry-days', 30, { min: 0, max: 3650 }),
  };
}
