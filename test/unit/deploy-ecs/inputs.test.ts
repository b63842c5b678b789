import { join } from 'node:path';

import { ConfigurationError } from '../../../shared/errors.js';
import {
  checkRegion,
  parseCommand,
  parseServiceTarget,
  readInputs,
  toRequest,
} from '../../../actions/deploy-ecs/src/inputs.js';

const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures', 'deploy-ecs');

function withInputs(inputs: Record<string, string>): void {
  for (const key of Object.keys(process.env)) if (key.startsWith('INPUT_')) delete process.env[key];
  for (const [name, value] of Object.entries(inputs)) process.env[`INPUT_${name.toUpperCase()}`] = value;
}

function requestFor(inputs: Record<string, string>): ReturnType<typeof toRequest> {
  withInputs(inputs);
  return toRequest(readInputs(), FIXTURES);
}

function errorOf(inputs: Record<string, string>): string {
  try {
    requestFor(inputs);
  } catch (error: unknown) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigurationError');
}

afterAll(() => withInputs({}));

describe('deploy-ecs inputs', () => {
  it('reads a file source, container + image, services in several clusters, env and secrets', () => {
    const request = requestFor({
      'task-definition': 'web.json',
      container: 'web',
      image: 'r/web@sha256:abc',
      cluster: 'prod',
      services: 'web\nstaging/web, arn:aws:ecs:us-east-1:1:service/eu/api',
      'environment-variables': 'A=1\nB=x=y',
      secrets: 'DB=arn:aws:ssm:us-east-1:1:parameter/db',
      timeout: '2m',
    });
    expect(request.source.kind).toBe('file');
    expect(request.targets).toEqual([
      { cluster: 'prod', service: 'web' },
      { cluster: 'staging', service: 'web' },
      { cluster: 'eu', service: 'api' },
    ]);
    expect([...request.render.images]).toEqual([['web', 'r/web@sha256:abc']]);
    expect(request.render.targetContainers).toEqual(['web']);
    expect(request.render.environment.get('B')).toBe('x=y');
    expect(request.timeoutMs).toBe(120_000);
    expect(request.rollback).toBe(true);
    expect(request.waitForStability).toBe(true);
  });

  it('accepts "container" without "image" when it only targets environment variables', () => {
    const request = requestFor({
      'task-definition': 'web.json',
      container: 'web',
      'environment-variables': 'A=1',
    });
    expect(request.render.images.size).toBe(0);
    expect(request.render.targetContainers).toEqual(['web']);
  });

  it.each([
    [{}, /^Input "task-definition" is required/],
    [
      { 'task-definition': 'web.json', 'from-service': 'web' },
      /Inputs "task-definition" and "from-service" both name/,
    ],
    [
      { 'task-definition': 'missing.json' },
      /^Input "task-definition" names "missing.json", which does not exist/,
    ],
    [{ 'task-definition': 'web.json', image: 'x@sha256:1' }, /^Input "image" needs "container"/],
    [
      { 'task-definition': 'web.json', images: 'web=' },
      /^Input "images" gives container "web" an empty image: pass its image \(build-push's "image-uri" output\)/,
    ],
    [
      { 'task-definition': 'web.json', container: 'web', image: '  ' },
      /^Input "image" is empty, so container "web" would keep its old image/,
    ],
    [{ 'task-definition-arn': 'not an arn' }, /^Input "task-definition-arn" must be/],
    [
      { 'task-definition-arn': 'web:3', container: 'web', image: 'x' },
      /^Input "task-definition-arn" deploys a task definition as is, so "image" cannot change it/,
    ],
    [{ 'task-definition': 'web.json', services: 'a b' }, /^Input "services" has "a b"/],
    [
      { 'task-definition': 'web.json', services: 'web, default/web' },
      /^Input "services" lists "default\/web" twice/,
    ],
    [{ 'task-definition': 'web.json', timeout: 'soon' }, /^Input "timeout" must be a duration/],
    [
      { 'task-definition': 'web.json', 'max-concurrency': '0' },
      /^Input "max-concurrency" must be at least 1/,
    ],
    [
      { 'task-definition': 'web.json', 'migration-command': '["npm", 3]' },
      /^Input "migration-command" starts with/,
    ],
    [
      { 'task-definition': 'web.json', 'network-configuration': '{"subnets": []}' },
      /^Input "network-configuration"/,
    ],
    [{ 'task-definition': 'web.json', rollback: 'maybe' }, /^Input "rollback" must be true or false/],
    [
      { 'task-definition': '.' },
      /^Input "task-definition" names "\.", which is a directory: give the path of the task-definition JSON file in it\.$/,
    ],
    [
      { 'task-definition': 'web.json', 'aws-region': 'eu-west' },
      /^Input "aws-region" is "eu-west", which is not an AWS region code like eu-west-1/,
    ],
    [{ 'task-definition': 'web.json', 'aws-region': 'Frankfurt' }, /^Input "aws-region" is "Frankfurt"/],
    [{ 'task-definition': 'web.json', 'bake-time': 'a while' }, /^Input "bake-time" must be a duration/],
  ])('refuses %p in one sentence naming the input', (inputs, message) => {
    expect(errorOf(inputs)).toMatch(message);
  });

  it.each(['cluster', 'services', 'task-definition', 'task-definition-arn'])(
    'quotes at most 80 characters of a 100 KB %s in its error',
    (input) => {
      const huge = `x${'y'.repeat(100_000)}!`;
      const inputs =
        input === 'task-definition' ? { [input]: huge } : { 'task-definition': 'web.json', [input]: huge };
      const message = errorOf(input === 'task-definition-arn' ? { [input]: huge } : inputs);
      expect(message).toContain('(100002 characters)');
      expect(message.length).toBeLessThan(400);
    },
  );

  it('reads bake-time as a duration: 2 minutes by default, 0 turns the bake off', () => {
    expect(requestFor({ 'task-definition': 'web.json' }).bakeTimeMs).toBe(120_000);
    expect(requestFor({ 'task-definition': 'web.json', 'bake-time': '0' }).bakeTimeMs).toBe(0);
    expect(requestFor({ 'task-definition': 'web.json', 'bake-time': '5m' }).bakeTimeMs).toBe(300_000);
  });

  it.each([
    'us-east-1',
    'eu-central-2',
    'ap-southeast-5',
    'us-gov-west-1',
    'cn-northwest-1',
    'us-isob-east-1',
  ])('accepts the region code %s by its shape', (region) => {
    expect(() => checkRegion(region, 'Input "aws-region"')).not.toThrow();
  });

  it('parses commands: JSON lists as is, the rest through sh -c', () => {
    expect(parseCommand('["npm","run","migrate"]')).toEqual(['npm', 'run', 'migrate']);
    expect(parseCommand('npm run migrate && echo done')).toEqual([
      'sh',
      '-c',
      'npm run migrate && echo done',
    ]);
  });

  it('reads service targets', () => {
    expect(parseServiceTarget('web', 'default')).toEqual({ cluster: 'default', service: 'web' });
    expect(parseServiceTarget('c/web', 'default')).toEqual({ cluster: 'c', service: 'web' });
  });
});
