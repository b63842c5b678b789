import { planRollout, type PlannedTask, type TaskPhase } from '../../../tools/local-aws/rollout.js';

const tasks = (prefix: string, ...phases: TaskPhase[]): PlannedTask[] =>
  phases.map((phase, index) => ({ id: `${prefix}${index}`, phase }));

describe('planRollout', () => {
  it('starts the desired count on a fresh deployment, within maximumPercent', () => {
    const base = {
      maximumPercent: 200,
      minimumHealthyPercent: 100,
      primary: [],
      primaryMayLaunch: true,
      older: [],
    };
    expect(planRollout({ ...base, desiredCount: 3 })).toEqual({ start: 3, stop: [] });
    expect(planRollout({ ...base, desiredCount: 0 })).toEqual({ start: 0, stop: [] });
  });

  it('adds new tasks before removing healthy old ones when minimumHealthyPercent is 100', () => {
    const step = planRollout({
      desiredCount: 2,
      maximumPercent: 200,
      minimumHealthyPercent: 100,
      primary: [],
      primaryMayLaunch: true,
      older: tasks('old', 'healthy', 'healthy'),
    });
    expect(step).toEqual({ start: 2, stop: [] });
  });

  it('caps tasks alive at maximumPercent: 150% of 4 leaves room for 2 new ones', () => {
    const step = planRollout({
      desiredCount: 4,
      maximumPercent: 150,
      minimumHealthyPercent: 100,
      primary: [],
      primaryMayLaunch: true,
      older: tasks('old', 'healthy', 'healthy', 'healthy', 'healthy'),
    });
    expect(step).toEqual({ start: 2, stop: [] });
  });

  it('drains old tasks only while the healthy floor holds', () => {
    const step = planRollout({
      desiredCount: 4,
      maximumPercent: 150,
      minimumHealthyPercent: 100,
      primary: tasks('new', 'healthy', 'running'),
      primaryMayLaunch: true,
      older: tasks('old', 'healthy', 'healthy', 'healthy', 'healthy'),
    });
    // 5 healthy, floor 4: one old task may go, which makes room for one more new task.
    expect(step).toEqual({ start: 1, stop: ['old0'] });
  });

  it('with minimumHealthyPercent 50 and maximumPercent 100 replaces half at a time', () => {
    const step = planRollout({
      desiredCount: 4,
      maximumPercent: 100,
      minimumHealthyPercent: 50,
      primary: [],
      primaryMayLaunch: true,
      older: tasks('old', 'healthy', 'healthy', 'healthy', 'healthy'),
    });
    expect(step).toEqual({ start: 2, stop: ['old0', 'old1'] });
  });

  it('stops old tasks that are not serving at once, and all old ones once the primary is healthy', () => {
    expect(
      planRollout({
        desiredCount: 2,
        maximumPercent: 200,
        minimumHealthyPercent: 100,
        primary: tasks('new', 'healthy', 'healthy'),
        primaryMayLaunch: true,
        older: tasks('old', 'starting', 'healthy'),
      }),
    ).toEqual({ start: 0, stop: ['old0', 'old1'] });
  });

  it('scales the primary in, least useful tasks first', () => {
    expect(
      planRollout({
        desiredCount: 1,
        maximumPercent: 200,
        minimumHealthyPercent: 100,
        primary: [
          { id: 'a', phase: 'healthy' },
          { id: 'b', phase: 'starting' },
          { id: 'c', phase: 'running' },
        ],
        primaryMayLaunch: true,
        older: [],
      }),
    ).toEqual({ start: 0, stop: ['b', 'c'] });
  });

  it('launches nothing for a FAILED primary and keeps the old tasks serving', () => {
    expect(
      planRollout({
        desiredCount: 2,
        maximumPercent: 200,
        minimumHealthyPercent: 100,
        primary: [],
        primaryMayLaunch: false,
        older: tasks('old', 'healthy', 'healthy'),
      }),
    ).toEqual({ start: 0, stop: [] });
  });
});
