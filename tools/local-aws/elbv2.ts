import { AwsError } from './protocol.js';
import {
  queryBoolean,
  queryInteger,
  queryMembers,
  queryString,
  queryStringList,
  requiredQueryString,
  validationError,
  type QueryOperation,
  type QueryParams,
  type XmlValue,
} from './query-protocol.js';
import {
  DEFAULT_DEREGISTRATION_DELAY_SECONDS,
  DEFAULT_HEALTH_CHECK,
  DEREGISTRATION_DELAY_RANGE,
  HEALTH_CHECK_RANGES,
  parseMatcher,
  type TargetGroup,
  type TargetHealthCheck,
  type TargetId,
} from './target-health.js';
import type { TargetGroupStore } from './target-groups.js';

export const ELBV2_VERSION = '2015-12-01';
export const ELBV2_NAMESPACE = 'http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/';

const DEREGISTRATION_DELAY_KEY = 'deregistration_delay.timeout_seconds';
const PORT_RANGE = { min: 1, max: 65535 };
const PAGE_SIZE_RANGE = { min: 1, max: 400 };

const invalidConfiguration = (message: string): AwsError =>
  new AwsError('InvalidConfigurationRequest', message);
const notFound = (): AwsError => new AwsError('TargetGroupNotFound', 'One or more target groups not found');

function protocolParam(params: QueryParams, key: string): 'HTTP' | 'HTTPS' | undefined {
  const value = queryString(params, key);
  if (value === undefined) return undefined;
  if (value !== 'HTTP' && value !== 'HTTPS') {
    throw invalidConfiguration(
      `${key} '${value}' is not supported by local-aws (HTTP and HTTPS target groups only)`,
    );
  }
  return value;
}

/** The HealthCheck* and Matcher parameters present in a request (CreateTargetGroup, ModifyTargetGroup). */
function healthCheckParams(params: QueryParams): Partial<TargetHealthCheck> {
  const changes: Partial<TargetHealthCheck> = {};
  const protocol = protocolParam(params, 'HealthCheckProtocol');
  if (protocol) changes.protocol = protocol;
  const port = queryString(params, 'HealthCheckPort');
  if (port !== undefined) {
    if (port === 'traffic-port') changes.port = port;
    else {
      const number = queryInteger(params, 'HealthCheckPort', PORT_RANGE)!;
      changes.port = number;
    }
  }
  const path = queryString(params, 'HealthCheckPath');
  if (path !== undefined) {
    if (!path.startsWith('/') || path.length > 1024) {
      throw validationError(`HealthCheckPath '${path}' must start with '/' and be at most 1024 characters`);
    }
    changes.path = path;
  }
  const numbers = [
    ['HealthCheckIntervalSeconds', 'intervalSeconds'],
    ['HealthCheckTimeoutSeconds', 'timeoutSeconds'],
    ['HealthyThresholdCount', 'healthyThreshold'],
    ['UnhealthyThresholdCount', 'unhealthyThreshold'],
  ] as const;
  for (const [param, field] of numbers) {
    const value = queryInteger(params, param, HEALTH_CHECK_RANGES[param]);
    if (value !== undefined) changes[field] = value;
  }
  const matcher = queryString(params, 'Matcher.HttpCode');
  if (matcher !== undefined) {
    try {
      parseMatcher(matcher);
    } catch (error) {
      throw invalidConfiguration((error as Error).message);
    }
    changes.matcher = matcher;
  }
  if (queryString(params, 'Matcher.GrpcCode') !== undefined) {
    throw invalidConfiguration(
      'GrpcCode matchers need protocol version GRPC, which local-aws does not model',
    );
  }
  const enabled = queryBoolean(params, 'HealthCheckEnabled');
  if (enabled !== undefined) changes.enabled = enabled;
  return changes;
}

function validName(name: string): string {
  if (!/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,30}[A-Za-z0-9])?$/.test(name)) {
    throw validationError(
      `Target group name '${name}' can have a maximum of 32 characters, contain only alphanumeric characters or hyphens, and must not begin or end with a hyphen`,
    );
  }
  return name;
}

