import {
  AwsError,
  clientException,
  epochSeconds,
  invalidParameter,
  objectList,
  optionalString,
  requiredString,
  stringList,
  type Tag,
} from './protocol.js';

/** A registered revision: the request as sent, plus what ECS adds (ARN, revision, status, defaults). */
export interface TaskDefinitionRecord {
  arn: string;
  family: string;
  revision: number;
  status: 'ACTIVE' | 'INACTIVE' | 'DELETE_IN_PROGRESS';
  body: Record<string, unknown>;
  registeredAt: number;
  deregisteredAt?: number;
  tags: Tag[];
}

export interface ContainerDefinition {
  name: string;
  image: string;
  essential?: boolean;
  command?: string[];
  entryPoint?: string[];
  workingDirectory?: string;
  user?: string;
  environment?: { name?: string; value?: string }[];
  secrets?: { name?: string; valueFrom?: string }[];
  portMappings?: { containerPort?: number; hostPort?: number; protocol?: string; name?: string }[];
  healthCheck?: {
    command?: string[];
    interval?: number;
    timeout?: number;
    retries?: number;
    startPeriod?: number;
  };
  stopTimeout?: number;
  logConfiguration?: { logDriver?: string; options?: Record<string, string> };
}

const FAMILY = /^[a-zA-Z0-9_-]{1,255}$/;

export function parseEcsTags(input: Record<string, unknown>): Tag[] {
  return objectList(input, 'tags').map((tag) => {
    const key = tag['key'];
    if (typeof key !== 'string' || key === '') throw invalidParameter('Tag keys must be non-empty strings.');
    return { key, value: typeof tag['value'] === 'string' ? tag['value'] : '' };
  });
}

export class TaskDefinitionStore {
  private readonly byFamily = new Map<string, TaskDefinitionRecord[]>();
  private readonly region: string;
  private readonly accountId: string;
  private readonly now: () => number;

  constructor(region: string, accountId: string, now: () => number = Date.now) {
    this.region = region;
    this.accountId = accountId;
    this.now = now;
  }

  reset(): void {
    this.byFamily.clear();
  }

  all(): TaskDefinitionRecord[] {
    return [...this.byFamily.values()].flat();
  }

  register(input: Record<string, unknown>): TaskDefinitionRecord {
    const family = requiredString(input, 'family', clientException);
    if (!FAMILY.test(family)) {
      throw clientException(
        'Family contains invalid characters: up to 255 letters (uppercase and lowercase), numbers, hyphens, and underscores are allowed.',
      );
    }
    const containers = objectList(input, 'containerDefinitions');
    if (containers.length === 0) throw clientException('Container list cannot be empty.');
    const names = new Set<string>();
    const containerDefinitions = containers.map((container) => {
      const name = requiredString(container, 'name', clientException);
      requiredString(container, 'image', clientException);
      if (names.has(name)) throw clientException(`Duplicate container name found: ${name}.`);
      names.add(name);
      return withContainerDefaults(container, optionalString(input, 'networkMode'));
    });
    if (!containerDefinitions.some((container) => container['essential'] !== false)) {
      throw clientException('A task definition must have at least one essential container.');
    }
    const revisions = this.byFamily.get(family) ?? [];
    const revision = (revisions.at(-1)?.revision ?? 0) + 1;
    const arn = `arn:aws:ecs:${this.region}:${this.accountId}:task-definition/${family}:${revision}`;
    const registeredAt = this.now();
    const requiresCompatibilities = stringList(input, 'requiresCompatibilities') ?? [];
    const { tags: _tags, ...rest } = input;
    const body: Record<string, unknown> = {
      ...rest,
      taskDefinitionArn: arn,
      family,
      revision,
      containerDefinitions,
      volumes: input['volumes'] ?? [],
      status: 'ACTIVE',
      placementConstraints: input['placementConstraints'] ?? [],
      requiresAttributes: [],
      compatibilities: requiresCompatibilities.includes('FARGATE') ? ['EC2', 'FARGATE'] : ['EXTERNAL', 'EC2'],
      registeredAt: epochSeconds(registeredAt),
      registeredBy: `arn:aws:iam::${this.accountId}:root`,
    };
    const record: TaskDefinitionRecord = {
      arn,
      family,
      revision,
      status: 'ACTIVE',
      body,
      registeredAt,
      tags: parseEcsTags(input),
    };
    revisions.push(record);
    this.byFamily.set(family, revisions);
    return record;
  }

