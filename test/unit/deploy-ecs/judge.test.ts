import type { Deployment, Service } from '@aws-sdk/client-ecs';

import {
  failedTaskThreshold,
  judgeBake,
  judgeRollout,
  type BakeBaseline,
  type JudgeContext,
} from '../../../actions/deploy-ecs/src/judge.js';

const OLD = 'arn:aws:ecs:us-east-1:1:task-definition/web:4';
const NEW = 'arn:aws:ecs:us-east-1:1:task-definition/web:5';
const context: JudgeContext = {
  deploymentId: 'ecs-svc/new',
  taskDefinitionArn: NEW,
  previousTaskDefinitionArn: OLD,
};

function deployment(overrides: Partial<Deployment>): Deployment {
  return {
    id: 'ecs-svc/new',
    status: 'PRIMARY',
    taskDefinition: NEW,
    desiredCount: 2,
    runningCount: 0,
    pendingCount: 0,
    failedTasks: 0,
    rolloutState: 'IN_PROGRESS',
    ...overrides,
  };
}

function service(deployments: Deployment[], breaker = true): Service {
  return {
    serviceName: 'web',
    deployments,
    deploymentConfiguration: { deploymentCircuitBreaker: { enable: breaker, rollback: breaker } },
  };
}

const oldActive = (running: number): Deployment =>
  deployment({
    id: 'ecs-svc/old',
    status: 'ACTIVE',
    taskDefinition: OLD,
    runningCount: running,
    rolloutState: 'COMPLETED',
  });

describe('judgeRollout', () => {
  it('is in progress while our tasks start, and says what is pending', () => {
    const verdict = judgeRollout(
      service([deployment({ runningCount: 1, pendingCount: 1 }), oldActive(2)]),
      context,
    );
    expect(verdict).toEqual({
      state: 'in-progress',
      nearDone: false,
      pending:
        'deployment ecs-svc/new (web:5) 1/2 running, 1 pending, 0 failed, rollout IN_PROGRESS; older deployment ecs-svc/old (web:4) still runs 2 tasks',
    });
  });

  it('is near done when our tasks all run and the old ones drain', () => {
    const verdict = judgeRollout(service([deployment({ runningCount: 2 }), oldActive(1)]), context);
    expect(verdict).toMatchObject({ state: 'in-progress', nearDone: true });
  });

  it('is completed by our deployment rolloutState, not by the service looking stable', () => {
    expect(
      judgeRollout(service([deployment({ runningCount: 2, rolloutState: 'COMPLETED' })]), context),
    ).toEqual({
      state: 'completed',
    });
  });

  it('is NOT completed when the service is stable on the old version after a circuit-breaker rollback', () => {
    // What the SDK waiter reports as success: one deployment, running == desired.
    const rolledBack = service([
      deployment({ id: 'ecs-svc/rollback', taskDefinition: OLD, runningCount: 2, rolloutState: 'COMPLETED' }),
    ]);
    const verdict = judgeRollout(rolledBack, context);
    expect(verdict.state).toBe('failed');
    expect(verdict).toMatchObject({ autoRollbackDeploymentId: 'ecs-svc/rollback' });
  });

  it('fails with the circuit breaker reason and names the rollback deployment', () => {
    const verdict = judgeRollout(
      service([
        deployment({
          id: 'ecs-svc/rollback',
          taskDefinition: OLD,
          runningCount: 1,
          rolloutState: 'IN_PROGRESS',
        }),
        deployment({
          status: 'ACTIVE',
          rolloutState: 'FAILED',
          failedTasks: 3,
          rolloutStateReason: 'ECS deployment circuit breaker: tasks failed to start.',
        }),
      ]),
      context,
    );
    expect(verdict).toEqual({
      state: 'failed',
      reason:
        'the deployment circuit breaker marked deployment ecs-svc/new FAILED: ECS deployment circuit breaker: tasks failed to start.',
      autoRollbackDeploymentId: 'ecs-svc/rollback',
    });
  });

  it('fails a deployment whose tasks keep stopping when no circuit breaker will', () => {
    const verdict = judgeRollout(service([deployment({ failedTasks: 3 }), oldActive(2)], false), context);
    expect(verdict).toMatchObject({
      state: 'failed',
      reason: expect.stringMatching(/3 tasks .* failed/) as string,
    });
    // With the breaker on, ECS decides; we keep following.
    expect(judgeRollout(service([deployment({ failedTasks: 3 }), oldActive(2)], true), context).state).toBe(
      'in-progress',
    );
  });

  it('says so when another deploy replaced ours', () => {
    const verdict = judgeRollout(
      service([deployment({ id: 'ecs-svc/other', taskDefinition: `${NEW.slice(0, -1)}6` })]),
      context,
    );
    expect(verdict).toMatchObject({
      state: 'failed',
      reason: expect.stringMatching(/replaced by ecs-svc\/other \(web:6\)/) as string,
    });
  });

  it('judges deployments without rolloutState by counts', () => {
    const noState = (overrides: Partial<Deployment>): Deployment => {
      const result = deployment(overrides);
      delete result.rolloutState;
      return result;
    };
    expect(judgeRollout(service([noState({ runningCount: 2 })]), context).state).toBe('completed');
    expect(judgeRollout(service([noState({ runningCount: 2 }), oldActive(1)]), context).state).toBe(
      'in-progress',
    );
  });

  it.each([
    [1, 3],
    [6, 3],
    [9, 5],
    [1000, 200],
  ])('failed task threshold for %d desired is %d, like the circuit breaker', (desired, threshold) =>
    expect(failedTaskThreshold(desired)).toBe(threshold),
  );
});

