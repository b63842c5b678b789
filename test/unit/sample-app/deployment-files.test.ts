// The Dockerfile, task definition and README agree with the code and with what ECS and Docker accept.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

import type { RegisterTaskDefinitionCommandInput } from '@aws-sdk/client-ecs';

const APP_DIR = resolve(import.meta.dirname, '..', '..', '..', 'sample-app');
const read = (file: string): string => readFileSync(resolve(APP_DIR, file), 'utf8');

describe('task-definition.json', () => {
  const definition = JSON.parse(read('task-definition.json')) as RegisterTaskDefinitionCommandInput;
  const [web, ...others] = definition.containerDefinitions ?? [];

  it('is a Fargate awsvpc task with one essential web container on 8080', () => {
    expect(definition.requiresCompatibilities).toEqual(['FARGATE']);
    expect(definition.networkMode).toBe('awsvpc');
    expect(Number(definition.cpu)).toBeGreaterThan(0);
    expect(Number(definition.memory)).toBeGreaterThan(0);
    expect(others).toEqual([]);
    expect(web).toMatchObject({ name: 'web', essential: true });
    expect(web!.portMappings).toEqual([expect.objectContaining({ containerPort: 8080, protocol: 'tcp' })]);
  });

  it('takes secrets from SSM or Secrets Manager and keeps only placeholders for account and region', () => {
    // DATABASE_URL carries the database password: a secret too, never a plain environment entry.
    expect(web!.secrets?.map((secret) => secret.name).sort()).toEqual([
      'ADMIN_PASSWORD_HASH',
      'DATABASE_URL',
      'SESSION_SECRET',
    ]);
    for (const secret of web!.secrets ?? []) {
      expect(secret.valueFrom).toMatch(
        /^arn:aws:(ssm|secretsmanager):REGION:ACCOUNT_ID:(parameter|secret:)\S+$/,
      );
    }
    const names = (web!.environment ?? []).map((entry) => entry.name);
    expect(names).not.toContain('DATABASE_URL');
    // One load balancer in front: the client is the right-most X-Forwarded-For entry.
    expect(web!.environment).toContainEqual({ name: 'TRUST_PROXY', value: '1' });
    // The version baked into the image (the git sha) must not be shadowed by a placeholder here.
    expect(names).not.toContain('APP_VERSION');
    expect(names).not.toContain('ADMIN_PASSWORD_HASH');
    expect(names).not.toContain('SESSION_SECRET');
    const text = read('task-definition.json');
    expect(text).not.toMatch(/\d{12}/);
    expect(text).not.toMatch(/(us|eu|ap|sa|ca|me|af)-[a-z]+-\d/);
    expect(definition.executionRoleArn).toMatch(/^arn:aws:iam::ACCOUNT_ID:role\//);
    expect(definition.taskRoleArn).toMatch(/^arn:aws:iam::ACCOUNT_ID:role\//);
  });

  it('health-checks with the same probe as the image, and logs to awslogs', () => {
    expect(web!.healthCheck).toMatchObject({ command: ['CMD', 'node', 'healthcheck.js'] });
    expect(web!.healthCheck!.interval).toBeGreaterThanOrEqual(5);
    expect(web!.healthCheck!.retries).toBeGreaterThanOrEqual(1);
    expect(web!.healthCheck!.startPeriod).toBeGreaterThanOrEqual(0);
    expect(web!.logConfiguration?.logDriver).toBe('awslogs');
    expect(web!.logConfiguration?.options?.['awslogs-region']).toBe('REGION');
    expect(web!.logConfiguration?.options?.['awslogs-group']).toMatch(/^\/ecs\//);
    // ECS waits stopTimeout after SIGTERM; the app's own drain deadline must come first.
    expect(web!.stopTimeout! * 1000).toBeGreaterThan(5000);
  });
});

describe('Dockerfile', () => {
  const dockerfile = read('Dockerfile');
  const instructions = dockerfile
    .split('\n')
    .filter((line) => /^[A-Z]+\s/.test(line))
    .map((line) => line.trim());

  it('takes BASE_IMAGE before the first FROM and builds both stages from it', () => {
    expect(instructions[0]).toBe('ARG BASE_IMAGE=node:24-slim');
    expect(instructions.filter((line) => line.startsWith('FROM '))).toEqual([
      'FROM ${BASE_IMAGE} AS build',
      'FROM ${BASE_IMAGE}',
    ]);
  });

  it('bakes in APP_VERSION, runs as node, and uses exec form for HEALTHCHECK and CMD', () => {
    const runtime = instructions.slice(instructions.indexOf('FROM ${BASE_IMAGE}'));
    expect(runtime).toContain('ARG APP_VERSION=dev');
    expect(dockerfile).toMatch(/ENV APP_VERSION=\$APP_VERSION \\\n\s+NODE_ENV=production/);
    expect(runtime).toContain('USER node');
    expect(runtime).toContain('EXPOSE 8080');
    expect(runtime.find((line) => line.startsWith('HEALTHCHECK'))).toMatch(
      /CMD \["node", "healthcheck\.js"\]$/,
    );
    expect(runtime.at(-1)).toBe('CMD ["node", "server.js"]');
    // The runtime stage copies built files only; nothing runs npm anywhere.
    expect(
      runtime.filter((line) => line.startsWith('COPY')).every((line) => line.includes('--from=build')),
    ).toBe(true);
    expect(instructions.join('\n')).not.toMatch(/\bnpm\b/);
  });
});

describe('README', () => {
  it('documents every environment variable the app reads, and no others', () => {
    const readme = read('README.md');
    const source = read('src/config.ts') + read('src/healthcheck.ts');
    const used = new Set([...source.matchAll(/(?:read\(|env\[)'([A-Z_]+)'/g)].map((match) => match[1]!));
    const documented = new Set(
      [...readme.matchAll(/^\| `([A-Z_]+)`(?:, `([A-Z_]+)`)?\s*\|/gm)].flatMap((match) =>
        match.slice(1).filter(Boolean),
      ),
    );
    expect([...used].sort()).toEqual([...documented].sort());
  });
});

describe('vendor/pg', () => {
  it('is the pg version the repository locks (rerun vendor/bundle-pg.mjs after a bump)', () => {
    const lock = JSON.parse(readFileSync(resolve(APP_DIR, '..', 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { version: string }>;
    };
    const vendored = JSON.parse(read('vendor/pg/package.json')) as { version: string; main: string };
    expect(vendored.version).toBe(lock.packages['node_modules/pg']?.version);
    expect(vendored.main).toBe('dist/index.cjs');
  });

  it('loads as the pg module, with a Pool the app can use', async () => {
    const bundled = (await import(resolve(APP_DIR, 'vendor', 'pg', 'dist', 'index.cjs'))) as {
      default: { Pool: unknown; Client: unknown };
    };
    expect(typeof bundled.default.Pool).toBe('function');
    expect(typeof bundled.default.Client).toBe('function');
    expect(read('vendor/pg/LICENSES.txt')).toMatch(/^pg@\d+\.\d+\.\d+ \(MIT\)/);
  });
});