  /** Resolves "family" (latest ACTIVE), "family:revision" or an ARN, as ECS does. */
  resolve(reference: string): TaskDefinitionRecord {
    const fromArn = /^arn:aws[a-z-]*:ecs:[^:]*:[^:]*:task-definition\/(.+)$/.exec(reference);
    const name = fromArn ? fromArn[1]! : reference;
    const [family, revisionText] = name.split(':') as [string, string | undefined];
    const revisions = this.byFamily.get(family) ?? [];
    const record =
      revisionText === undefined
        ? revisions.filter((candidate) => candidate.status === 'ACTIVE').at(-1)
        : revisions.find((candidate) => String(candidate.revision) === revisionText);
    if (!record) throw clientException('Unable to describe task definition.');
    return record;
  }

  view(record: TaskDefinitionRecord): Record<string, unknown> {
    return {
      ...record.body,
      status: record.status,
      ...(record.deregisteredAt ? { deregisteredAt: epochSeconds(record.deregisteredAt) } : {}),
    };
  }

  deregister(reference: string): TaskDefinitionRecord {
    if (!reference.includes(':')) {
      throw clientException(
        'The specified task definition identifier is invalid. Specify a valid name or ARN and try again.',
      );
    }
    const record = this.resolve(reference);
    if (record.status === 'ACTIVE') {
      record.status = 'INACTIVE';
      record.deregisteredAt = this.now();
    }
    return record;
  }

  list(input: Record<string, unknown>): string[] {
    const prefix = optionalString(input, 'familyPrefix');
    const status = optionalString(input, 'status') ?? 'ACTIVE';
    const sort = optionalString(input, 'sort') ?? 'ASC';
    const arns = this.all()
      .filter((record) => (prefix ? record.family === prefix : true))
      .filter((record) => status === 'ALL' || record.status === status)
      .sort((a, b) => a.family.localeCompare(b.family) || a.revision - b.revision)
      .map((record) => record.arn);
    return sort === 'DESC' ? arns.reverse() : arns;
  }

  families(input: Record<string, unknown>): string[] {
    const prefix = optionalString(input, 'familyPrefix') ?? '';
    const status = optionalString(input, 'status') ?? 'ACTIVE';
    return [...this.byFamily.entries()]
      .filter(([family]) => family.startsWith(prefix))
      .filter(([, revisions]) => {
        const hasActive = revisions.some((record) => record.status === 'ACTIVE');
        return status === 'ALL' || (status === 'ACTIVE' ? hasActive : !hasActive);
      })
      .map(([family]) => family)
      .sort();
  }

  byArn(arn: string): TaskDefinitionRecord | undefined {
    return this.all().find((record) => record.arn === arn);
  }
}

function withContainerDefaults(
  container: Record<string, unknown>,
  networkMode: string | undefined,
): Record<string, unknown> {
  const portMappings = objectList(container, 'portMappings').map((mapping) => ({
    ...mapping,
    ...(networkMode === 'awsvpc' || networkMode === 'host'
      ? { hostPort: mapping['hostPort'] ?? mapping['containerPort'] }
      : {}),
    protocol: mapping['protocol'] ?? 'tcp',
  }));
  return {
    cpu: 0,
    environment: [],
    mountPoints: [],
    volumesFrom: [],
    systemControls: [],
    essential: true,
    ...container,
    portMappings,
  };
}

/**
 * Docker's Healthcheck for an ECS container healthCheck, with ECS's defaults (interval 30 s, timeout 5 s,
 * retries 3, no start period; AWS-FACTS section 3) and the task definition's values as given. Only the
 * interval can be replaced, by the explicit knob `healthCheckIntervalMs` (> 0); timeout, retries and
 * start period are never shortened, so a slow but healthy container is judged as ECS would judge it.
 */
export function dockerHealthcheck(
  healthCheck: ContainerDefinition['healthCheck'],
  intervalOverrideMs: number,
): { Test: string[]; Interval: number; Timeout: number; Retries: number; StartPeriod: number } | undefined {
  const command = healthCheck?.command;
  if (!command || command.length === 0) return undefined;
  const [kind] = command;
  if (kind !== 'CMD' && kind !== 'CMD-SHELL') {
    throw invalidParameter('healthCheck.command must start with CMD or CMD-SHELL.');
  }
  const nanosecondsPerMs = 1_000_000;
  const intervalMs = intervalOverrideMs > 0 ? intervalOverrideMs : (healthCheck.interval ?? 30) * 1000;
  return {
    Test: command,
    Interval: intervalMs * nanosecondsPerMs,
    Timeout: (healthCheck.timeout ?? 5) * 1000 * nanosecondsPerMs,
    Retries: healthCheck.retries ?? 3,
    StartPeriod: (healthCheck.startPeriod ?? 0) * 1000 * nanosecondsPerMs,
  };
}

export function assertRevisionUsable(record: TaskDefinitionRecord): void {
  if (record.status !== 'ACTIVE') {
    throw new AwsError('ClientException', `TaskDefinition is inactive`);
  }
}