// Snapshots as traced in issue 9: ECS (the stand-in) said COMPLETED while our deployment's own counts
// showed its failed task and nothing running.
describe('judgeRollout does not take COMPLETED on trust', () => {
  const completed = (overrides: Partial<Deployment>): Deployment =>
    deployment({ desiredCount: 1, rolloutState: 'COMPLETED', ...overrides });

  it.each([
    ['failedTasks 1, runningCount 0', { failedTasks: 1, runningCount: 0 }],
    ['failedTasks 1, runningCount 0, pendingCount 1', { failedTasks: 1, runningCount: 0, pendingCount: 1 }],
    ['failedTasks 0, runningCount 0, pendingCount 1', { runningCount: 0, pendingCount: 1 }],
    ['failedTasks 2, runningCount 1 of 2', { failedTasks: 2, desiredCount: 2, runningCount: 1 }],
  ])('COMPLETED with %s is still in progress, unconfirmed', (_name, counts) => {
    for (const breaker of [true, false]) {
      const verdict = judgeRollout(service([completed(counts)], breaker), context);
      expect(verdict).toMatchObject({
        state: 'in-progress',
        unconfirmed: expect.stringMatching(
          /^deployment ecs-svc\/new reports COMPLETED but \d\/\d running, \d pending, \d failed: not accepted until it runs (\d)\/\1 with none pending$/,
        ) as string,
      });
    }
  });

  it('fails an unconfirmed COMPLETED at the circuit breaker threshold, breaker on or not', () => {
    for (const breaker of [true, false]) {
      expect(
        judgeRollout(
          service([completed({ failedTasks: 3, runningCount: 0, pendingCount: 1 })], breaker),
          context,
        ),
      ).toEqual({
        state: 'failed',
        reason:
          'deployment ecs-svc/new reported COMPLETED, but 3 of its tasks failed or stopped (threshold 3) and it runs 0/1: not accepted',
      });
    }
  });

  it('counts stopped tasks the follower saw when ECS does not count them as failed', () => {
    const snapshot = service([completed({ failedTasks: 0, runningCount: 0, pendingCount: 1 })]);
    expect(judgeRollout(snapshot, context, { stoppedTasks: 2 }).state).toBe('in-progress');
    expect(judgeRollout(snapshot, context, { stoppedTasks: 3 })).toMatchObject({
      state: 'failed',
      reason: expect.stringMatching(/3 of its tasks failed or stopped \(threshold 3\)/) as string,
    });
  });

  it('accepts COMPLETED with agreeing counts but failed tasks on record only for a bake to confirm', () => {
    expect(judgeRollout(service([completed({ failedTasks: 1, runningCount: 1 })]), context)).toEqual({
      state: 'completed',
      afterFailedTasks: 1,
    });
    expect(judgeRollout(service([completed({ runningCount: 1 })]), context)).toEqual({ state: 'completed' });
  });
});

