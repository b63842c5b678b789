// The live scanner: passive checks of deployed URLs (headers, cookies, TLS, exposed files, CORS, HTTP->HTTPS).
// Bounded: at most REQUESTS_PER_URL requests and two TLS handshakes per URL, each with a time limit; links are
// followed only from the first page (its scripts' source maps and folder), never crawled.
import type { Finding } from '../../findings.js';
import { checkCookies, checkHeaders, type LiveHit } from './headers.js';
import { checkCors, checkExposure, checkHttpRedirect } from './exposure.js';
import { get, type RequestBudget } from './http.js';
import { liveRule } from './live-rules.js';
import { checkTls } from './tls.js';

export const REQUESTS_PER_URL = 10;

export interface LiveScanOptions {
  timeoutMs: number;
  certificateExpiryDays: number;
  /** Extra trusted CAs (PEM) for the TLS checks. */
  ca?: string;
  now?: () => Date;
  onProgress?: (message: string) => void;
}

export interface LiveScanResult {
  findings: Finding[];
  /** URLs that did not answer at all: the step fails on these (a scan of nothing is not a pass). */
  unreachable: { url: string; reason: string }[];
  requests: number;
}

export function toFinding(url: string, hit: LiveHit): Finding {
  const rule = liveRule(hit.ruleId);
  return {
    ruleId: rule.id,
    severity: rule.severity,
    category: 'live',
    file: url,
    line: 1,
    message: `${hit.message} (${rule.owasp})`,
    fix: rule.fix,
  };
}

async function scanUrl(
  url: string,
  options: LiveScanOptions,
): Promise<{ hits: LiveHit[]; requests: number }> {
  const budget: RequestBudget = { timeoutMs: options.timeoutMs, used: 0, limit: REQUESTS_PER_URL };
  const page = await get(url, budget);
  const https = new URL(url).protocol === 'https:';
  const hits: LiveHit[] = [...checkHeaders(page, https), ...checkCookies(page, https)];
  hits.push(...(await checkExposure(page, budget)));
  hits.push(...(await checkCors(page, budget)));
  hits.push(...(await checkHttpRedirect(page, budget)));
  if (https) {
    const tls = await checkTls(new URL(url), {
      timeoutMs: options.timeoutMs,
      certificateExpiryDays: options.certificateExpiryDays,
      ...(options.ca ? { ca: options.ca } : {}),
      ...(options.now ? { now: options.now } : {}),
    });
    hits.push(...tls.hits);
  }
  // One finding per rule and message: two probes that saw the same thing say it once.
  const seen = new Set<string>();
  return {
    hits: hits.filter((hit) => !seen.has(hit.ruleId + hit.message) && seen.add(hit.ruleId + hit.message)),
    requests: budget.used,
  };
}

export async function scanLive(urls: readonly string[], options: LiveScanOptions): Promise<LiveScanResult> {
  const result: LiveScanResult = { findings: [], unreachable: [], requests: 0 };
  for (const url of urls) {
    options.onProgress?.(`live: checking ${url}`);
    try {
      const { hits, requests } = await scanUrl(url, options);
      result.requests += requests;
      result.findings.push(...hits.map((hit) => toFinding(url, hit)));
      options.onProgress?.(`live: ${url}: ${hits.length} finding(s) from ${requests} request(s)`);
    } catch (error) {
      const cause = (error as Error & { cause?: { code?: string; message?: string } }).cause;
      result.unreachable.push({
        url,
        reason: cause?.code ?? cause?.message ?? (error as Error).message,
      });
    }
  }
  return result;
}
