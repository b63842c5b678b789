import { FaultInjector, parseApiFaults, NO_FAULTS } from '../../../tools/local-aws/faults.js';
import { optionsFromEnv, pickKnobs } from '../../../tools/local-aws/options.js';
import {
  AwsError,
  checkSignature,
  paginate,
  parseJsonObject,
  parseTarget,
} from '../../../tools/local-aws/protocol.js';
import { dockerHealthcheck } from '../../../tools/local-aws/task-definitions.js';
import { demultiplex, parseLogLines, splitImage } from '../../../tools/local-aws/docker-engine.js';

const SIGNED =
  'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261123/us-east-1/ecs/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=' +
  'a'.repeat(64);

describe('protocol', () => {
  it('routes X-Amz-Target to ECS or ECR', () => {
    expect(parseTarget('AmazonEC2ContainerServiceV20141113.DescribeServices')).toEqual({
      service: 'ecs',
      operation: 'DescribeServices',
    });
    expect(parseTarget('AmazonEC2ContainerRegistry_V20150921.PutImage')).toEqual({
      service: 'ecr',
      operation: 'PutImage',
    });
    expect(parseTarget('DynamoDB_20120810.GetItem')).toBeUndefined();
    expect(parseTarget(undefined)).toBeUndefined();
  });

  it('refuses a missing or incomplete SigV4 header the way AWS does', () => {
    expect(() => checkSignature(SIGNED, '20261123T000000Z')).not.toThrow();
    const refusal = (authorization: string | undefined, date?: string): AwsError => {
      try {
        checkSignature(authorization, date);
      } catch (error) {
        return error as AwsError;
      }
      throw new Error('not refused');
    };
    expect(refusal(undefined)).toMatchObject({ type: 'MissingAuthenticationTokenException', status: 400 });
    expect(refusal('Bearer abc', '20261123T000000Z')).toMatchObject({
      type: 'IncompleteSignatureException',
      status: 400,
    });
    expect(refusal(SIGNED.replace(/Signature=.*/, 'Signature=short'), 'x').type).toBe(
      'IncompleteSignatureException',
    );
    expect(refusal(SIGNED, undefined).message).toMatch(/X-Amz-Date/);
  });

  it('reads JSON objects and answers SerializationException for anything else', () => {
    expect(parseJsonObject('')).toEqual({});
    expect(parseJsonObject('{"a":1}')).toEqual({ a: 1 });
    expect(() => parseJsonObject('[1]')).toThrow(AwsError);
    expect(() => parseJsonObject('{')).toThrow('Start of structure or map found where not expected.');
  });
});

describe('fault injection', () => {
  it('throttles every Nth matching call and counts every call', () => {
    const injector = new FaultInjector(() => 0.99);
    injector.set(parseApiFaults({ throttleEveryNth: 3, operations: ['DescribeServices'] }, NO_FAULTS));
    const answers = [
      'DescribeServices',
      'ListTasks',
      'DescribeServices',
      'DescribeServices',
      'DescribeServices',
    ].map((operation) => injector.onCall(operation).error?.type);
    expect(answers).toEqual([undefined, undefined, undefined, 'ThrottlingException', undefined]);
    expect(injector.callCounts()).toEqual({ total: 5, byOperation: { DescribeServices: 4, ListTasks: 1 } });
  });

  it('fails the next N calls with a 500, then a share of calls by errorRate, and adds latency', () => {
    const rolls = [0.1, 0.9];
    const injector = new FaultInjector(() => rolls.shift() ?? 1);
    injector.set(parseApiFaults({ failNextCalls: 1, errorRate: 0.5, latencyMs: 20 }, NO_FAULTS));
    const first = injector.onCall('X');
    expect(first).toMatchObject({ latencyMs: 20, error: { type: 'ServerException', status: 500 } });
    expect(injector.onCall('X').error?.status).toBe(500);
    expect(injector.onCall('X').error).toBeUndefined();
    injector.clear();
    expect(injector.onCall('X')).toEqual({ latencyMs: 0 });
  });

  it('rejects malformed fault settings', () => {
    expect(() => parseApiFaults({ errorRate: 2 }, NO_FAULTS)).toThrow(/errorRate/);
    expect(() => parseApiFaults({ operations: 'ListTasks' }, NO_FAULTS)).toThrow(/operations/);
  });
});