describe('judgeBake', () => {
  const baseline: BakeBaseline = { failedTasks: 0, desiredCount: 2, stoppedTasks: 0 };
  const done = (overrides: Partial<Deployment> = {}): Deployment =>
    deployment({ runningCount: 2, rolloutState: 'COMPLETED', ...overrides });

  it('keeps baking while our tasks all run and nothing stopped', () => {
    expect(judgeBake(service([done()]), context, baseline, { stoppedTasks: 0 })).toEqual({ state: 'baking' });
  });

  it('fails when a task of ours stopped, though ECS counts no failed task and the replacement runs', () => {
    expect(judgeBake(service([done()]), context, baseline, { stoppedTasks: 1 })).toEqual({
      state: 'failed',
      reason: '1 task of deployment ecs-svc/new stopped during the bake',
    });
    // Stops before completion are the baseline's, not the bake's.
    expect(
      judgeBake(service([done()]), context, { ...baseline, stoppedTasks: 1 }, { stoppedTasks: 1 }).state,
    ).toBe('baking');
  });

  it('fails when failedTasks grows past the baseline', () => {
    expect(
      judgeBake(
        service([done({ failedTasks: 2 })]),
        context,
        { ...baseline, failedTasks: 1 },
        { stoppedTasks: 0 },
      ),
    ).toMatchObject({ state: 'failed', reason: '1 task of deployment ecs-svc/new failed during the bake' });
  });

  it('fails when fewer run than desired, but not while a scale-out starts or after a scale-in', () => {
    expect(
      judgeBake(service([done({ runningCount: 1 })]), context, baseline, { stoppedTasks: 0 }),
    ).toMatchObject({
      state: 'failed',
      reason: 'deployment ecs-svc/new runs 1/2 tasks during the bake',
    });
    const scaledOut = done({ desiredCount: 4, runningCount: 2, pendingCount: 2 });
    expect(judgeBake(service([scaledOut]), context, baseline, { stoppedTasks: 0 }).state).toBe('baking');
    const scaledIn = done({ desiredCount: 1, runningCount: 1 });
    expect(judgeBake(service([scaledIn]), context, baseline, { stoppedTasks: 1 }).state).toBe('baking');
  });

  it('fails on an unhealthy target, naming the target group and the reason', () => {
    expect(
      judgeBake(service([done()]), context, baseline, {
        stoppedTasks: 0,
        unhealthyTargets: 'targets unhealthy in tg-web: Health checks failed with these codes: [500]',
      }),
    ).toEqual({
      state: 'failed',
      reason: 'targets unhealthy in tg-web: Health checks failed with these codes: [500] during the bake',
    });
  });

  it('ends the bake as superseded when another deploy replaced ours, and follows a rollback to the old revision', () => {
    const theirs = deployment({ id: 'ecs-svc/theirs', taskDefinition: `${NEW.slice(0, -1)}6` });
    expect(
      judgeBake(service([theirs, done({ status: 'ACTIVE' })]), context, baseline, { stoppedTasks: 0 }),
    ).toMatchObject({ state: 'failed', supersededBy: 'ecs-svc/theirs' });
    const back = deployment({ id: 'ecs-svc/back', taskDefinition: OLD });
    expect(
      judgeBake(service([back, done({ status: 'ACTIVE' })]), context, baseline, { stoppedTasks: 0 }),
    ).toMatchObject({ state: 'failed', autoRollbackDeploymentId: 'ecs-svc/back' });
  });
});
