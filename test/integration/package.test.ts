// The trees `npm run package` writes, each run from its own folder outside this repository the way the runner
// runs an action (node <tree>/dist/index.js, the workspace as cwd), chained as a user's job would chain
// them: security-scan, build-push to the stack's registry, deploy-ecs on a private stand-in, wait-healthy.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { CreateClusterCommand, ECSClient } from '@aws-sdk/client-ecs';

import { listActions, packageProblems } from '../../scripts/package-lib.js';
import type { LocalAws } from '../../tools/local-aws/index.js';
import { createService, frontDoorBody, localAdmin } from '../fixtures/deploy-ecs/helpers.js';
import { FAST_ROLLOUTS, startTestLocalAws } from '../helpers/local-aws.js';
import { REPO_ROOT, runAction, type ActionRun } from '../helpers/run-action.js';
import { requireStack, type LocalStack } from '../helpers/stack.js';

const RUN_ID = `${Date.now().toString(36)}${process.pid.toString(36)}`;
const SHA = createHash('sha1').update(`package-${RUN_ID}`).digest('hex');
const REPOSITORY = `it/package-${RUN_ID}`;
const CLUSTER = 'pkg';
const SERVICE = 'pkg-web';

let stack: LocalStack;
let local: LocalAws;
let ecs: ECSClient;
let tempRoot: string;
let packages: string;
let workspace: string;
let dockerConfig: string;

beforeAll(async () => {
  stack = requireStack();
  tempRoot = mkdtempSync(join(tmpdir(), 'shipkit-package-it-'));
  packages = join(tempRoot, 'packages');
  dockerConfig = join(tempRoot, 'docker-config');
  mkdirSync(dockerConfig);
  const packaged = spawnSync(
    process.execPath,
    [
      '--import',
      join(REPO_ROOT, 'scripts', 'ts-register.mjs'),
      join(REPO_ROOT, 'scripts', 'package.ts'),
      '--out',
      packages,
    ],
    { cwd: REPO_ROOT, encoding: 'utf8' },
  );
  if (packaged.status !== 0) throw new Error(`npm run package failed: ${packaged.stdout}${packaged.stderr}`);

  // A user's repository: the test app, its Dockerfile and task definition, committed.
  workspace = join(tempRoot, 'workspace');
  cpSync(join(REPO_ROOT, 'test', 'fixtures', 'deploy-ecs', 'app'), join(workspace, 'app'), {
    recursive: true,
  });
  writeFileSync(
    join(workspace, 'task-definition.json'),
    JSON.stringify({
      family: 'pkg-app',
      networkMode: 'awsvpc',
      requiresCompatibilities: ['FARGATE'],
      cpu: '256',
      memory: '512',
      containerDefinitions: [
        { name: 'app', image: 'placeholder', essential: true, portMappings: [{ containerPort: 3000 }] },
      ],
    }),
  );
  const git = (...args: string[]): void => {
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t.invalid', ...args], {
      cwd: workspace,
      stdio: 'ignore',
    });
  };
  git('init', '-q');
  git('add', '.');
  git('commit', '-q', '-m', 'app');

  local = await startTestLocalAws(stack, FAST_ROLLOUTS);
  ecs = new ECSClient({
    region: 'us-east-1',
    endpoint: local.url,
    credentials: {
      accessKeyId: stack.env['AWS_ACCESS_KEY_ID']!,
      secretAccessKey: stack.env['AWS_SECRET_ACCESS_KEY']!,
    },
  });
  await ecs.send(new CreateClusterCommand({ clusterName: CLUSTER }));
}, 180_000);

afterAll(async () => {
  ecs?.destroy();
  await local?.close();
  if (stack) {
    const docker = join(stack.dockerBinDir, 'docker');
    const title = REPOSITORY.split('/').pop()!;
    const ids = execFileSync(
      docker,
      ['images', '-q', '--filter', `label=org.opencontainers.image.title=${title}`],
      {
        encoding: 'utf8',
      },
    )
      .split('\n')
      .filter(Boolean);
    if (ids.length) execFileSync(docker, ['image', 'rm', '-f', ...new Set(ids)], { stdio: 'ignore' });
  }
  if (tempRoot) rmSync(tempRoot, { recursive: true, force: true });
});

/** Runs the packaged tree of `action` (not actions/<action>) with the workspace as cwd. */
function runPackaged(
  action: string,
  inputs: Record<string, string>,
  env: Record<string, string> = {},
): Promise<ActionRun> {
  return runAction(action, {
    actionDir: join(packages, action),
    cwd: workspace,
    inputs,
    env: { ...stack.env, GITHUB_SHA: SHA, ...env },
    timeoutMs: 120_000,
  });
}

