import { randomBytes } from 'node:crypto';

import { elbv2Operations } from './elbv2.js';
import type { LocalAwsKnobs } from './options.js';
import { AwsError } from './protocol.js';
import type { QueryOperation } from './query-protocol.js';
import {
  DEFAULT_DEREGISTRATION_DELAY_SECONDS,
  DEFAULT_HEALTH_CHECK,
  httpProbe,
  matches,
  type Probe,
  type ProbeResult,
  type TargetGroup,
  type TargetHealthView,
  type TargetId,
} from './target-health.js';

export { DEFAULT_DEREGISTRATION_DELAY_SECONDS, DEFAULT_HEALTH_CHECK } from './target-health.js';
export type {
  Probe,
  ProbeResult,
  TargetGroup,
  TargetHealthCheck,
  TargetHealthView,
  TargetId,
  TargetState,
} from './target-health.js';

export interface TargetGroupStoreDeps {
  region: string;
  accountId: string;
  knobs: LocalAwsKnobs;
  now?: () => number;
  log?: (message: string) => void;
  probe?: Probe;
}

/** A registered target and what the health checks have seen so far. */
interface RegisteredTarget {
  target: TargetId;
  health: TargetHealthView;
  /** Consecutive passes / failures since the last state change in the other direction. */
  passes: number;
  failures: number;
  nextProbeAt: number;
  probing: boolean;
  /** Set while draining: when the target leaves the group. */
  drainUntil?: number;
}

interface GroupEntry {
  group: TargetGroup;
  targets: Map<string, RegisteredTarget>;
  /** Target group attributes other than the deregistration delay: kept and returned, not acted upon. */
  otherAttributes: Map<string, string>;
}

// Reasons and descriptions from AWS-FACTS.md section 5 (API_TargetHealth, the ALB guide). The
// descriptions of FailedHealthChecks and NotRegistered are not documented there: local-aws's wording.
const REGISTERING: TargetHealthView = {
  state: 'initial',
  reason: 'Elb.RegistrationInProgress',
  description: 'Target registration is in progress',
};
const INITIAL_CHECKS: TargetHealthView = {
  state: 'initial',
  reason: 'Elb.InitialHealthChecking',
  description: 'Initial health checks in progress',
};
const DRAINING: TargetHealthView = {
  state: 'draining',
  reason: 'Target.DeregistrationInProgress',
  description: 'Target deregistration is in progress',
};
const NOT_REGISTERED: TargetHealthView = {
  state: 'unused',
  reason: 'Target.NotRegistered',
  description: 'Target is not registered to the target group',
};
const CHECKS_DISABLED: TargetHealthView = {
  state: 'unavailable',
  reason: 'Target.HealthCheckDisabled',
  description: 'Health checks are disabled',
};

/** What one probe result means for the target: a pass, or a failure with its reason. */
export function judgeProbe(result: ProbeResult, matcher: string): TargetHealthView | 'pass' {
  if ('status' in result) {
    if (matches(matcher, result.status)) return 'pass';
    return {
      state: 'unhealthy',
      reason: 'Target.ResponseCodeMismatch',
      description: `Health checks failed with these codes: [${result.status}]`,
    };
  }
  if (result.error === 'timeout') {
    return { state: 'unhealthy', reason: 'Target.Timeout', description: 'Request timed out' };
  }
  return {
    state: 'unhealthy',
    reason: 'Target.FailedHealthChecks',
    description:
      result.error === 'refused' ? 'Health checks failed' : `Health checks failed: ${result.error}`,
  };
}

const targetKey = (target: TargetId): string => `${target.id}:${target.port}`;

/**
 * ELBv2 target groups: the groups, their registered targets, and the health checks that move each target
 * initial -> healthy / unhealthy as ELB does (thresholds of consecutive results, each target probed on its
 * own interval), draining -> gone after the deregistration delay.
 */
export class TargetGroupStore {
  readonly operations: Record<string, QueryOperation>;
  readonly region: string;
  readonly accountId: string;
  private readonly knobs: LocalAwsKnobs;
  private readonly now: () => number;
  private readonly log: (message: string) => void;
  private readonly probe: Probe;
  private readonly groups = new Map<string, GroupEntry>();

