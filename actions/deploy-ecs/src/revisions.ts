import { DeregisterTaskDefinitionCommand, ListTaskDefinitionsCommand } from '@aws-sdk/client-ecs';

import { aws, type DeployDeps } from './context.js';

/** At most this many deregistrations a step, so a family with years of revisions cannot stall a deploy. */
export const MAX_DEREGISTER_PER_STEP = 50;

/**
 * Which ACTIVE revisions to deregister: all but the newest `keep` that no service of this step runs.
 * `revisions` is newest first, as ListTaskDefinitions with sort DESC returns them.
 */
export function revisionsToDeregister(
  revisions: readonly string[],
  keep: number,
  inUse: ReadonlySet<string>,
): string[] {
  const idle = revisions.filter((arn) => !inUse.has(arn));
  return idle.slice(keep).slice(0, MAX_DEREGISTER_PER_STEP);
}

export async function pruneRevisions(
  deps: DeployDeps,
  options: { family: string; keep: number; inUse: ReadonlySet<string> },
): Promise<string[]> {
  const revisions: string[] = [];
  let nextToken: string | undefined;
  do {
    const token = nextToken;
    const page = await aws(deps, 'ecs:ListTaskDefinitions', `family ${options.family}`, () =>
      deps.ecs.send(
        new ListTaskDefinitionsCommand({
          familyPrefix: options.family,
          status: 'ACTIVE',
          sort: 'DESC',
          ...(token ? { nextToken: token } : {}),
        }),
      ),
    );
    // familyPrefix matches "web" and "web-worker" alike: keep only this family.
    revisions.push(
      ...(page.taskDefinitionArns ?? []).filter(
        (arn) => arn.split('/').pop()?.replace(/:\d+$/, '') === options.family,
      ),
    );
    nextToken = page.nextToken;
  } while (nextToken);
  const doomed = revisionsToDeregister(revisions, options.keep, options.inUse);
  for (const arn of doomed) {
    await aws(deps, 'ecs:DeregisterTaskDefinition', `task definition ${arn}`, () =>
      deps.ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: arn })),
    );
  }
  if (doomed.length > 0) deps.log.info(`Deregistered ${doomed.length} old revision(s) of ${options.family}.`);
  return doomed;
}
