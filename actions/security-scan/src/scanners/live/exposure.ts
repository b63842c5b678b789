// What the live app serves that it should not: a .git folder, a .env file, source maps of the scripts the first
// page links, directory listings; and a CORS policy that hands any site the user's session. Only paths named
// here and links on the first page are requested: no crawling.
import type { LiveHit } from './headers.js';
import { type LiveResponse, type RequestBudget, isHtml, tryGet } from './http.js';

const MAX_SOURCE_MAPS = 3;
/** An origin no site can own (RFC 6761 reserves .invalid), so a reflection of it is a reflection of anyone. */
export const PROBE_ORIGIN = 'https://shipkit-cors-probe.invalid';

/** Same-origin script URLs of the first page, in order, at most `limit`. */
export function scriptSources(page: LiveResponse, limit: number): string[] {
  const base = new URL(page.url);
  const found: string[] = [];
  for (const match of page.body.matchAll(/<script\b[^>]*\bsrc\s*=\s*["']?([^"'\s>]+)/gi)) {
    let url: URL;
    try {
      url = new URL(match[1]!, base);
    } catch {
      continue;
    }
    if (url.origin !== base.origin || found.includes(url.href)) continue;
    found.push(url.href);
    if (found.length === limit) break;
  }
  return found;
}

export function isDirectoryListing(response: LiveResponse): boolean {
  return (
    response.status === 200 &&
    isHtml(response) &&
    /<title>\s*(Index of \/|Directory listing for \/)/i.test(response.body)
  );
}

export async function checkExposure(page: LiveResponse, budget: RequestBudget): Promise<LiveHit[]> {
  const hits: LiveHit[] = [];
  const at = (path: string): string => new URL(path, page.url).href;

  const git = await tryGet(at('/.git/HEAD'), budget);
  if (git?.status === 200 && /^(ref: refs\/|[0-9a-f]{40}\s*$)/.test(git.body)) {
    hits.push({
      ruleId: 'live-exposed-git',
      message: `${git.url} is served: the repository can be downloaded.`,
    });
  }

  const env = await tryGet(at('/.env'), budget);
  if (env?.status === 200 && !isHtml(env) && /^\s*(export\s+)?[A-Za-z_][A-Za-z0-9_]*\s*=/m.test(env.body)) {
    hits.push({ ruleId: 'live-exposed-env', message: `${env.url} is served with KEY=value lines.` });
  }

  if (isDirectoryListing(page)) {
    hits.push({ ruleId: 'live-directory-listing', message: `${page.url} is a directory listing.` });
  }
  const scripts = isHtml(page) ? scriptSources(page, MAX_SOURCE_MAPS) : [];
  for (const script of scripts) {
    const map = await tryGet(`${script}.map`, budget);
    if (map?.status === 200 && /^\s*\{/.test(map.body) && map.body.includes('"mappings"')) {
      hits.push({
        ruleId: 'live-exposed-source-map',
        message: `${map.url} is served: the original source can be read.`,
      });
    }
  }
  // The folder of the first linked script is where static middleware would list files.
  if (scripts[0]) {
    const folder = new URL('./', scripts[0]).href;
    if (folder !== page.url) {
      const listing = await tryGet(folder, budget);
      if (listing && isDirectoryListing(listing)) {
        hits.push({ ruleId: 'live-directory-listing', message: `${listing.url} is a directory listing.` });
      }
    }
  }
  return hits;
}

export async function checkCors(page: LiveResponse, budget: RequestBudget): Promise<LiveHit[]> {
  const probe = await tryGet(page.url, budget, { origin: PROBE_ORIGIN });
  if (!probe) return [];
  const allowOrigin = probe.headers.get('access-control-allow-origin')?.trim();
  const credentials = probe.headers.get('access-control-allow-credentials')?.trim().toLowerCase() === 'true';
  if (!credentials || !allowOrigin) return [];
  if (allowOrigin === PROBE_ORIGIN) {
    return [
      {
        ruleId: 'live-cors-credentials',
        message: `${page.url} reflects any Origin (${PROBE_ORIGIN}) with Access-Control-Allow-Credentials: true: any site can read the user's responses.`,
      },
    ];
  }
  if (allowOrigin === '*') {
    return [
      {
        ruleId: 'live-cors-credentials',
        message: `${page.url} sends Access-Control-Allow-Origin: * with Access-Control-Allow-Credentials: true.`,
      },
    ];
  }
  return [];
}

/** The plain-HTTP twin of an HTTPS URL on the default port (port 80), or undefined when there is none to ask. */
export function plainHttpUrl(url: string): string | undefined {
  const parsed = new URL(url);
  if (parsed.protocol !== 'https:' || parsed.port !== '') return undefined;
  parsed.protocol = 'http:';
  return parsed.href;
}

/** An HTTPS site should answer plain HTTP with a redirect to HTTPS (or not at all). */
export async function checkHttpRedirect(
  page: LiveResponse,
  budget: RequestBudget,
  plainUrl = plainHttpUrl(page.url),
): Promise<LiveHit[]> {
  if (!plainUrl) return [];
  const plain = await tryGet(plainUrl, budget);
  if (!plain) return [];
  const location = plain.headers.get('location') ?? '';
  if (plain.status >= 300 && plain.status < 400 && /^https:\/\//i.test(location)) return [];
  return [
    {
      ruleId: 'live-http-not-redirected',
      message: `${plainUrl} answers ${plain.status}${location ? ` (Location: ${location})` : ''} instead of redirecting to HTTPS.`,
    },
  ];
}
