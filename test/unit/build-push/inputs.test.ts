import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { jest } from '@jest/globals';

import { readInputs } from '../../../actions/build-push/src/inputs.js';
import { ConfigurationError } from '../../../shared/errors.js';

const workspace = mkdtempSync(join(tmpdir(), 'build-push-inputs-'));
mkdirSync(join(workspace, 'app'));
writeFileSync(join(workspace, 'app', 'Dockerfile'), 'FROM scratch\n');
writeFileSync(join(workspace, 'Dockerfile.prod'), 'FROM scratch\n');
writeFileSync(join(workspace, 'netrc'), 'machine x\n');
afterAll(() => rmSync(workspace, { recursive: true, force: true }));

const masked: string[] = [];
function read(inputs: Record<string, string>): ReturnType<typeof readInputs> {
  for (const key of Object.keys(process.env)) if (key.startsWith('INPUT_')) delete process.env[key];
  for (const [name, value] of Object.entries({ repository: 'shop', ...inputs })) {
    process.env[`INPUT_${name.toUpperCase()}`] = value;
  }
  return readInputs((value) => masked.push(value), workspace);
}

function refusal(inputs: Record<string, string>): string {
  try {
    read(inputs);
  } catch (error: unknown) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigurationError');
}

describe('readInputs', () => {
  const written: string[] = [];
  beforeAll(() => {
    // core.setSecret writes ::add-mask:: commands to stdout; keep them to check what was masked.
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
  });
  afterAll(() => jest.restoreAllMocks());

  it('has defaults for everything but repository', () => {
    writeFileSync(join(workspace, 'Dockerfile'), 'FROM scratch\n');
    const inputs = read({});
    expect(inputs).toMatchObject({
      registry: 'ecr',
      repository: 'shop',
      context: workspace,
      file: join(workspace, 'Dockerfile'),
      push: true,
      'skip-existing': false,
      'create-repository': false,
      'image-tag-mutability': 'IMMUTABLE',
      'scan-on-push': true,
      network: 'default',
      'tag-sha': 'both',
      'tag-branch': 'auto',
      'tag-pr': 'auto',
      'tag-semver': 'auto',
      'tag-latest': 'false',
      builder: 'auto',
      'push-attempts': 4,
      logout: true,
      'single-manifest': false,
      platforms: [],
      tags: [],
    });
  });

  it('reads a full set of inputs', () => {
    const inputs = read({
      registry: '127.0.0.1:5000',
      repository: 'team/shop',
      'registry-username': 'ci',
      'registry-password': 'hunter2',
      context: 'app',
      file: 'Dockerfile.prod',
      target: 'runtime',
      'build-args': 'A=1\nB=x=y',
      secrets: 'npm=tok-123',
      'secret-envs': 'gh=GITHUB_TOKEN',
      'secret-files': 'netrc=netrc',
      platforms: 'linux/amd64',
      network: 'host',
      'cache-from': 'type=gha\n127.0.0.1:5000/team/shop:cache',
      'cache-to': 'type=inline\ntype=registry,ref=127.0.0.1:5000/team/shop:cache,mode=max # commas stay',
      provenance: 'mode=max',
      sbom: 'false',
      tags: 'stable, blue',
      labels: 'org.opencontainers.image.vendor=Acme',
      'tag-latest': 'default-branch',
      'tag-branch': 'yes',
      'tag-pr': 'off',
      'push-attempts': '2',
      'aws-region': 'eu-west-1',
    });
    expect(inputs).toMatchObject({
      registry: '127.0.0.1:5000',
      'registry-username': 'ci',
      'registry-password': 'hunter2',
      context: join(workspace, 'app'),
      file: join(workspace, 'Dockerfile.prod'),
      target: 'runtime',
      platforms: ['linux/amd64'],
      network: 'host',
      'cache-from': ['type=gha', '127.0.0.1:5000/team/shop:cache'],
      'cache-to': ['type=inline', 'type=registry,ref=127.0.0.1:5000/team/shop:cache,mode=max'],
      provenance: 'mode=max',
      sbom: 'false',
      tags: ['stable', 'blue'],
      'tag-latest': 'default-branch',
      'tag-branch': 'true',
      'tag-pr': 'false',
      'push-attempts': 2,
      'aws-region': 'eu-west-1',
    });
    expect([...inputs['build-args']]).toEqual([
      ['A', '1'],
      ['B', 'x=y'],
    ]);
    expect(inputs.secrets).toEqual([
      { id: 'npm', value: 'tok-123' },
      { id: 'gh', env: 'GITHUB_TOKEN' },
      { id: 'netrc', file: join(workspace, 'netrc') },
    ]);
    expect(masked).toContain('tok-123');
    expect(written.join('')).toContain('::add-mask::hunter2');
  });

  it.each<[string, Record<string, string>, RegExp]>([
    ['repository missing', { repository: '' }, /Input "repository" is required/],
    ['repository with upper case', { repository: 'Shop' }, /Input "repository" must be a lowercase/],
    ['repository with a host', { repository: 'ghcr.io/acme/shop' }, /put the host in "registry"/],
    ['registry not a host', { registry: 'not a host' }, /Input "registry" must be "ecr" or a registry host/],
    [
      'credentials with ecr',
      { 'registry-username': 'u', 'registry-password': 'p' },
      /not used with registry: ecr/,
    ],
    ['username without password', { registry: 'ghcr.io', 'registry-username': 'u' }, /must be set together/],
    ['missing context', { context: 'nope' }, /Input "context": the folder "nope" does not exist/],
    [
      'missing Dockerfile',
      { context: '.', file: 'docker/Dockerfile' },
      /Input "file": no Dockerfile at "docker\/Dockerfile"/,
    ],
    ['bad aws-region', { 'aws-region': 'Frankfurt' }, /Input "aws-region" must be a region like us-east-1/],
    ['bad target', { target: 'build stage' }, /Input "target" must be a build stage name/],
    ['bad platform', { platforms: 'amd64' }, /Input "platforms" has "amd64"/],
    ['bad network', { network: 'bridge' }, /Input "network" must be one of default, host, none/],
    [
      'bad cache-from type',
      { 'cache-from': 'type=s4,ref=x' },
      /Input "cache-from" entry "type=s4,ref=x" needs type=/,
    ],
    ['registry cache without ref', { 'cache-to': 'type=registry,mode=max' }, /needs ref=/],
    [
      'bare cache-to',
      { 'cache-to': 'repo:cache' },
      /Input "cache-to" entry "repo:cache" needs the buildx form/,
    ],
    ['bad provenance', { provenance: 'maybe' }, /Input "provenance" must be true, false/],
    ['bad sbom', { sbom: 'yes please' }, /Input "sbom" must be true, false/],
    [
      'single manifest with provenance',
      { 'single-manifest': 'true', provenance: 'true' },
      /Input "single-manifest" cannot be true together/,
    ],
    [
      'single manifest with two platforms',
      { 'single-manifest': 'true', platforms: 'linux/amd64,linux/arm64' },
      /Input "single-manifest" needs exactly one/,
    ],
    ['bad raw tag', { tags: 'ok, -bad' }, /Input "tags" has "-bad"/],
    [
      'skip-existing without push',
      { push: 'false', 'skip-existing': 'true' },
      /Input "skip-existing" only applies/,
    ],
    ['bad boolean', { push: 'maybe' }, /Input "push" must be true or false/],
    ['bad tag-sha', { 'tag-sha': 'medium' }, /Input "tag-sha" must be one of/],
    ['bad tag-latest', { 'tag-latest': 'always' }, /Input "tag-latest" must be one of/],
    ['bad tag-branch', { 'tag-branch': 'x' }, /Input "tag-branch" must be auto, true or false/],
    ['bad tag-pr', { 'tag-pr': 'x' }, /Input "tag-pr" must be auto, true or false/],
    ['bad tag-semver', { 'tag-semver': 'x' }, /Input "tag-semver" must be auto, true or false/],
    ['bad mutability', { 'image-tag-mutability': 'LOCKED' }, /Input "image-tag-mutability" must be one of/],
    ['bad scan-on-push', { 'scan-on-push': 'x' }, /Input "scan-on-push" must be true or false/],
    [
      'bad create-repository',
      { 'create-repository': 'x' },
      /Input "create-repository" must be true or false/,
    ],
    ['bad builder', { builder: 'kaniko' }, /Input "builder" must be one of auto, buildx, docker/],
    ['too many push attempts', { 'push-attempts': '50' }, /Input "push-attempts" must be at most 10/],
    ['bad logout', { logout: 'x' }, /Input "logout" must be true or false/],
    ['bad pull', { pull: 'x' }, /Input "pull" must be true or false/],
    ['bad no-cache', { 'no-cache': 'x' }, /Input "no-cache" must be true or false/],
    ['build-args without =', { 'build-args': 'JUSTKEY' }, /Input "build-args" must hold KEY=VALUE lines/],
    ['labels without =', { labels: 'oops' }, /Input "labels" must hold KEY=VALUE lines/],
    [
      'secret id with spaces',
      { secrets: 'my token=x' },
      /Input "secrets" has an invalid secret id "my token"/,
    ],
    [
      'repeated secret id',
      { secrets: 'a=1', 'secret-envs': 'a=HOME' },
      /Input "secret-envs" repeats the secret id "a"/,
    ],
    [
      'missing secret file',
      { 'secret-files': 'k=missing.txt' },
      /Input "secret-files": the file for secret "k" does not exist/,
    ],
  ])('refuses %s', (_name, inputs, message) => {
    expect(refusal(inputs)).toMatch(message);
  });

  it('accepts a remote context without checking the workspace', () => {
    const inputs = read({ context: 'https://github.com/acme/shop.git#main' });
    expect(inputs.context).toBe('https://github.com/acme/shop.git#main');
    expect(inputs.file).toBeUndefined();
  });
});
