import { request } from 'node:http';

/**
 * The Docker Engine API over its unix socket (node:http with socketPath). Chosen over the docker CLI:
 * no process per call on a 2-core machine, structured JSON back (health status, exit code, OOM) and one
 * round trip per question, which matters since every task is inspected on every scheduler tick.
 */
export interface RegistryAuth {
  username: string;
  password: string;
  serveraddress: string;
}

export interface ContainerSpec {
  image: string;
  env: Record<string, string>;
  command?: string[];
  entryPoint?: string[];
  workingDirectory?: string;
  user?: string;
  labels: Record<string, string>;
  /** Docker's Healthcheck, durations in nanoseconds. */
  healthcheck?: { Test: string[]; Interval: number; Timeout: number; Retries: number; StartPeriod: number };
}

export interface ContainerState {
  /** created | running | paused | restarting | removing | exited | dead, or "missing" if it is gone. */
  status: string;
  running: boolean;
  exitCode: number;
  error: string;
  oomKilled: boolean;
  /** starting | healthy | unhealthy, undefined when the container has no health check. */
  health?: string;
  imageId: string;
}

export interface LogLine {
  /** Epoch milliseconds. */
  timestamp: number;
  message: string;
}

interface EngineResponse {
  status: number;
  body: string;
}

export class DockerEngine {
  private readonly socketPath: string;

  constructor(socketPath: string) {
    this.socketPath = socketPath;
  }

  private call(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<EngineResponse> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const outgoing = request(
        {
          socketPath: this.socketPath,
          method,
          path,
          headers: {
            ...headers,
            ...(payload === undefined
              ? {}
              : { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) }),
          },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () =>
            resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
          );
          response.on('error', reject);
        },
      );
      outgoing.on('error', reject);
      outgoing.end(payload);
    });
  }

  private callRaw(method: string, path: string): Promise<{ status: number; body: Buffer }> {
    return new Promise((resolve, reject) => {
      const outgoing = request({ socketPath: this.socketPath, method, path }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks) }));
        response.on('error', reject);
      });
      outgoing.on('error', reject);
      outgoing.end();
    });
  }

  private static message(response: EngineResponse): string {
    try {
      const parsed = JSON.parse(response.body) as { message?: string };
      return parsed.message ?? response.body;
    } catch {
      return response.body.trim();
    }
  }

  async ping(): Promise<boolean> {
    try {
      return (await this.call('GET', '/_ping')).status === 200;
    } catch {
      return false;
    }
  }

  /** Pulls `image` (name:tag or name@digest); throws with the daemon's message on failure. */
  async pull(image: string, auth?: RegistryAuth): Promise<void> {
    const { name, reference } = splitImage(image);
    const query = new URLSearchParams({ fromImage: name, tag: reference });
    const headers: Record<string, string> = {};
    // URL-safe alphabet WITH padding: older daemons (20.10) reject unpadded base64url and pull anonymously.
    if (auth) {
      headers['X-Registry-Auth'] = Buffer.from(JSON.stringify(auth))
        .toString('base64')
        .replaceAll('+', '-')
        .replaceAll('/', '_');
    }
    const response = await this.call('POST', `/images/create?${query.toString()}`, undefined, headers);
    if (response.status !== 200) throw new Error(DockerEngine.message(response));
    // The progress stream reports failures in-band, as a line with "error".
    for (const line of response.body.split('\n')) {
      if (!line.trim()) continue;
      try {
        const event = JSON.parse(line) as { error?: string };
        if (event.error) throw new Error(event.error);
      } catch (error) {
        if (error instanceof SyntaxError) continue;
        throw error;
      }
    }
  }

  /** Creates and starts a container on the host network; returns its id. */
  async run(spec: ContainerSpec): Promise<string> {
    const body = {
      Image: spec.image,
      Env: Object.entries(spec.env).map(([key, value]) => `${key}=${value}`),
      ...(spec.command ? { Cmd: spec.command } : {}),
      ...(spec.entryPoint ? { Entrypoint: spec.entryPoint } : {}),
      ...(spec.workingDirectory ? { WorkingDir: spec.workingDirectory } : {}),
      ...(spec.user ? { User: spec.user } : {}),
      Labels: spec.labels,
      ...(spec.healthcheck ? { Healthcheck: spec.healthcheck } : {}),
      HostConfig: { NetworkMode: 'host', Init: true },
    };
    const created = await this.call('POST', '/containers/create', body);
    if (created.status !== 201) throw new Error(DockerEngine.message(created));
    const id = (JSON.parse(created.body) as { Id: string }).Id;
    const started = await this.call('POST', `/containers/${id}/start`);
    if (started.status !== 204 && started.status !== 304) {
      const message = DockerEngine.message(started);
      await this.remove(id).catch(() => undefined);
      throw new Error(message);
    }
    return id;
  }

  async inspect(id: string): Promise<ContainerState> {
    const response = await this.call('GET', `/containers/${id}/json`);
    if (response.status === 404) {
      return {
        status: 'missing',
        running: false,
        exitCode: -1,
        error: 'container is gone',
        oomKilled: false,
        imageId: '',
      };
    }
    if (response.status !== 200) throw new Error(DockerEngine.message(response));
    const parsed = JSON.parse(response.body) as {
      Image: string;
      State: {
        Status: string;
        Running: boolean;
        ExitCode: number;
        Error: string;
        OOMKilled: boolean;
        Health?: { Status: string };
      };
    };
    return {
      status: parsed.State.Status,
      running: parsed.State.Running,
      exitCode: parsed.State.ExitCode,
      error: parsed.State.Error,
      oomKilled: parsed.State.OOMKilled,
      health: parsed.State.Health?.Status,
      imageId: parsed.Image,
    };
  }

  /** The repo digest of a local image (name@sha256:...), for the container's imageDigest. */
  async imageDigest(image: string): Promise<string | undefined> {
    const response = await this.call('GET', `/images/${encodeURIComponent(image)}/json`);
    if (response.status !== 200) return undefined;
    const parsed = JSON.parse(response.body) as { RepoDigests?: string[] };
    const { name } = splitImage(image);
    const match = parsed.RepoDigests?.find((entry) => entry.startsWith(`${name}@`));
    return match?.slice(name.length + 1);
  }

  /** stdout + stderr lines with Docker's timestamps, oldest first (non-TTY containers: 8-byte frame headers). */
  async logs(id: string): Promise<LogLine[]> {
    const response = await this.callRaw(
      'GET',
      `/containers/${id}/logs?stdout=1&stderr=1&timestamps=1&tail=10000`,
    );
    if (response.status === 404) return [];
    if (response.status !== 200) throw new Error(response.body.toString('utf8'));
    return parseLogLines(demultiplex(response.body));
  }

  async stop(id: string, timeoutSeconds: number): Promise<void> {
    const response = await this.call('POST', `/containers/${id}/stop?t=${timeoutSeconds}`);
    if (![204, 304, 404].includes(response.status)) throw new Error(DockerEngine.message(response));
  }

  async kill(id: string, signal = 'SIGKILL'): Promise<void> {
    const response = await this.call('POST', `/containers/${id}/kill?signal=${signal}`);
    if (![204, 404, 409].includes(response.status)) throw new Error(DockerEngine.message(response));
  }

  async remove(id: string): Promise<void> {
    const response = await this.call('DELETE', `/containers/${id}?force=true&v=true`);
    if (![204, 404, 409].includes(response.status)) throw new Error(DockerEngine.message(response));
  }

  /** State of every container with the label, from one list call: running, and health parsed from Status. */
  async listStates(label: string): Promise<Map<string, { running: boolean; health?: string }>> {
    const filters = encodeURIComponent(JSON.stringify({ label: [label] }));
    const response = await this.call('GET', `/containers/json?all=true&filters=${filters}`);
    if (response.status !== 200) throw new Error(DockerEngine.message(response));
    const states = new Map<string, { running: boolean; health?: string }>();
    for (const container of JSON.parse(response.body) as { Id: string; State: string; Status: string }[]) {
      const health = /\((healthy|unhealthy|health: starting)\)/.exec(container.Status)?.[1];
      states.set(container.Id, {
        running: container.State === 'running',
        ...(health ? { health: health === 'health: starting' ? 'starting' : health } : {}),
      });
    }
    return states;
  }

  async listByLabel(label: string): Promise<string[]> {
    const filters = encodeURIComponent(JSON.stringify({ label: [label] }));
    const response = await this.call('GET', `/containers/json?all=true&filters=${filters}`);
    if (response.status !== 200) throw new Error(DockerEngine.message(response));
    return (JSON.parse(response.body) as { Id: string }[]).map((container) => container.Id);
  }
}

