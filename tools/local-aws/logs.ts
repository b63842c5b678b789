import type { LogLine } from './docker-engine.js';
import {
  AwsError,
  invalidParameter,
  optionalBoolean,
  optionalNumber,
  optionalString,
  requiredString,
  stringList,
} from './protocol.js';

/**
 * CloudWatch Logs for the awslogs log driver: a container whose logConfiguration is awslogs (group +
 * stream prefix) writes to the stream `<prefix>/<container name>/<task id>`, as on ECS. Lines come from
 * Docker: live while the container runs, kept when the task stops (its container is removed then).
 */
export interface LogStreamSource {
  group: string;
  stream: string;
  createdAt: number;
  /** Lines kept at stop, or read now from the running container. */
  read: () => Promise<LogLine[]>;
}

export class LogsService {
  private readonly streams = new Map<string, LogStreamSource>();
  private readonly region: string;
  private readonly accountId: string;

  constructor(region: string, accountId: string) {
    this.region = region;
    this.accountId = accountId;
  }

  reset(): void {
    this.streams.clear();
  }

  /** A container with awslogs started (or stopped: `read` then returns the kept lines). */
  register(source: LogStreamSource): void {
    this.streams.set(`${source.group}\u0000${source.stream}`, source);
  }

  private groups(): Map<string, LogStreamSource[]> {
    const groups = new Map<string, LogStreamSource[]>();
    for (const source of this.streams.values())
      groups.set(source.group, [...(groups.get(source.group) ?? []), source]);
    return groups;
  }

  private group(name: string): LogStreamSource[] {
    const streams = this.groups().get(name);
    if (!streams) throw new AwsError('ResourceNotFoundException', 'The specified log group does not exist.');
    return streams;
  }

  readonly operations: Record<string, (input: Record<string, unknown>) => Promise<unknown>> = {
    GetLogEvents: (input) => this.getLogEvents(input),
    FilterLogEvents: (input) => this.filterLogEvents(input),
    DescribeLogStreams: (input) => Promise.resolve(this.describeLogStreams(input)),
    DescribeLogGroups: (input) => Promise.resolve(this.describeLogGroups(input)),
  };

  private async getLogEvents(input: Record<string, unknown>): Promise<unknown> {
    const groupName = requiredString(input, 'logGroupName');
    const streamName = requiredString(input, 'logStreamName');
    const source = this.group(groupName).find((candidate) => candidate.stream === streamName);
    if (!source) throw new AwsError('ResourceNotFoundException', 'The specified log stream does not exist.');
    const limit = optionalNumber(input, 'limit') ?? 10_000;
    if (!Number.isInteger(limit) || limit < 1 || limit > 10_000)
      throw invalidParameter('limit must be between 1 and 10000.');
    const startTime = optionalNumber(input, 'startTime');
    const endTime = optionalNumber(input, 'endTime');
    const fromHead = optionalBoolean(input, 'startFromHead') ?? false;
    const lines = (await source.read()).filter(
      (line) =>
        (startTime === undefined || line.timestamp >= startTime) &&
        (endTime === undefined || line.timestamp < endTime),
    );
    // Tokens are positions: f/<index after the page>, b/<index of the page start>.
    const token = optionalString(input, 'nextToken');
    let start: number;
    let end: number;
    if (token && /^[fb]\/\d+$/.test(token)) {
      const position = Number(token.slice(2));
      if (token.startsWith('f/')) {
        start = Math.min(position, lines.length);
        end = Math.min(start + limit, lines.length);
      } else {
        end = Math.min(position, lines.length);
        start = Math.max(0, end - limit);
      }
    } else if (token) {
      throw invalidParameter('The specified nextToken is invalid.');
    } else if (fromHead) {
      start = 0;
      end = Math.min(limit, lines.length);
    } else {
      end = lines.length;
      start = Math.max(0, end - limit);
    }
    return {
      events: lines
        .slice(start, end)
        .map((line) => ({ timestamp: line.timestamp, message: line.message, ingestionTime: line.timestamp })),
      nextForwardToken: `f/${end}`,
      nextBackwardToken: `b/${start}`,
    };
  }

  private async filterLogEvents(input: Record<string, unknown>): Promise<unknown> {
    const streams = this.group(requiredString(input, 'logGroupName'));
    const names = stringList(input, 'logStreamNames');
    const prefix = optionalString(input, 'logStreamNamePrefix');
    const pattern = optionalString(input, 'filterPattern')?.replace(/^"(.*)"$/, '$1') ?? '';
    const limit = optionalNumber(input, 'limit') ?? 10_000;
    const events: {
      logStreamName: string;
      timestamp: number;
      message: string;
      ingestionTime: number;
      eventId: string;
    }[] = [];
    for (const source of streams) {
      if (names && !names.includes(source.stream)) continue;
      if (prefix && !source.stream.startsWith(prefix)) continue;
      for (const [index, line] of (await source.read()).entries()) {
        if (pattern && !line.message.includes(pattern)) continue;
        events.push({
          logStreamName: source.stream,
          timestamp: line.timestamp,
          message: line.message,
          ingestionTime: line.timestamp,
          eventId: `${source.stream}-${index}`,
        });
      }
    }
    events.sort((a, b) => a.timestamp - b.timestamp);
    return { events: events.slice(0, limit), searchedLogStreams: [] };
  }

  private describeLogStreams(input: Record<string, unknown>): unknown {
    const prefix = optionalString(input, 'logStreamNamePrefix') ?? '';
    const streams = this.group(requiredString(input, 'logGroupName'))
      .filter((source) => source.stream.startsWith(prefix))
      .sort((a, b) => a.stream.localeCompare(b.stream));
    return {
      logStreams: streams.map((source) => ({
        logStreamName: source.stream,
        creationTime: source.createdAt,
        arn: `arn:aws:logs:${this.region}:${this.accountId}:log-group:${source.group}:log-stream:${source.stream}`,
      })),
    };
  }

  private describeLogGroups(input: Record<string, unknown>): unknown {
    const prefix = optionalString(input, 'logGroupNamePrefix') ?? '';
    return {
      logGroups: [...this.groups().entries()]
        .filter(([name]) => name.startsWith(prefix))
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([name, streams]) => ({
          logGroupName: name,
          creationTime: Math.min(...streams.map((source) => source.createdAt)),
          arn: `arn:aws:logs:${this.region}:${this.accountId}:log-group:${name}:*`,
          storedBytes: 0,
        })),
    };
  }
}