function filesOf(dir: string, prefix = ''): string[] {
  return readdirSync(join(dir, prefix), { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesOf(dir, join(prefix, entry.name)) : [join(prefix, entry.name)],
  );
}

describe('npm run package', () => {
  it('writes one listable tree per action: root action.yml, dist, README, LICENSE, no workflows', () => {
    expect(readdirSync(packages).sort()).toEqual(listActions(REPO_ROOT));
    for (const action of listActions(REPO_ROOT)) {
      const tree = join(packages, action);
      expect({ action, problems: packageProblems(tree) }).toEqual({ action, problems: [] });
      const files = filesOf(tree);
      expect(files).toEqual(
        expect.arrayContaining(['action.yml', 'README.md', 'LICENSE', join('dist', 'index.js')]),
      );
      expect(
        files.filter(
          (file) =>
            !file.startsWith('dist/') &&
            !['action.yml', 'README.md', 'LICENSE', 'SECURITY.md'].includes(file),
        ),
      ).toEqual([]);
      // The committed bundle, byte for byte (npm run package never rebuilds it).
      expect(
        readFileSync(join(tree, 'dist', 'index.js')).equals(
          readFileSync(join(REPO_ROOT, 'actions', action, 'dist', 'index.js')),
        ),
      ).toBe(true);
      expect(readFileSync(join(tree, 'README.md'), 'utf8')).toContain(`uses: shipkit/${action}@`);
    }
  });

  it('security-scan from its tree scans the workspace and writes SARIF', async () => {
    const sarif = join(tempRoot, 'scan.sarif');
    const run = await runPackaged('security-scan', {
      scanners: 'secrets, dockerfile',
      'fail-on': 'none',
      'sarif-file': sarif,
    });
    expect(run.errors).toEqual([]);
    expect(run.exitCode).toBe(0);
    expect(run.outputs['failed']).toBe('false');
    expect(Number(run.outputs['total'])).toBeGreaterThanOrEqual(0);
    expect((JSON.parse(readFileSync(sarif, 'utf8')) as { version: string }).version).toBe('2.1.0');
  });

  it('build-push, deploy-ecs and wait-healthy from their trees ship the app to a service on the stand-in', async () => {
    const built = await runPackaged(
      'build-push',
      {
        registry: stack.registry,
        repository: REPOSITORY,
        'registry-username': stack.registryUsername,
        'registry-password': stack.registryPassword,
        context: 'app',
        network: 'host',
        'build-args': `BASE_IMAGE=${stack.baseImage}\nAPP_VERSION=v1-${RUN_ID}`,
      },
      { DOCKER_CONFIG: dockerConfig },
    );
    expect(built.errors).toEqual([]);
    expect(built.exitCode).toBe(0);
    const image = built.outputs['image-uri']!;
    expect(image).toMatch(new RegExp(`^${stack.registry}/${REPOSITORY}@sha256:[0-9a-f]{64}$`));

    await createService(ecs, CLUSTER, SERVICE, image, {
      desiredCount: 1,
      loadBalanced: true,
      family: 'pkg-app',
    });
    expect(await frontDoorBody(local, SERVICE)).toBe(`v1-${RUN_ID}`);

    const deployed = await runPackaged(
      'deploy-ecs',
      {
        'task-definition': 'task-definition.json',
        cluster: CLUSTER,
        services: SERVICE,
        container: 'app',
        image,
        'environment-variables': `APP_VERSION=v2-${RUN_ID}`,
        'bake-time': '0',
      },
      { AWS_ENDPOINT_URL_ECS: local.url, AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2: local.url },
    );
    expect(deployed.errors).toEqual([]);
    expect(deployed.exitCode).toBe(0);
    expect(deployed.outputs['task-definition-arn']).toMatch(/task-definition\/pkg-app:\d+$/);

    const { services } = (await localAdmin(local, 'GET', '/_local/services')) as {
      services: { serviceName: string; status: string; frontDoorUrl?: string }[];
    };
    const url = services.find(
      (service) => service.serviceName === SERVICE && service.status === 'ACTIVE',
    )!.frontDoorUrl!;
    const healthy = await runPackaged('wait-healthy', {
      urls: url,
      'expect-body': `v2-${RUN_ID}`,
      timeout: '60s',
    });
    expect(healthy.errors).toEqual([]);
    expect(healthy.exitCode).toBe(0);
    expect(healthy.outputs['healthy']).toBe('true');
  });

  it('a tree that is not listable is reported, naming what is wrong', () => {
    const broken = join(tempRoot, 'broken');
    cpSync(join(packages, 'wait-healthy'), broken, { recursive: true });
    rmSync(join(broken, 'LICENSE'));
    mkdirSync(join(broken, '.github', 'workflows'), { recursive: true });
    writeFileSync(join(broken, 'README.md'), 'See [the pipeline](../../.github/workflows/pipeline.yml).\n');
    expect(packageProblems(broken)).toEqual([
      'has .github/workflows (Marketplace refuses it)',
      'no LICENSE',
      'README.md links into the monorepo: ../../.github/workflows/pipeline.yml',
    ]);
    expect(existsSync(join(packages, 'wait-healthy', 'LICENSE'))).toBe(true);
  });
});
