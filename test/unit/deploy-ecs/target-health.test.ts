import type { TargetHealthDescription } from '@aws-sdk/client-elastic-load-balancing-v2';

import {
  summarizeTargetHealth,
  targetGroupName,
  targetHealthLine,
  unhealthyTargets,
} from '../../../actions/deploy-ecs/src/target-health.js';

const TG = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/tg-web/73e2d6bc24d8a067';

const target = (state: string, description?: string): TargetHealthDescription => ({
  Target: { Id: '10.0.0.1', Port: 3000 },
  TargetHealth: { State: state as 'healthy', ...(description ? { Description: description } : {}) },
});

describe('target health', () => {
  it('names a target group by the name in its ARN', () => {
    expect(targetGroupName(TG)).toBe('tg-web');
    expect(targetGroupName('not-an-arn')).toBe('not-an-arn');
  });

  it('counts healthy out of the targets not draining, then the other states', () => {
    const health = summarizeTargetHealth(TG, [target('healthy'), target('healthy'), target('draining')]);
    expect(targetHealthLine(health)).toBe('2/2 healthy in tg-web, 1 draining');
  });

  it('lists unhealthy targets with their reason, once per distinct reason', () => {
    const health = summarizeTargetHealth(TG, [
      target('draining'),
      target('unhealthy', 'Request timed out'),
      target('unhealthy', 'Request timed out'),
      target('initial', 'Initial health checks in progress'),
      target('healthy'),
    ]);
    expect(targetHealthLine(health)).toBe(
      '1/4 healthy in tg-web, 1 initial, 2 unhealthy (Request timed out), 1 draining',
    );
    expect(unhealthyTargets([health])).toBe('targets unhealthy in tg-web: Request timed out');
    expect(unhealthyTargets([summarizeTargetHealth(TG, [target('healthy')])])).toBeUndefined();
  });

  it('does not call a draining target that fails its checks a failure of ours', () => {
    const health = summarizeTargetHealth(TG, [target('healthy'), target('unhealthy.draining', 'x')]);
    expect(unhealthyTargets([health])).toBeUndefined();
    expect(targetHealthLine(health)).toBe('1/1 healthy in tg-web, 1 unhealthy.draining');
  });
});
