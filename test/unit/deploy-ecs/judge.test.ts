import type { Deployment, Service } from '@aws-sdk/client-ecs';

import {
  failedTaskThreshold,
  judgeRollout,
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
