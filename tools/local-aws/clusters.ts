import type { Cluster } from './ecs-model.js';
import { clusterName, type EcsState } from './ecs-context.js';
import {
  AwsError,
  invalidParameter,
  objectList,
  optionalString,
  requiredString,
  stringList,
} from './protocol.js';
import { parseEcsTags } from './task-definitions.js';

type Operation = (input: Record<string, unknown>) => unknown;

/** CreateCluster, DescribeClusters, ListClusters, DeleteCluster. */
export function clusterOperations(state: EcsState): Record<string, Operation> {
  return {
    CreateCluster: (input) => createCluster(state, input),
    DescribeClusters: (input) => describeClusters(state, input),
    ListClusters: () => ({
      clusterArns: [...state.clusters.values()].filter((c) => c.status === 'ACTIVE').map((c) => c.arn),
    }),
    DeleteCluster: (input) => deleteCluster(state, input),
  };
}

function createCluster(state: EcsState, input: Record<string, unknown>): unknown {
  const name = optionalString(input, 'clusterName') ?? 'default';
  if (!/^[a-zA-Z0-9_-]{1,255}$/.test(name)) {
    throw invalidParameter('Cluster names may contain up to 255 letters, numbers, hyphens and underscores.');
  }
  const existing = state.clusters.get(name);
  if (existing && existing.status === 'ACTIVE') return { cluster: clusterView(state, existing) };
  const cluster: Cluster = {
    name,
    arn: state.arn('cluster', name),
    status: 'ACTIVE',
    tags: parseEcsTags(input),
    settings: objectList(input, 'settings') as { name: string; value: string }[],
  };
  state.clusters.set(name, cluster);
  return { cluster: clusterView(state, cluster) };
}

function clusterView(state: EcsState, cluster: Cluster, include: string[] = []): Record<string, unknown> {
  const tasks = [...state.tasks.values()].filter((task) => task.clusterArn === cluster.arn);
  const services = [...state.services.values()].filter(
    (service) => service.clusterArn === cluster.arn && service.status === 'ACTIVE',
  );
  return {
    clusterArn: cluster.arn,
    clusterName: cluster.name,
    status: cluster.status,
    registeredContainerInstancesCount: 0,
    runningTasksCount: tasks.filter((task) => task.lastStatus === 'RUNNING').length,
    pendingTasksCount: tasks.filter((task) =>
      ['PROVISIONING', 'PENDING', 'ACTIVATING'].includes(task.lastStatus),
    ).length,
    activeServicesCount: services.length,
    statistics: [],
    tags: include.includes('TAGS') ? cluster.tags : [],
    settings:
      cluster.settings.length > 0 ? cluster.settings : [{ name: 'containerInsights', value: 'disabled' }],
    capacityProviders: [],
    defaultCapacityProviderStrategy: [],
  };
}

function describeClusters(state: EcsState, input: Record<string, unknown>): unknown {
  const references = stringList(input, 'clusters') ?? ['default'];
  const include = stringList(input, 'include') ?? [];
  const clusters: unknown[] = [];
  const failures: unknown[] = [];
  for (const reference of references) {
    const cluster = state.clusters.get(clusterName(reference));
    if (cluster) clusters.push(clusterView(state, cluster, include));
    else
      failures.push({
        arn: reference.startsWith('arn:') ? reference : state.arn('cluster', reference),
        reason: 'MISSING',
      });
  }
  return { clusters, failures };
}

function deleteCluster(state: EcsState, input: Record<string, unknown>): unknown {
  const cluster = state.cluster(requiredString(input, 'cluster'));
  const busy = [...state.services.values()].some(
    (service) => service.clusterArn === cluster.arn && service.status !== 'INACTIVE',
  );
  if (busy)
    throw new AwsError(
      'ClusterContainsServicesException',
      'The Cluster cannot be deleted while Services are active.',
    );
  if (
    [...state.tasks.values()].some((task) => task.clusterArn === cluster.arn && task.lastStatus !== 'STOPPED')
  ) {
    throw new AwsError(
      'ClusterContainsTasksException',
      'The Cluster cannot be deleted while Tasks are active.',
    );
  }
  cluster.status = 'INACTIVE';
  return { cluster: clusterView(state, cluster) };
}
