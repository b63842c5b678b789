// deploy-ecs fails fast, through the bundle and the real SDK, when AWS says no: a tiny ECS endpoint on
// 127.0.0.1 answers every call with the given error, as AWS does for a role without permissions.
import { createServer, type Server } from 'node:http';
import { dirname, join } from 'node:path';

import { runAction } from '../helpers/run-action.js';

const TASK_DEFINITION = join(import.meta.dirname, '..', 'fixtures', 'deploy-ecs', 'web.json');
const IMAGE = `registry/web@sha256:${'c'.repeat(64)}`;

let server: Server;
let endpoint: string;
let answer: { status: number; type: string; message: string };
const calls: string[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    calls.push(String(request.headers['x-amz-target']).split('.').pop() ?? '?');
    request.resume();
    request.on('end', () => {
      response.writeHead(answer.status, {
        'content-type': 'application/x-amz-json-1.1',
        'x-amzn-errortype': answer.type,
      });
      response.end(JSON.stringify({ __type: answer.type, message: answer.message }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  endpoint = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

function deploy(
  inputs: Record<string, string> = {},
  env: Record<string, string> = {},
): ReturnType<typeof runAction> {
  calls.length = 0;
  return runAction('deploy-ecs', {
    inputs: {
      'task-definition': TASK_DEFINITION,
      container: 'web',
      image: IMAGE,
      cluster: 'prod',
      services: 'web',
      ...inputs,
    },
    env: {
      AWS_REGION: 'eu-west-1',
      AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'example',
      AWS_ENDPOINT_URL_ECS: endpoint,
      ...env,
    },
    timeoutMs: 30_000,
  });
}

describe('deploy-ecs when AWS refuses', () => {
  it('fails at once on AccessDenied, naming the permission, and registers nothing', async () => {
    answer = {
      status: 400,
      type: 'AccessDeniedException',
      message: 'User: arn:aws:sts::1:assumed-role/gha/x is not authorized to perform: ecs:DescribeServices',
    };
    const run = await deploy();
    expect(run.exitCode).toBe(1);
    expect(run.errors).toEqual([
      'AWS denied ecs:DescribeServices on services web in cluster prod in eu-west-1 (AccessDeniedException): allow "ecs:DescribeServices" for the role this job runs as (see the README\'s IAM section).',
    ]);
    // No waiting, no retries: AccessDenied does not get better.
    expect(calls).toEqual(['DescribeServices']);
  });

  it('says expired credentials expired', async () => {
    answer = {
      status: 400,
      type: 'ExpiredTokenException',
      message: 'The security token included in the request is expired',
    };
    const run = await deploy();
    expect(run.exitCode).toBe(1);
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toMatch(
      /^The AWS credentials expired during ecs:DescribeServices .*role-duration-seconds/,
    );
    expect(calls).toEqual(['DescribeServices']);
  });

  it.each([
    ['UnrecognizedClientException', 'The security token included in the request is invalid.'],
    [
      'InvalidSignatureException',
      'The request signature we calculated does not match the signature you provided.',
    ],
  ])('gives credential advice on %s, not a permission to add', async (type, message) => {
    answer = { status: 400, type, message };
    const run = await deploy();
    expect(run.exitCode).toBe(1);
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toMatch(
      new RegExp(
        `^AWS refused the credentials for ecs:DescribeServices in eu-west-1 \\(${type}\\): .*configure-aws-credentials ran before this step`,
      ),
    );
    expect(run.errors[0]).not.toMatch(/allow "ecs:DescribeServices"/);
    expect(calls).toEqual(['DescribeServices']);
  });

  it('refuses a malformed aws-region and a task-definition directory before any AWS call', async () => {
    const region = await deploy({ 'aws-region': 'eu-west' });
    expect(region.exitCode).toBe(1);
    expect(region.errors).toEqual([
      'Input "aws-region" is "eu-west", which is not an AWS region code like eu-west-1 or us-gov-west-1: give the region the services run in.',
    ]);
    expect(calls).toEqual([]);
    const fromEnv = await deploy({}, { AWS_REGION: 'Ireland' });
    expect(fromEnv.errors).toEqual([
      'Input "aws-region" is empty and AWS_REGION is "Ireland", which is not an AWS region code like eu-west-1 or us-gov-west-1: give the region the services run in.',
    ]);
    expect(calls).toEqual([]);
    const directory = await deploy({ 'task-definition': dirname(TASK_DEFINITION) });
    expect(directory.exitCode).toBe(1);
    expect(directory.errors).toHaveLength(1);
    expect(directory.errors[0]).toMatch(
      /^Input "task-definition" names ".*deploy-ecs", which is a directory/,
    );
    expect(calls).toEqual([]);
    for (const run of [region, directory]) expect(run.log).not.toMatch(/at .*\.js:\d+/);
  });

  it('names a missing cluster as a configuration error', async () => {
    answer = { status: 400, type: 'ClusterNotFoundException', message: 'Cluster not found.' };
    const run = await deploy();
    expect(run.errors).toEqual([
      'Input "cluster" names a cluster that does not exist in eu-west-1 (services web in cluster prod): check the cluster name and the region.',
    ]);
  });
});
