import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for the OSV API (https://google.github.io/osv.dev/api/): POST /v1/querybatch and
 * GET /v1/vulns/<id>, answering from records written in OSV's schema. A query matches a record when one of
 * its `affected` entries names the package (ecosystem and name) and lists the version in `versions`
 * (the enumerated form OSV records carry); ranges are not evaluated here, so the scanner's own version
 * orders are never what makes a test pass.
 */
export interface OsvRecord {
  id: string;
  summary?: string;
  details?: string;
  aliases?: string[];
  modified?: string;
  severity?: { type: string; score: string }[];
  affected: {
    package: { ecosystem: string; name: string };
    versions?: string[];
    ranges?: { type: string; events: Record<string, string>[] }[];
    ecosystem_specific?: Record<string, unknown>;
    database_specific?: Record<string, unknown>;
  }[];
  database_specific?: Record<string, unknown>;
}

export interface OsvStandIn {
  url: string;
  /** Bodies of the querybatch requests received, and the ids asked for on /v1/vulns. */
  batches: {
    queries: { package: { ecosystem: string; name: string }; version: string; page_token?: string }[];
  }[];
  vulnsAsked: string[];
  close: () => Promise<void>;
}

export interface OsvStandInOptions {
  /** Results per query before a next_page_token is given (OSV pages long result lists). */
  pageSize?: number;
  /** Answer every request with this HTTP status (an outage). */
  failWith?: number;
}

function sameEcosystem(recorded: string, asked: string): boolean {
  return recorded === asked;
}

export async function startOsvStandIn(
  records: readonly OsvRecord[],
  options: OsvStandInOptions = {},
): Promise<OsvStandIn> {
  const batches: OsvStandIn['batches'] = [];
  const vulnsAsked: string[] = [];
  const byId = new Map(records.map((record) => [record.id, record]));
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const reply = (status: number, value?: unknown): void => {
        response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value ?? {}));
      };
      if (options.failWith)
        return reply(options.failWith, { code: options.failWith, message: 'stand-in outage' });
      if (request.method === 'POST' && request.url === '/v1/querybatch') {
        const asked = JSON.parse(body) as OsvStandIn['batches'][number];
        if (!Array.isArray(asked.queries) || asked.queries.length > 1000) {
          return reply(400, { code: 3, message: 'too many queries' });
        }
        batches.push(asked);
        const results = asked.queries.map((query) => {
          const matching = records.filter((record) =>
            record.affected.some(
              (affected) =>
                sameEcosystem(affected.package.ecosystem, query.package.ecosystem) &&
                affected.package.name === query.package.name &&
                (affected.versions ?? []).includes(query.version),
            ),
          );
          const start = Number(query.page_token ?? '0');
          const end = options.pageSize ? start + options.pageSize : matching.length;
          const vulns = matching
            .slice(start, end)
            .map(({ id, modified }) => ({ id, modified: modified ?? '2026-01-01T00:00:00Z' }));
          return end < matching.length
            ? { vulns, next_page_token: String(end) }
            : vulns.length
              ? { vulns }
              : {};
        });
        return reply(200, { results });
      }
      const vuln = /^\/v1\/vulns\/([^/?]+)$/.exec(request.url ?? '');
      if (request.method === 'GET' && vuln) {
        const id = decodeURIComponent(vuln[1]!);
        vulnsAsked.push(id);
        const record = byId.get(id);
        return record ? reply(200, record) : reply(404, { code: 5, message: 'Bug not found.' });
      }
      reply(404, { code: 5, message: 'Not Found' });
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    batches,
    vulnsAsked,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}