function targetsParam(params: QueryParams, group: TargetGroup): TargetId[] {
  const members = queryMembers(params, 'Targets');
  if (!members || members.length === 0) {
    throw validationError(
      "1 validation error detected: Value null at 'targets' failed to satisfy constraint: Member must not be null",
    );
  }
  return members.map((member) => {
    const id = member['Id'];
    if (!id) throw validationError('Target Id is required');
    const port = member['Port'] === undefined ? group.port : queryInteger(member, 'Port', PORT_RANGE);
    if (port === undefined) throw validationError(`A port must be given for target '${id}'`);
    return { id, port };
  });
}

export function targetGroupXml(group: TargetGroup): { [name: string]: XmlValue } {
  const check = group.healthCheck;
  return {
    TargetGroupArn: group.arn,
    TargetGroupName: group.name,
    Protocol: group.protocol,
    Port: group.port,
    VpcId: group.vpcId,
    HealthCheckProtocol: check.protocol,
    HealthCheckPort: String(check.port),
    HealthCheckEnabled: check.enabled,
    HealthCheckIntervalSeconds: check.intervalSeconds,
    HealthCheckTimeoutSeconds: check.timeoutSeconds,
    HealthyThresholdCount: check.healthyThreshold,
    UnhealthyThresholdCount: check.unhealthyThreshold,
    HealthCheckPath: check.path,
    Matcher: { HttpCode: check.matcher },
    LoadBalancerArns: [],
    TargetType: group.targetType,
    ProtocolVersion: 'HTTP1',
    IpAddressType: 'ipv4',
  };
}

/** The settings CreateTargetGroup compares to decide whether a same-named group is the same request. */
const settingsOf = (group: TargetGroup): string =>
  JSON.stringify([group.protocol, group.port, group.targetType, group.vpcId ?? '', group.healthCheck]);

function pageOf<T>(items: T[], params: QueryParams): { page: T[]; nextMarker?: string } {
  const size = queryInteger(params, 'PageSize', PAGE_SIZE_RANGE) ?? PAGE_SIZE_RANGE.max;
  const marker = queryString(params, 'Marker');
  let offset = 0;
  if (marker !== undefined) {
    offset = Number(
      Buffer.from(marker, 'base64url')
        .toString('utf8')
        .replace(/^offset:/, ''),
    );
    if (!Number.isInteger(offset) || offset < 0) throw validationError('Invalid Marker');
  }
  const next = offset + size;
  return {
    page: items.slice(offset, next),
    ...(next < items.length ? { nextMarker: Buffer.from(`offset:${next}`).toString('base64url') } : {}),
  };
}

type Result = { [name: string]: XmlValue };

