import { retry } from '../../../../../shared/retry.js';
import type { OsvSeverity } from './severity.js';

export const DEFAULT_OSV_URL = 'https://api.osv.dev';
/** OSV's documented limit of queries in one /v1/querybatch request. */
export const QUERY_BATCH_SIZE = 1000;

export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

export interface OsvQuery {
  ecosystem: string;
  name: string;
  version: string;
}

export interface OsvEvent {
  introduced?: string;
  fixed?: string;
  last_affected?: string;
  limit?: string;
}

export interface OsvAffected {
  package?: { ecosystem?: string; name?: string };
  ranges?: { type?: string; events?: OsvEvent[] }[];
  versions?: string[];
  ecosystem_specific?: Record<string, unknown>;
  database_specific?: Record<string, unknown>;
}

/** The parts of an OSV record (https://ossf.github.io/osv-schema/) this scanner reads. */
export interface OsvVulnerability {
  id: string;
  summary?: string;
  details?: string;
  aliases?: string[];
  severity?: OsvSeverity[];
  affected?: OsvAffected[];
  database_specific?: Record<string, unknown>;
}

export interface OsvClientOptions {
  url?: string;
  fetch?: FetchLike;
  timeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /** Concurrent /v1/vulns/<id> requests. */
  concurrency?: number;
}

/** OSV answered in a way worth another try (network, 5xx, 429). */
class RetryableError extends Error {}

function networkReason(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}

/**
 * An OSV API client for one run: queries go out in batches of 1,000, and each vulnerability's record is
 * fetched once however many packages (lockfiles, image layers) it affects.
 */
export class OsvClient {
  readonly url: string;
  private readonly fetcher: FetchLike;
  private readonly options: OsvClientOptions;
  private readonly records = new Map<string, Promise<OsvVulnerability>>();
  /** Requests sent, by endpoint, for the log and the tests. */
  readonly requests = { querybatch: 0, vulns: 0 };

  constructor(options: OsvClientOptions = {}) {
    this.url = (options.url ?? DEFAULT_OSV_URL).replace(/\/+$/, '');
    this.fetcher = options.fetch ?? ((url, init) => fetch(url, init));
    this.options = options;
  }

  private async request<T>(path: string, init: RequestInit): Promise<T> {
    return retry(
      async () => {
        let response: Response;
        try {
          response = await this.fetcher(`${this.url}${path}`, {
            ...init,
            signal: AbortSignal.timeout(this.options.timeoutMs ?? 30_000),
          });
        } catch (error: unknown) {
          throw new RetryableError(`OSV at ${this.url} is unreachable (${networkReason(error)})`);
        }
        if (response.status >= 500 || response.status === 429) {
          throw new RetryableError(`OSV at ${this.url} answered HTTP ${response.status} to ${path}`);
        }
        if (!response.ok) throw new Error(`OSV at ${this.url} answered HTTP ${response.status} to ${path}`);
        try {
          return (await response.json()) as T;
        } catch {
          throw new Error(`OSV at ${this.url} answered ${path} with something other than JSON`);
        }
      },
      {
        attempts: 3,
        minDelayMs: 500,
        maxDelayMs: 4000,
        isRetryable: (error) => error instanceof RetryableError,
        ...(this.options.sleep ? { sleep: this.options.sleep } : {}),
      },
    );
  }

  /** The vulnerability ids affecting each query, in the queries' order (pages followed). */
  async queryBatch(queries: readonly OsvQuery[]): Promise<string[][]> {
    const ids: string[][] = queries.map(() => []);
    let pending = queries.map((query, index) => ({
      index,
      query,
      pageToken: undefined as string | undefined,
    }));
    while (pending.length > 0) {
      const next: typeof pending = [];
      for (let start = 0; start < pending.length; start += QUERY_BATCH_SIZE) {
        const chunk = pending.slice(start, start + QUERY_BATCH_SIZE);
        this.requests.querybatch++;
        const body = await this.request<{
          results?: { vulns?: { id: string }[]; next_page_token?: string }[];
        }>('/v1/querybatch', {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json' },
          body: JSON.stringify({
            queries: chunk.map(({ query, pageToken }) => ({
              package: { ecosystem: query.ecosystem, name: query.name },
              version: query.version,
              ...(pageToken ? { page_token: pageToken } : {}),
            })),
          }),
        });
        chunk.forEach((entry, position) => {
          const result = body.results?.[position];
          for (const vuln of result?.vulns ?? []) ids[entry.index]!.push(vuln.id);
          if (result?.next_page_token) next.push({ ...entry, pageToken: result.next_page_token });
        });
      }
      pending = next;
    }
    return ids;
  }

  /** The full record of a vulnerability, fetched once per run. */
  vulnerability(id: string): Promise<OsvVulnerability> {
    let record = this.records.get(id);
    if (!record) {
      this.requests.vulns++;
      record = this.request<OsvVulnerability>(`/v1/vulns/${encodeURIComponent(id)}`, {
        headers: { accept: 'application/json' },
      });
      this.records.set(id, record);
      record.catch(() => this.records.delete(id));
    }
    return record;
  }

  /** Records of many ids, a few requests at a time. */
  async vulnerabilities(ids: Iterable<string>): Promise<Map<string, OsvVulnerability>> {
    const queue = [...new Set(ids)];
    const found = new Map<string, OsvVulnerability>();
    const worker = async (): Promise<void> => {
      for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
        found.set(id, await this.vulnerability(id));
      }
    };
    await Promise.all(Array.from({ length: this.options.concurrency ?? 8 }, worker));
    return found;
  }
}
