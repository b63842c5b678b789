// The target-group health prober on an injected clock and scripted probes: exact state transitions, no timing.
import {
  DEFAULT_KNOBS,
  optionsFromEnv,
  pickKnobs,
  type LocalAwsKnobs,
} from '../../../tools/local-aws/options.js';
import {
  judgeProbe,
  TargetGroupStore,
  type ProbeResult,
  type TargetGroup,
} from '../../../tools/local-aws/target-groups.js';
import { httpProbe, matches, parseMatcher } from '../../../tools/local-aws/target-health.js';
import { queryMembers, queryStringList, toXml } from '../../../tools/local-aws/query-protocol.js';

const ARN = 'arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/web/0123456789abcdef';
const TARGET = { id: '127.0.0.1', port: 31000 };

/** A store whose clock only moves when told to, and whose probes answer from a script. */
function harness(knobs: Partial<LocalAwsKnobs> = {}) {
  let clock = 1_000_000;
  const probes: { url: string; timeoutMs: number; at: number }[] = [];
  let answer: (url: string) => ProbeResult | Promise<ProbeResult> = () => ({ status: 200 });
  const store = new TargetGroupStore({
    region: 'us-east-1',
    accountId: '000000000000',
    knobs: { ...DEFAULT_KNOBS, ...knobs },
    now: () => clock,
    probe: (url, timeoutMs) => {
      probes.push({ url, timeoutMs, at: clock });
      return Promise.resolve(answer(url));
    },
  });
  return {
    store,
    probes,
    answer: (next: typeof answer) => (answer = next),
    advance: (ms: number) => (clock += ms),
    /** Moves the clock by `ms` and runs a tick. */
    step: async (ms: number) => {
      clock += ms;
      await store.tick();
    },
  };
}

const state = (store: TargetGroupStore) => store.health(ARN, TARGET);