  constructor(deps: TargetGroupStoreDeps) {
    this.region = deps.region;
    this.accountId = deps.accountId;
    this.knobs = deps.knobs;
    this.now = deps.now ?? Date.now;
    this.log = deps.log ?? ((): void => undefined);
    this.probe = deps.probe ?? httpProbe;
    this.operations = elbv2Operations(this);
  }

  /** Every group, in creation order. */
  all(): TargetGroup[] {
    return [...this.groups.values()].map((entry) => entry.group);
  }

  byArn(arn: string): TargetGroup | undefined {
    return this.groups.get(arn)?.group;
  }

  byName(name: string): TargetGroup | undefined {
    return this.all().find((group) => group.name === name);
  }

  newArn(name: string): string {
    return `arn:aws:elasticloadbalancing:${this.region}:${this.accountId}:targetgroup/${name}/${randomBytes(8).toString('hex')}`;
  }

  /** Adds a group built by the caller (elbv2.ts validates it). */
  add(group: TargetGroup): TargetGroup {
    this.groups.set(group.arn, { group, targets: new Map(), otherAttributes: new Map() });
    this.log(`target group ${group.name} created (${group.arn})`);
    return group;
  }

  delete(arn: string): void {
    if (this.groups.delete(arn)) this.log(`target group ${arn} deleted`);
  }

  /**
   * A service created with a bare loadBalancers entry whose targetGroupArn was never created: make a
   * default group (ELB defaults, path "/") with that ARN and the name from it. Idempotent.
   */
  ensure(arn: string): TargetGroup {
    const existing = this.byArn(arn);
    if (existing) return existing;
    const name = /:targetgroup\/([^/]+)\//.exec(arn)?.[1] ?? arn.split('/').at(-1) ?? arn;
    return this.add({
      arn,
      name,
      protocol: 'HTTP',
      // Services that ECS load-balances in awsvpc mode (as local-aws runs them) need ip target groups.
      targetType: 'ip',
      healthCheck: { ...DEFAULT_HEALTH_CHECK },
      deregistrationDelaySeconds: DEFAULT_DEREGISTRATION_DELAY_SECONDS,
      tags: [],
      createdAt: this.now(),
    });
  }

  /** Changes health-check settings; every target starts counting again from its current state. */
  modifyHealthCheck(arn: string, changes: Partial<TargetGroup['healthCheck']>): TargetGroup {
    const entry = this.entry(arn);
    entry.group.healthCheck = { ...entry.group.healthCheck, ...changes };
    for (const registered of entry.targets.values()) {
      registered.passes = 0;
      registered.failures = 0;
      registered.nextProbeAt = this.now();
    }
    return entry.group;
  }

  attributes(arn: string): Map<string, string> {
    return this.entry(arn).otherAttributes;
  }

  /** Registered targets (draining ones included), for DescribeTargetHealth without a target list. */
  targets(arn: string): TargetId[] {
    return [...this.entry(arn).targets.values()].map((registered) => registered.target);
  }

  register(arn: string, target: TargetId): void {
    const entry = this.entry(arn);
    const key = targetKey(target);
    const existing = entry.targets.get(key);
    if (existing && existing.health.state !== 'draining') return;
    entry.targets.set(key, {
      target: { ...target },
      health: REGISTERING,
      passes: 0,
      failures: 0,
      nextProbeAt: this.now(),
      probing: false,
    });
    this.log(`target ${key} registered in ${entry.group.name}`);
  }

  deregister(arn: string, target: TargetId): void {
    const entry = this.entry(arn);
    const key = targetKey(target);
    const registered = entry.targets.get(key);
    if (!registered || registered.health.state === 'draining') return;
    const delayMs = this.deregistrationDelayMs(entry.group);
    if (delayMs === 0) {
      entry.targets.delete(key);
      return;
    }
    registered.health = DRAINING;
    registered.drainUntil = this.now() + delayMs;
    this.log(`target ${key} draining from ${entry.group.name} for ${delayMs} ms`);
  }

  health(arn: string, target: TargetId): TargetHealthView {
    const registered = this.entry(arn).targets.get(targetKey(target));
    return registered ? { ...registered.health } : { ...NOT_REGISTERED };
  }