/** The ELBv2 target-group operations (Query protocol, 2015-12-01) over a TargetGroupStore. */
export function elbv2Operations(store: TargetGroupStore): Record<string, QueryOperation> {
  const group = (params: QueryParams): TargetGroup => {
    const found = store.byArn(requiredQueryString(params, 'TargetGroupArn'));
    if (!found) throw notFound();
    return found;
  };
  const attributesXml = (target: TargetGroup): XmlValue => [
    { Key: DEREGISTRATION_DELAY_KEY, Value: String(target.deregistrationDelaySeconds) },
    ...[...store.attributes(target.arn)].map(([Key, Value]) => ({ Key, Value })),
  ];

  const operations: Record<string, (params: QueryParams) => Result> = {
    CreateTargetGroup: (params) => {
      const name = validName(requiredQueryString(params, 'Name'));
      const targetType = queryString(params, 'TargetType') ?? 'instance';
      if (targetType !== 'instance' && targetType !== 'ip') {
        throw invalidConfiguration(
          `TargetType '${targetType}' is not supported by local-aws (instance and ip only)`,
        );
      }
      const protocol = protocolParam(params, 'Protocol');
      const port = queryInteger(params, 'Port', PORT_RANGE);
      if (!protocol || port === undefined) {
        throw validationError(`A protocol and a port must be specified for target type '${targetType}'`);
      }
      const tags = (queryMembers(params, 'Tags') ?? []).map((tag) => {
        if (!tag['Key']) throw validationError('Tag keys must not be empty');
        return { key: tag['Key'], value: tag['Value'] ?? '' };
      });
      const healthCheck: TargetHealthCheck = {
        ...DEFAULT_HEALTH_CHECK,
        protocol,
        ...healthCheckParams(params),
      };
      const vpcId = queryString(params, 'VpcId');
      const candidate: TargetGroup = {
        arn: '',
        name,
        protocol,
        port,
        targetType,
        ...(vpcId ? { vpcId } : {}),
        healthCheck,
        deregistrationDelaySeconds: DEFAULT_DEREGISTRATION_DELAY_SECONDS,
        tags,
        createdAt: Date.now(),
      };
      const existing = store.byName(name);
      if (existing) {
        // ELB answers the existing group to a repeated identical request, and refuses different settings.
        if (settingsOf(existing) === settingsOf(candidate)) {
          return { TargetGroups: [targetGroupXml(existing)] };
        }
        throw new AwsError(
          'DuplicateTargetGroupName',
          `A target group with the same name '${name}' exists, but with different settings`,
        );
      }
      const created = store.add({ ...candidate, arn: store.newArn(name) });
      return { TargetGroups: [targetGroupXml(created)] };
    },

    DescribeTargetGroups: (params) => {
      if (queryString(params, 'LoadBalancerArn') !== undefined) {
        throw new AwsError(
          'LoadBalancerNotFound',
          'One or more load balancers not found (local-aws has none)',
        );
      }
      const arns = queryStringList(params, 'TargetGroupArns');
      const names = queryStringList(params, 'Names');
      let groups = store.all();
      if (arns && arns.length > 0) {
        groups = arns.map((arn) => store.byArn(arn) ?? (undefined as never));
        if (groups.some((found) => found === undefined)) throw notFound();
      } else if (names && names.length > 0) {
        groups = names.map((name) => store.byName(name) ?? (undefined as never));
        if (groups.some((found) => found === undefined)) throw notFound();
      }
      const { page, nextMarker } = pageOf(groups, params);
      return { TargetGroups: page.map(targetGroupXml), NextMarker: nextMarker };
    },

    DescribeTargetHealth: (params) => {
      const target = group(params);
      const asked = queryMembers(params, 'Targets');
      const targets = asked && asked.length > 0 ? targetsParam(params, target) : store.targets(target.arn);
      return {
        TargetHealthDescriptions: targets.map((one) => {
          const health = store.health(target.arn, one);
          return {
            Target: { Id: one.id, Port: one.port },
            HealthCheckPort: String(store.healthCheckPort(target, one)),
            TargetHealth: { State: health.state, Reason: health.reason, Description: health.description },
          };
        }),
      };
    },

    ModifyTargetGroup: (params) => {
      const target = group(params);
      const modified = store.modifyHealthCheck(target.arn, healthCheckParams(params));
      return { TargetGroups: [targetGroupXml(modified)] };
    },

    RegisterTargets: (params) => {
      const target = group(params);
      for (const one of targetsParam(params, target)) store.register(target.arn, one);
      return {};
    },

    DeregisterTargets: (params) => {
      const target = group(params);
      for (const one of targetsParam(params, target)) store.deregister(target.arn, one);
      return {};
    },

    DescribeTargetGroupAttributes: (params) => ({ Attributes: attributesXml(group(params)) }),

    ModifyTargetGroupAttributes: (params) => {
      const target = group(params);
      const attributes = queryMembers(params, 'Attributes') ?? [];
      if (attributes.length === 0) throw validationError('Attributes must not be empty');
      for (const attribute of attributes) {
        const key = attribute['Key'];
        const value = attribute['Value'] ?? '';
        if (!key) throw validationError('Attribute keys must not be empty');
        if (key === DEREGISTRATION_DELAY_KEY) {
          const seconds = Number(value);
          if (
            !/^\d+$/.test(value) ||
            seconds < DEREGISTRATION_DELAY_RANGE.min ||
            seconds > DEREGISTRATION_DELAY_RANGE.max
          ) {
            throw invalidConfiguration(
              `${DEREGISTRATION_DELAY_KEY} must be between ${DEREGISTRATION_DELAY_RANGE.min} and ${DEREGISTRATION_DELAY_RANGE.max}`,
            );
          }
          target.deregistrationDelaySeconds = seconds;
        } else {
          store.attributes(target.arn).set(key, value);
        }
      }
      return { Attributes: attributesXml(target) };
    },

    DeleteTargetGroup: (params) => {
      store.delete(requiredQueryString(params, 'TargetGroupArn'));
      return {};
    },
  };
  // As promises, so a refusal is a rejection for every caller (not only those that await inside a try).
  return Object.fromEntries(
    Object.entries(operations).map(([name, operation]) => [
      name,
      (params: QueryParams) => Promise.resolve().then(() => operation(params)),
    ]),
  );
}
