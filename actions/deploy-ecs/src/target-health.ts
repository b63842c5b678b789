import {
  DescribeTargetHealthCommand,
  type TargetHealthDescription,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { Service } from '@aws-sdk/client-ecs';

import { classifyAwsError } from '../../../shared/aws.js';
import { errorMessage } from '../../../shared/errors.js';
import type { DeployDeps } from './context.js';

/**
 * Target health of a service's target groups, as the load balancer sees it (DescribeTargetHealth): the
 * same signal ECS counts a load-balanced task healthy by (API_DeploymentConfiguration). Shown in progress lines,
 * named in failures, and watched during the bake. Reading it is optional: without the permission the
 * deploy goes on without it.
 */
export interface TargetGroupHealth {
  arn: string;
  name: string;
  /** Targets in each state (healthy, initial, unhealthy, draining, unhealthy.draining, unused, unavailable). */
  states: Map<string, number>;
  /** Descriptions of targets that are unhealthy and not draining, e.g. "Request timed out". */
  unhealthyReasons: string[];
}

/** `arn:aws:elasticloadbalancing:...:targetgroup/tg-web/73e2d6bc24d8a067` -> `tg-web`. */
export function targetGroupName(arn: string): string {
  const match = /:targetgroup\/([^/]+)/.exec(arn);
  return match?.[1] ?? arn;
}

export function summarizeTargetHealth(
  arn: string,
  descriptions: readonly TargetHealthDescription[],
): TargetGroupHealth {
  const states = new Map<string, number>();
  const unhealthyReasons: string[] = [];
  for (const description of descriptions) {
    const state = description.TargetHealth?.State ?? 'unknown';
    states.set(state, (states.get(state) ?? 0) + 1);
    if (state === 'unhealthy') {
      const reason =
        description.TargetHealth?.Description ?? description.TargetHealth?.Reason ?? 'no reason given';
      if (!unhealthyReasons.includes(reason)) unhealthyReasons.push(reason);
    }
  }
  return { arn, name: targetGroupName(arn), states, unhealthyReasons };
}

const ORDER = ['initial', 'unhealthy', 'draining', 'unhealthy.draining', 'unused', 'unavailable'];

/**
 * `2/2 healthy in tg-web, 1 draining`: healthy out of the targets that take traffic or are about to (not
 * draining, not unused), then every other state with its count; unhealthy ones with their reason.
 */
export function targetHealthLine(health: TargetGroupHealth): string {
  const count = (state: string): number => health.states.get(state) ?? 0;
  const serving = [...health.states]
    .filter(([state]) => !state.includes('draining') && state !== 'unused')
    .reduce((total, [, n]) => total + n, 0);
  const parts = [`${count('healthy')}/${serving} healthy in ${health.name}`];
  const others = [...health.states.keys()].filter((state) => state !== 'healthy');
  const rank = (state: string): number => (ORDER.includes(state) ? ORDER.indexOf(state) : ORDER.length);
  others.sort((a, b) => rank(a) - rank(b));
  for (const state of others) {
    const reasons =
      state === 'unhealthy' && health.unhealthyReasons.length > 0
        ? ` (${health.unhealthyReasons.join('; ')})`
        : '';
    parts.push(`${count(state)} ${state}${reasons}`);
  }
  return parts.join(', ');
}

/** `targets unhealthy in tg-web: Request timed out`, or undefined when no target is unhealthy. */
export function unhealthyTargets(groups: readonly TargetGroupHealth[]): string | undefined {
  const failing = groups.filter((group) => group.unhealthyReasons.length > 0);
  if (failing.length === 0) return undefined;
  return failing
    .map((group) => `targets unhealthy in ${group.name}: ${group.unhealthyReasons.join('; ')}`)
    .join('; ');
}

/**
 * Reads target health for services, one DescribeTargetHealth per target group. AccessDenied (or refused
 * credentials) turns it off for the rest of the step with one warning naming the permission; a target
 * group it cannot read is skipped with one warning; throttling or a 5xx skips that poll only.
 */
export class TargetHealthWatch {
  private off = false;
  private readonly skipped = new Set<string>();

  private readonly deps: DeployDeps;

  constructor(deps: DeployDeps) {
    this.deps = deps;
  }

  async read(service: Service): Promise<TargetGroupHealth[]> {
    const elb = this.deps.elb;
    if (!elb || this.off) return [];
    const arns = [
      ...new Set(
        (service.loadBalancers ?? []).flatMap((lb) => (lb.targetGroupArn ? [lb.targetGroupArn] : [])),
      ),
    ].filter((arn) => !this.skipped.has(arn));
    const groups: TargetGroupHealth[] = [];
    for (const arn of arns) {
      try {
        const response = await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: arn }));
        groups.push(summarizeTargetHealth(arn, response.TargetHealthDescriptions ?? []));
      } catch (error: unknown) {
        if (this.deps.signal?.aborted) return groups;
        const kind = classifyAwsError(error);
        if (kind === 'auth') {
          this.off = true;
          this.deps.log.warning(
            `Target health is not shown: AWS denied elasticloadbalancing:DescribeTargetHealth (${errorMessage(error)}). Allow that action for the role this job runs as (see the README's IAM section) to see target health in progress lines and failures; the deploy goes on without it.`,
          );
          return [];
        }
        if (kind === 'throttle' || kind === 'server' || kind === 'network') continue;
        this.skipped.add(arn);
        this.deps.log.warning(
          `Target health of ${targetGroupName(arn)} is not shown: DescribeTargetHealth failed: ${errorMessage(error)}`,
        );
      }
    }
    return groups;
  }
}