  /** Targets that receive traffic (healthy, not draining). The front door uses this. */
  routable(arn: string): TargetId[] {
    const entry = this.groups.get(arn);
    if (!entry) return [];
    return [...entry.targets.values()]
      .filter(({ health }) => health.state === 'healthy' || health.state === 'unavailable')
      .map(({ target }) => ({ ...target }));
  }

  /** The port health checks go to for this target. */
  healthCheckPort(group: TargetGroup, target: TargetId): number {
    return group.healthCheck.port === 'traffic-port' ? target.port : group.healthCheck.port;
  }

  /**
   * Probes what is due (each target on its own interval); safe to call often; never overlaps itself:
   * a target whose probe is still out is skipped, so a hanging target delays no other.
   */
  async tick(): Promise<void> {
    const now = this.now();
    const probes: Promise<void>[] = [];
    for (const entry of this.groups.values()) {
      for (const [key, registered] of entry.targets) {
        if (registered.health.state === 'draining') {
          if (now >= (registered.drainUntil ?? 0)) {
            entry.targets.delete(key);
            this.log(`target ${key} left ${entry.group.name} (deregistration delay over)`);
          }
          continue;
        }
        if (!entry.group.healthCheck.enabled) {
          registered.health = CHECKS_DISABLED;
          continue;
        }
        if (registered.probing || now < registered.nextProbeAt) continue;
        probes.push(this.probeOne(entry, registered));
      }
    }
    await Promise.all(probes);
  }

  reset(): void {
    this.groups.clear();
  }

  private async probeOne(entry: GroupEntry, registered: RegisteredTarget): Promise<void> {
    const { group } = entry;
    const check = group.healthCheck;
    registered.probing = true;
    if (registered.health === REGISTERING) registered.health = INITIAL_CHECKS;
    const startedAt = this.now();
    const port = this.healthCheckPort(group, registered.target);
    // httpProbe itself refuses anything but 127.0.0.1/localhost.
    const url = `${check.protocol.toLowerCase()}://${registered.target.id}:${port}${check.path}`;
    let result: ProbeResult;
    try {
      result = await this.probe(url, check.timeoutSeconds * 1000);
    } catch (error) {
      result = { error: (error as Error).message };
    } finally {
      registered.probing = false;
    }
    registered.nextProbeAt = Math.max(startedAt + this.intervalMs(group), this.now());
    // Deregistered, re-registered or group deleted meanwhile: this result is about a target that is gone.
    if (this.groups.get(group.arn) !== entry) return;
    if (entry.targets.get(targetKey(registered.target)) !== registered) return;
    if (registered.health.state === 'draining') return;
    this.record(entry, registered, judgeProbe(result, check.matcher));
  }

  private record(entry: GroupEntry, registered: RegisteredTarget, verdict: TargetHealthView | 'pass'): void {
    const { healthyThreshold, unhealthyThreshold } = entry.group.healthCheck;
    const before = registered.health.state;
    if (verdict === 'pass') {
      registered.passes += 1;
      registered.failures = 0;
      if (before !== 'healthy' && registered.passes >= healthyThreshold)
        registered.health = { state: 'healthy' };
    } else {
      registered.failures += 1;
      registered.passes = 0;
      if (before === 'unhealthy') registered.health = verdict;
      else if (registered.failures >= unhealthyThreshold) registered.health = verdict;
    }
    if (registered.health.state !== before) {
      const why = registered.health.reason ? ` (${registered.health.reason})` : '';
      this.log(
        `target ${targetKey(registered.target)} in ${entry.group.name}: ${before} -> ${registered.health.state}${why}`,
      );
    }
  }

  private intervalMs(group: TargetGroup): number {
    return this.knobs.targetHealthCheckIntervalMs > 0
      ? this.knobs.targetHealthCheckIntervalMs
      : group.healthCheck.intervalSeconds * 1000;
  }

  private deregistrationDelayMs(group: TargetGroup): number {
    return this.knobs.deregistrationDelayMs > 0
      ? this.knobs.deregistrationDelayMs
      : group.deregistrationDelaySeconds * 1000;
  }

  private entry(arn: string): GroupEntry {
    const entry = this.groups.get(arn);
    if (!entry) throw new AwsError('TargetGroupNotFound', `One or more target groups not found`);
    return entry;
  }
}
