import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

/** A target group's health check, in ELBv2's terms (CreateTargetGroup HealthCheck* parameters). */
export interface TargetHealthCheck {
  protocol: 'HTTP' | 'HTTPS';
  port: 'traffic-port' | number;
  path: string;
  intervalSeconds: number;
  timeoutSeconds: number;
  healthyThreshold: number;
  unhealthyThreshold: number;
  /** HttpCode: "200", "200-299", "200,302". */
  matcher: string;
  enabled: boolean;
}

export interface TargetGroup {
  arn: string;
  name: string;
  protocol: string;
  port?: number;
  targetType: 'ip' | 'instance';
  vpcId?: string;
  healthCheck: TargetHealthCheck;
  deregistrationDelaySeconds: number;
  tags: { key: string; value: string }[];
  createdAt: number;
}

/** Stand-in targets: id "127.0.0.1", port = the task's host port. */
export interface TargetId {
  id: string;
  port: number;
}

export type TargetState = 'initial' | 'healthy' | 'unhealthy' | 'unused' | 'draining' | 'unavailable';

export interface TargetHealthView {
  state: TargetState;
  reason?: string;
  description?: string;
}

/** The answer's status, or `error`: "timeout", "refused" (connection refused) or another failure's message. */
export type ProbeResult = { status: number } | { error: string };
export type Probe = (url: string, timeoutMs: number) => Promise<ProbeResult>;

// ELB's defaults and ranges for HTTP(S) instance/ip target groups (AWS-FACTS.md section 5).
export const DEFAULT_HEALTH_CHECK: TargetHealthCheck = {
  protocol: 'HTTP',
  port: 'traffic-port',
  path: '/',
  intervalSeconds: 30,
  timeoutSeconds: 5,
  healthyThreshold: 5,
  unhealthyThreshold: 2,
  matcher: '200',
  enabled: true,
};
export const DEFAULT_DEREGISTRATION_DELAY_SECONDS = 300;
export const HEALTH_CHECK_RANGES = {
  HealthCheckIntervalSeconds: { min: 5, max: 300 },
  HealthCheckTimeoutSeconds: { min: 2, max: 120 },
  HealthyThresholdCount: { min: 2, max: 10 },
  UnhealthyThresholdCount: { min: 2, max: 10 },
} as const;
export const DEREGISTRATION_DELAY_RANGE = { min: 0, max: 3600 } as const;
const MATCHER_RANGE = { min: 200, max: 499 };

/**
 * "200", "200-299", "200,302" -> ranges of codes; throws a readable message for anything else or a
 * code outside 200-499 (the HTTP matcher's range).
 */
export function parseMatcher(httpCode: string): { low: number; high: number }[] {
  return httpCode.split(',').map((part) => {
    const match = /^\s*(\d{3})\s*(?:-\s*(\d{3})\s*)?$/.exec(part);
    if (!match) throw new Error(`'${httpCode}' is not a valid HttpCode matcher (e.g. 200, 200-299, 200,302)`);
    const low = Number(match[1]);
    const high = Number(match[2] ?? match[1]);
    if (low > high || low < MATCHER_RANGE.min || high > MATCHER_RANGE.max) {
      throw new Error(`HttpCode '${httpCode}' must be within ${MATCHER_RANGE.min}-${MATCHER_RANGE.max}`);
    }
    return { low, high };
  });
}

export function matches(httpCode: string, status: number): boolean {
  return parseMatcher(httpCode).some(({ low, high }) => status >= low && status <= high);
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost']);

export const isLoopbackTarget = (id: string): boolean => LOOPBACK_HOSTS.has(id);

/**
 * One health check: GET the URL, a fresh connection each time (no keep-alive), the whole exchange
 * within timeoutMs. Only loopback targets are ever contacted.
 */
export const httpProbe: Probe = (url, timeoutMs) =>
  new Promise((resolve) => {
    const parsed = new URL(url);
    if (!isLoopbackTarget(parsed.hostname)) {
      resolve({ error: `local-aws only probes 127.0.0.1/localhost targets, not ${parsed.hostname}` });
      return;
    }
    const https = parsed.protocol === 'https:';
    const options = {
      host: '127.0.0.1',
      port: Number(parsed.port) || (https ? 443 : 80),
      path: `${parsed.pathname}${parsed.search}`,
      method: 'GET',
      agent: false as const,
      headers: { 'User-Agent': 'ELB-HealthChecker/2.0 (local-aws)', Connection: 'close' },
      // Load balancers do not validate an HTTPS target's certificate (the stand-in probes only loopback).
      // shipkit-ignore: code-tls-disabled
      ...(https ? { rejectUnauthorized: false } : {}),
    };
    let settled = false;
    const outgoing = (https ? httpsRequest : httpRequest)(options, (answer) => {
      answer.resume();
      answer.on('end', () => settle({ status: answer.statusCode ?? 0 }));
      answer.on('error', (error) => settle({ error: error.message }));
    });
    const timer = setTimeout(() => settle({ error: 'timeout' }), timeoutMs);
    function settle(result: ProbeResult): void {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      outgoing.destroy();
      resolve(result);
    }
    outgoing.on('error', (error: NodeJS.ErrnoException) =>
      settle({ error: error.code === 'ECONNREFUSED' ? 'refused' : error.message }),
    );
    outgoing.end();
  });