describe('TargetGroupStore.ensure', () => {
  it('makes a default group named after the ARN, once', () => {
    const { store } = harness();
    const group = store.ensure(ARN);
    expect(group).toMatchObject<Partial<TargetGroup>>({
      arn: ARN,
      name: 'web',
      protocol: 'HTTP',
      deregistrationDelaySeconds: 300,
      healthCheck: {
        protocol: 'HTTP',
        port: 'traffic-port',
        path: '/',
        intervalSeconds: 30,
        timeoutSeconds: 5,
        healthyThreshold: 5,
        unhealthyThreshold: 2,
        matcher: '200',
        enabled: true,
      },
    });
    expect(store.ensure(ARN)).toBe(group);
    expect(store.all()).toHaveLength(1);
  });

  it('refuses unknown groups with TargetGroupNotFound', () => {
    const { store } = harness();
    let error: unknown;
    try {
      store.register(ARN, TARGET);
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toMatchObject({
      type: 'TargetGroupNotFound',
      message: 'One or more target groups not found',
    });
    expect(store.routable(ARN)).toEqual([]);
  });
});

describe('health checks', () => {
  it('probes the traffic port and path with the group timeout, on the group interval (30 s) by default', async () => {
    const { store, probes, step } = harness();
    store.ensure(ARN);
    store.register(ARN, TARGET);
    expect(state(store)).toEqual({
      state: 'initial',
      reason: 'Elb.RegistrationInProgress',
      description: 'Target registration is in progress',
    });
    await step(0);
    expect(probes).toEqual([{ url: 'http://127.0.0.1:31000/', timeoutMs: 5000, at: 1_000_000 }]);
    expect(state(store)).toEqual({
      state: 'initial',
      reason: 'Elb.InitialHealthChecking',
      description: 'Initial health checks in progress',
    });
    await step(29_999);
    expect(probes).toHaveLength(1);
    await step(1);
    expect(probes).toHaveLength(2);
  });

  it('turns healthy after exactly healthyThreshold consecutive passes', async () => {
    const { store, step } = harness({ targetHealthCheckIntervalMs: 100 });
    store.ensure(ARN);
    store.register(ARN, TARGET);
    for (let pass = 1; pass < 5; pass += 1) {
      await step(pass === 1 ? 0 : 100);
      expect(state(store).state).toBe('initial');
    }
    await step(100);
    expect(state(store)).toEqual({ state: 'healthy' });
    expect(store.routable(ARN)).toEqual([TARGET]);
  });

  it('the interval knob replaces every group interval; timeouts stay the group own', async () => {
    const { store, probes, step } = harness({ targetHealthCheckIntervalMs: 250 });
    store.ensure(ARN);
    store.modifyHealthCheck(ARN, { timeoutSeconds: 7, port: 8081, path: '/healthz', protocol: 'HTTPS' });
    store.register(ARN, TARGET);
    await step(0);
    await step(249);
    expect(probes).toHaveLength(1);
    await step(1);
    expect(probes.map((probe) => probe.url)).toEqual([
      'https://127.0.0.1:8081/healthz',
      'https://127.0.0.1:8081/healthz',
    ]);
    expect(probes.every((probe) => probe.timeoutMs === 7000)).toBe(true);
  });

  it('initial -> unhealthy after unhealthyThreshold failures, back to healthy after healthyThreshold passes', async () => {
    const { store, answer, step } = harness({ targetHealthCheckIntervalMs: 10 });
    store.ensure(ARN);
    store.modifyHealthCheck(ARN, { healthyThreshold: 2, unhealthyThreshold: 3 });
    store.register(ARN, TARGET);
    answer(() => ({ status: 500 }));
    await step(0);
    await step(10);
    expect(state(store).state).toBe('initial');
    await step(10);
    expect(state(store)).toEqual({
      state: 'unhealthy',
      reason: 'Target.ResponseCodeMismatch',
      description: 'Health checks failed with these codes: [500]',
    });
    expect(store.routable(ARN)).toEqual([]);
    answer(() => ({ status: 200 }));
    await step(10);
    expect(state(store).state).toBe('unhealthy');
    await step(10);
    expect(state(store)).toEqual({ state: 'healthy' });
    // A pass between failures restarts the count.
    answer(() => ({ error: 'timeout' }));
    await step(10);
    await step(10);
    answer(() => ({ status: 200 }));
    await step(10);
    answer(() => ({ error: 'timeout' }));
    await step(10);
    await step(10);
    expect(state(store).state).toBe('healthy');
    await step(10);
    expect(state(store)).toEqual({
      state: 'unhealthy',
      reason: 'Target.Timeout',
      description: 'Request timed out',
    });
  });

  it('never overlaps a target with itself: a probe still out is not started again', async () => {
    const { store, probes, answer, step } = harness({ targetHealthCheckIntervalMs: 10 });
    let finish: (result: ProbeResult) => void = () => undefined;
    answer(() => new Promise<ProbeResult>((resolve) => (finish = resolve)));
    store.ensure(ARN);
    store.register(ARN, TARGET);
    const first = store.tick();
    await step(1000);
    await step(1000);
    expect(probes).toHaveLength(1);
    finish({ status: 200 });
    await first;
    answer(() => ({ status: 200 }));
    await step(0);
    expect(probes).toHaveLength(2);
  });

  it('forgets the result of a probe whose target was deregistered meanwhile', async () => {
    const { store, answer, step } = harness({ targetHealthCheckIntervalMs: 10, deregistrationDelayMs: 50 });
    let finish: (result: ProbeResult) => void = () => undefined;
    store.ensure(ARN);
    store.modifyHealthCheck(ARN, { healthyThreshold: 2 });
    store.register(ARN, TARGET);
    await step(0);
    answer(() => new Promise<ProbeResult>((resolve) => (finish = resolve)));
    const probing = step(10);
    store.deregister(ARN, TARGET);
    finish({ status: 200 });
    await probing;
    expect(state(store).state).toBe('draining');
    expect(store.routable(ARN)).toEqual([]);
  });

  it('health checks disabled: unavailable (Target.HealthCheckDisabled), still routed', async () => {
    const { store, probes, step } = harness();
    store.ensure(ARN);
    store.modifyHealthCheck(ARN, { enabled: false });
    store.register(ARN, TARGET);
    await step(0);
    expect(probes).toEqual([]);
    expect(state(store)).toMatchObject({ state: 'unavailable', reason: 'Target.HealthCheckDisabled' });
    expect(store.routable(ARN)).toEqual([TARGET]);
  });
});

describe('deregistration', () => {
  it('drains for the group delay (300 s) by default, then the target is unused', async () => {
    const { store, step } = harness();
    store.ensure(ARN);
    store.register(ARN, TARGET);
    store.deregister(ARN, TARGET);
    expect(state(store)).toEqual({
      state: 'draining',
      reason: 'Target.DeregistrationInProgress',
      description: 'Target deregistration is in progress',
    });
    await step(299_999);
    expect(state(store).state).toBe('draining');
    expect(store.targets(ARN)).toEqual([TARGET]);
    await step(1);
    expect(state(store)).toMatchObject({ state: 'unused', reason: 'Target.NotRegistered' });
    expect(store.targets(ARN)).toEqual([]);
  });

  it('the delay knob replaces the group delay; a draining target is not probed; re-registering starts over', async () => {
    const { store, probes, step } = harness({ deregistrationDelayMs: 40, targetHealthCheckIntervalMs: 10 });
    store.ensure(ARN);
    store.register(ARN, TARGET);
    store.deregister(ARN, TARGET);
    await step(39);
    expect(probes).toEqual([]);
    expect(state(store).state).toBe('draining');
    store.register(ARN, TARGET);
    expect(state(store)).toMatchObject({ state: 'initial', reason: 'Elb.RegistrationInProgress' });
    store.deregister(ARN, TARGET);
    await step(40);
    expect(state(store).state).toBe('unused');
  });
});

describe('probe verdicts and matchers', () => {
  it('classifies probe results with the reasons ELB reports', () => {
    expect(judgeProbe({ status: 204 }, '200-299')).toBe('pass');
    expect(judgeProbe({ status: 302 }, '200')).toMatchObject({
      reason: 'Target.ResponseCodeMismatch',
      description: 'Health checks failed with these codes: [302]',
    });
    expect(judgeProbe({ error: 'timeout' }, '200')).toMatchObject({ reason: 'Target.Timeout' });
    expect(judgeProbe({ error: 'refused' }, '200')).toMatchObject({ reason: 'Target.FailedHealthChecks' });
  });

  it('parses HttpCode lists and ranges within 200-499', () => {
    expect(parseMatcher('200,302')).toEqual([
      { low: 200, high: 200 },
      { low: 302, high: 302 },
    ]);
    expect(matches('200-299', 299)).toBe(true);
    expect(matches('200-299', 300)).toBe(false);
    expect(() => parseMatcher('199')).toThrow(/200-499/);
    expect(() => parseMatcher('200-500')).toThrow(/200-499/);
    expect(() => parseMatcher('2xx')).toThrow(/not a valid HttpCode/);
  });

  it('never sends a health check beyond loopback', async () => {
    await expect(httpProbe('http://10.0.0.1:80/', 5000)).resolves.toEqual({
      error: 'local-aws only probes 127.0.0.1/localhost targets, not 10.0.0.1',
    });
  });
});

describe('knobs', () => {
  it('are off by default (AWS values) and settable from the environment and POST /_local/knobs', () => {
    expect(DEFAULT_KNOBS).toMatchObject({ targetHealthCheckIntervalMs: 0, deregistrationDelayMs: 0 });
    expect(
      optionsFromEnv({
        LOCAL_AWS_TARGET_HEALTH_CHECK_INTERVAL_MS: '200',
        LOCAL_AWS_DEREGISTRATION_DELAY_MS: '500',
      }),
    ).toMatchObject({ targetHealthCheckIntervalMs: 200, deregistrationDelayMs: 500 });
    expect(pickKnobs({ targetHealthCheckIntervalMs: 100, deregistrationDelayMs: 0 })).toEqual({
      targetHealthCheckIntervalMs: 100,
      deregistrationDelayMs: 0,
    });
    expect(() => pickKnobs({ deregistrationDelayMs: -1 })).toThrow(/deregistrationDelayMs/);
  });
});

describe('Query protocol pieces', () => {
  it('reads member lists in numeric order, scalar and structured', () => {
    const params = {
      'Names.member.10': 'j',
      'Names.member.2': 'b',
      'Names.member.1': 'a',
      'Targets.member.1.Id': '127.0.0.1',
      'Targets.member.1.Port': '80',
      'Targets.member.2.Id': 'localhost',
    };
    expect(queryStringList(params, 'Names')).toEqual(['a', 'b', 'j']);
    expect(queryMembers(params, 'Targets')).toEqual([{ Id: '127.0.0.1', Port: '80' }, { Id: 'localhost' }]);
    expect(queryMembers(params, 'Tags')).toBeUndefined();
    expect(queryMembers({ Tags: '' }, 'Tags')).toEqual([]);
  });

  it('writes lists as members and escapes text', () => {
    expect(toXml('R', { A: ['x<y', 'z'], B: { C: 1, D: undefined }, E: true })).toBe(
      '<R><A><member>x&lt;y</member><member>z</member></A><B><C>1</C></B><E>true</E></R>',
    );
  });

  it('operations reject (never throw) on bad input', async () => {
    const { store } = harness();
    const describe = store.operations['DescribeTargetGroups']!;
    await expect(describe({ 'Names.member.1': 'nope' })).rejects.toMatchObject({
      type: 'TargetGroupNotFound',
    });
  });
});