/** "host:5000/repo:tag" -> { name: "host:5000/repo", reference: "tag" }; digests keep "sha256:...". */
export function splitImage(image: string): { name: string; reference: string } {
  const at = image.indexOf('@');
  if (at >= 0) return { name: image.slice(0, at), reference: image.slice(at + 1) };
  const lastSlash = image.lastIndexOf('/');
  const colon = image.lastIndexOf(':');
  if (colon > lastSlash) return { name: image.slice(0, colon), reference: image.slice(colon + 1) };
  return { name: image, reference: 'latest' };
}

/** Docker's multiplexed log stream: [stream, 0, 0, 0, size (uint32 BE)] + payload, repeated. */
export function demultiplex(body: Buffer): string {
  const parts: Buffer[] = [];
  let offset = 0;
  while (offset + 8 <= body.length) {
    const kind = body[offset]!;
    const size = body.readUInt32BE(offset + 4);
    if (kind > 2 || body[offset + 1] !== 0) return body.toString('utf8'); // a TTY stream: not framed
    parts.push(body.subarray(offset + 8, offset + 8 + size));
    offset += 8 + size;
  }
  return Buffer.concat(parts).toString('utf8');
}

/** "2026-11-23T11:54:54.089864355Z message" lines -> timestamped messages. */
export function parseLogLines(text: string): LogLine[] {
  const lines: LogLine[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const space = line.indexOf(' ');
    const timestamp = Date.parse(line.slice(0, space));
    if (space > 0 && !Number.isNaN(timestamp)) lines.push({ timestamp, message: line.slice(space + 1) });
    else lines.push({ timestamp: lines.at(-1)?.timestamp ?? Date.now(), message: line });
  }
  return lines;
}