describe('options', () => {
  it('reads LOCAL_AWS_* variables', () => {
    expect(
      optionsFromEnv({
        LOCAL_AWS_PORT: '4599',
        LOCAL_AWS_REGISTRY: '127.0.0.1:5001',
        LOCAL_AWS_REGISTRY_PASSWORD: 'pw',
        LOCAL_AWS_TASK_START_DELAY_MS: '0',
        LOCAL_AWS_CIRCUIT_BREAKER_THRESHOLD: '2',
        LOCAL_AWS_FRONT_DOOR_PORT: '19000',
        LOCAL_AWS_SECRETS: '{"arn:aws:secretsmanager:us-east-1:000000000000:secret:db":"s3cret"}',
      }),
    ).toEqual({
      port: 4599,
      registry: '127.0.0.1:5001',
      registryPassword: 'pw',
      taskStartDelayMs: 0,
      circuitBreakerThreshold: 2,
      firstFrontDoorPort: 19000,
      secrets: { 'arn:aws:secretsmanager:us-east-1:000000000000:secret:db': 's3cret' },
    });
    expect(() => optionsFromEnv({ LOCAL_AWS_PORT: 'abc' })).toThrow(
      'LOCAL_AWS_PORT must be a whole number >= 0, got "abc".',
    );
    expect(() => optionsFromEnv({ LOCAL_AWS_SECRETS: '[1]' })).toThrow(/LOCAL_AWS_SECRETS/);
    expect(pickKnobs({ healthyAfterMs: 5, other: 1 })).toEqual({ healthyAfterMs: 5 });
    expect(() => pickKnobs({ healthyAfterMs: -1 })).toThrow(/healthyAfterMs/);
  });
});

describe('containers', () => {
  it('translates an ECS healthCheck to Docker as given, the interval knob replacing only the interval', () => {
    const healthCheck = {
      command: ['CMD', 'node', 'healthcheck.js'],
      interval: 30,
      timeout: 7,
      retries: 4,
      startPeriod: 60,
    };
    expect(dockerHealthcheck(healthCheck, 500)).toEqual({
      Test: ['CMD', 'node', 'healthcheck.js'],
      Interval: 500_000_000,
      Timeout: 7_000_000_000,
      Retries: 4,
      StartPeriod: 60_000_000_000,
    });
    // 0 = the task definition's own interval; unset fields take ECS's defaults (30 s, 5 s, 3, none).
    expect(dockerHealthcheck(healthCheck, 0)!.Interval).toBe(30_000_000_000);
    expect(dockerHealthcheck({ command: ['CMD-SHELL', 'true'] }, 0)).toEqual({
      Test: ['CMD-SHELL', 'true'],
      Interval: 30_000_000_000,
      Timeout: 5_000_000_000,
      Retries: 3,
      StartPeriod: 0,
    });
    expect(dockerHealthcheck(undefined, 500)).toBeUndefined();
    expect(() => dockerHealthcheck({ command: ['curl', 'x'] }, 500)).toThrow(/CMD or CMD-SHELL/);
  });

  it('splits image references', () => {
    expect(splitImage('127.0.0.1:5000/app:1.2')).toEqual({ name: '127.0.0.1:5000/app', reference: '1.2' });
    expect(splitImage('127.0.0.1:5000/app')).toEqual({ name: '127.0.0.1:5000/app', reference: 'latest' });
    expect(splitImage('127.0.0.1:5000/app@sha256:abc')).toEqual({
      name: '127.0.0.1:5000/app',
      reference: 'sha256:abc',
    });
  });
});

describe('container logs and pages', () => {
  it('demultiplexes Docker log frames and reads their timestamps', () => {
    const frame = (stream: number, text: string): Buffer => {
      const payload = Buffer.from(text);
      const header = Buffer.alloc(8);
      header[0] = stream;
      header.writeUInt32BE(payload.length, 4);
      return Buffer.concat([header, payload]);
    };
    const body = Buffer.concat([
      frame(1, '2026-11-23T11:54:54.089864355Z listening on 8080\n'),
      frame(2, '2026-11-23T11:54:55.000000000Z warning: no secret\n'),
    ]);
    expect(parseLogLines(demultiplex(body))).toEqual([
      { timestamp: Date.parse('2026-11-23T11:54:54.089Z'), message: 'listening on 8080' },
      { timestamp: Date.parse('2026-11-23T11:54:55.000Z'), message: 'warning: no secret' },
    ]);
    // A TTY container's stream is not framed.
    expect(demultiplex(Buffer.from('2026-11-23T11:54:54Z plain\n'))).toBe('2026-11-23T11:54:54Z plain\n');
  });

  it('pages with maxResults and an opaque nextToken, and refuses a forged one', () => {
    const items = ['a', 'b', 'c'];
    const first = paginate(items, { maxResults: 2 });
    expect(first.page).toEqual(['a', 'b']);
    expect(paginate(items, { maxResults: 2, nextToken: first.nextToken })).toEqual({ page: ['c'] });
    expect(paginate(items, {})).toEqual({ page: items });
    expect(() => paginate(items, { nextToken: 'bm9wZQ' })).toThrow('Invalid nextToken.');
    expect(() => paginate(items, { maxResults: 0 })).toThrow(/maxResults/);
  });

  it('turns the registry proxy on from LOCAL_AWS_REGISTRY_PROXY', () => {
    expect(optionsFromEnv({ LOCAL_AWS_REGISTRY_PROXY: '1' })).toEqual({ registryProxy: true });
    expect(optionsFromEnv({ LOCAL_AWS_REGISTRY_PROXY: '0' })).toEqual({ registryProxy: false });
  });
});
