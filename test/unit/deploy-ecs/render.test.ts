import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { parse } from 'yaml';

import { ConfigurationError } from '../../../shared/errors.js';
import {
  imageDefinitions,
  isPinnedImage,
  mutableImages,
  normaliseTaskDefinition,
  parseTaskDefinition,
  refuseMutableImages,
  renderTaskDefinition,
  shortImage,
  type RenderOptions,
  type TaskDefinitionInput,
} from '../../../actions/deploy-ecs/src/render.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures', 'deploy-ecs');
const fixture = (name: string): TaskDefinitionInput =>
  parseTaskDefinition(readFileSync(join(FIXTURES, name), 'utf8'), name);
const DIGEST = `@sha256:${'a'.repeat(64)}`;

function options(overrides: Partial<RenderOptions> = {}): RenderOptions {
  return {
    images: new Map(),
    targetContainers: [],
    environment: new Map(),
    secrets: new Map(),
    tags: new Map(),
    ...overrides,
  };
}

describe('normaliseTaskDefinition', () => {
  it('unwraps describe-task-definition output and strips every read-only field', () => {
    const taskDefinition = fixture('described.json');
    for (const field of [
      'taskDefinitionArn',
      'revision',
      'status',
      'requiresAttributes',
      'compatibilities',
      'registeredAt',
      'registeredBy',
      'deregisteredAt',
      'inferenceAccelerators',
    ]) {
      expect(taskDefinition).not.toHaveProperty(field);
    }
    expect(taskDefinition.family).toBe('web');
    expect(taskDefinition.requiresCompatibilities).toEqual(['FARGATE']);
    // Tags come from the outer document, where describe-task-definition --include TAGS puts them.
    expect(taskDefinition.tags).toEqual([{ key: 'service', value: 'web' }]);
  });

  it('keeps a non-empty inferenceAccelerators list', () => {
    const taskDefinition = normaliseTaskDefinition(
      {
        family: 'ml',
        inferenceAccelerators: [{ deviceName: 'd1', deviceType: 'eia2.medium' }],
        containerDefinitions: [{ name: 'a', image: 'a' }],
      },
      'x',
    );
    expect(taskDefinition.inferenceAccelerators).toHaveLength(1);
  });

  it('turns a numeric task cpu into the string RegisterTaskDefinition wants', () => {
    expect(fixture('web.json').cpu).toBe('256');
  });

  it.each([
    ['[]', '(root)', /must be a JSON object/],
    ['{"containerDefinitions": [{"name": "a", "image": "a"}]}', 'family', /letters, digits/],
    ['{"family": "bad family!", "containerDefinitions": []}', 'family', /letters, digits/],
    ['{"family": "f", "containerDefinitions": []}', 'containerDefinitions', /non-empty list/],
    ['{"family": "f", "containerDefinition": []}', 'containerDefinition', /not a task-definition field/],
    [
      '{"family": "f", "containerDefinitions": [{"name": "a"}]}',
      'containerDefinitions[0].image',
      /non-empty/,
    ],
    [
      '{"family": "f", "containerDefinitions": [{"image": "a"}]}',
      'containerDefinitions[0].name',
      /non-empty/,
    ],
    [
      '{"family": "f", "containerDefinitions": [{"name": "a", "image": "a"}, {"name": "a", "image": "b"}]}',
      'containerDefinitions[1].name',
      /repeats the container name "a"/,
    ],
    [
      '{"family": "f", "containerDefinitions": [{"name": "a", "image": "a", "environment": [{"name": "X", "value": 1}]}]}',
      'containerDefinitions[0].environment[0].value',
      /must be a string/,
    ],
    [
      '{"family": "f", "containerDefinitions": [{"name": "a", "image": "a", "secrets": [{"name": "X"}]}]}',
      'containerDefinitions[0].secrets[0].valueFrom',
      /must be a string/,
    ],
    [
      '{"family": "f", "containerDefinitions": [{"name": "a", "image": "a", "memory": "512"}]}',
      'containerDefinitions[0].memory',
      /must be a number/,
    ],
    ['{"family": "f", "cpu": true, "containerDefinitions": [{"name": "a", "image": "a"}]}', 'cpu', /string/],
    [
      '{"family": "f", "tags": {"a": "b"}, "containerDefinitions": [{"name": "a", "image": "a"}]}',
      'tags',
      /list/,
    ],
  ])('refuses %s naming field %s', (json, field, problem) => {
    let thrown: unknown;
    try {
      parseTaskDefinition(json, 'td.json');
    } catch (error: unknown) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigurationError);
    expect((thrown as Error).message).toContain(`field "${field}"`);
    expect((thrown as Error).message).toMatch(problem);
    expect((thrown as Error).message).toContain('td.json');
  });

  it('names the file and the JSON syntax error', () => {
    expect(() => parseTaskDefinition('{"family": ', 'deploy/td.json')).toThrow(
      /Task definition deploy\/td.json is not valid JSON/,
    );
  });
});

describe('renderTaskDefinition', () => {
  it('sets the image of the one container, merges environment (overriding by name) and secrets', () => {
    const base = fixture('web.json');
    const rendered = renderTaskDefinition(
      base,
      options({
        images: new Map([['web', `registry/web${DIGEST}`]]),
        targetContainers: ['web'],
        environment: new Map([
          ['NODE_ENV', 'staging'],
          ['FEATURE', 'on'],
        ]),
        secrets: new Map([['DATABASE_URL', 'arn:aws:secretsmanager:us-east-1:1:secret:db']]),
      }),
    );
    const web = rendered.containerDefinitions[0]!;
    expect(web.image).toBe(`registry/web${DIGEST}`);
    // DATABASE_URL moved from a plain variable to a secret: ECS refuses a name that is both.
    expect(web.environment).toEqual([
      { name: 'NODE_ENV', value: 'staging' },
      { name: 'FEATURE', value: 'on' },
    ]);
    expect(web.secrets).toEqual([
      { name: 'DATABASE_URL', valueFrom: 'arn:aws:secretsmanager:us-east-1:1:secret:db' },
    ]);
    // The input is not modified.
    expect(base.containerDefinitions[0]!.image).toContain(':placeholder');
    expect(web.logConfiguration?.logDriver).toBe('awslogs');
  });

  it('sets images of several containers from a map and leaves the others alone', () => {
    const rendered = renderTaskDefinition(
      fixture('web-and-worker.json'),
      options({
        images: new Map([
          ['web', `shop/web${DIGEST}`],
          ['worker', `shop/worker${DIGEST}`],
        ]),
        targetContainers: ['worker'],
        secrets: new Map([['DB_PASSWORD', 'arn:aws:ssm:us-east-1:1:parameter/db']]),
      }),
    );
    expect(rendered.containerDefinitions.map((container) => container.image)).toEqual([
      `shop/web${DIGEST}`,
      `shop/worker${DIGEST}`,
      `amazon/aws-for-fluent-bit@sha256:${'0'.repeat(64)}`,
    ]);
    expect(rendered.containerDefinitions[0]!.secrets).toBeUndefined();
    expect(rendered.containerDefinitions[1]!.secrets).toEqual([
      { name: 'API_KEY', valueFrom: 'arn:aws:ssm:us-east-1:123456789012:parameter/api-key' },
      { name: 'DB_PASSWORD', valueFrom: 'arn:aws:ssm:us-east-1:1:parameter/db' },
    ]);
  });

  it('merges tags, the new value winning', () => {
    const rendered = renderTaskDefinition(
      fixture('web-and-worker.json'),
      options({
        tags: new Map([
          ['team', 'payments'],
          ['commit', 'abc123'],
        ]),
      }),
    );
    expect(rendered.tags).toEqual([
      { key: 'team', value: 'payments' },
      { key: 'commit', value: 'abc123' },
    ]);
  });

  it('refuses an image for a container the task definition does not have, naming the ones it has', () => {
    expect(() =>
      renderTaskDefinition(fixture('web.json'), options({ images: new Map([['api', `api${DIGEST}`]]) })),
    ).toThrow(/Input "container" names "api", but task definition web has only web/);
  });

  it('refuses an empty image rather than keep the old one', () => {
    expect(() =>
      renderTaskDefinition(fixture('web.json'), options({ images: new Map([['web', '']]) })),
    ).toThrow(
      new ConfigurationError(
        'Input "images" gives container "web" an empty image: pass its image (build-push\'s "image-uri" output).',
      ),
    );
  });

  it('lets "container" without "image" target environment variables only', () => {
    const rendered = renderTaskDefinition(
      fixture('web.json'),
      options({ targetContainers: ['web'], environment: new Map([['A', 'b']]) }),
    );
    expect(rendered.containerDefinitions[0]?.image).toBe(fixture('web.json').containerDefinitions[0]?.image);
  });

  it('needs "container" when environment goes into a task definition of several containers', () => {
    expect(() =>
      renderTaskDefinition(fixture('web-and-worker.json'), options({ environment: new Map([['A', 'b']]) })),
    ).toThrow(/Input "container" is needed .* web, worker, log-router/);
  });

  it('puts environment into the only container without being told which', () => {
    const rendered = renderTaskDefinition(
      fixture('web.json'),
      options({ environment: new Map([['A', 'b']]) }),
    );
    expect(rendered.containerDefinitions[0]!.environment).toContainEqual({ name: 'A', value: 'b' });
  });
});

describe('mutable images', () => {
  it.each([
    [`repo${DIGEST}`, true],
    [`123.dkr.ecr.us-east-1.amazonaws.com/web:v1${DIGEST}`, true],
    ['repo:latest', false],
    ['repo', false],
    ['repo@sha256:short', false],
  ])('%s pinned: %s', (image, pinned) => expect(isPinnedImage(image)).toBe(pinned));

  it('lists tag-only images and refuses them with the reason and the fix', () => {
    const taskDefinition = fixture('web-and-worker.json');
    expect(mutableImages(taskDefinition).map((entry) => entry.container)).toEqual(['web', 'worker']);
    expect(() => refuseMutableImages(taskDefinition)).toThrow(ConfigurationError);
    expect(() => refuseMutableImages(taskDefinition)).toThrow(
      /Input "allow-mutable-image".*web \(shop\/web:1\), worker \(shop\/worker:1\) are not pinned.*a tag can move.*allow-mutable-image: true/,
    );
  });

  it("points at build-push's digest-pinned output, as the README examples do", () => {
    const pinnedOutputs = Object.keys(
      (parse(readFileSync(join(ROOT, 'actions', 'build-push', 'action.yml'), 'utf8')) as { outputs: object })
        .outputs,
    ).filter((name) => name === 'image-uri');
    expect(pinnedOutputs).toEqual(['image-uri']);
    expect(() => refuseMutableImages(fixture('web.json'))).toThrow(/\(build-push's "image-uri" output\)/);
    // Every example that feeds an image from a step's output uses image-uri; the "before" block of the
    // migration section shows the other actions' inputs and is left out.
    const readme = readFileSync(join(ROOT, 'actions', 'deploy-ecs', 'README.md'), 'utf8').replace(
      /# before[\s\S]*?# after/,
      '',
    );
    const fed = [...readme.matchAll(/(?:image:|\w=)\s*\$\{\{\s*[\w.-]+\.outputs\.([\w-]+)\s*\}\}/g)].map(
      (match) => match[1],
    );
    expect(fed.length).toBeGreaterThan(3);
    expect(new Set(fed)).toEqual(new Set(['image-uri']));
  });

  it('accepts a fully pinned task definition', () => {
    expect(() => refuseMutableImages(fixture('described.json'))).not.toThrow();
  });
});

describe('imageDefinitions', () => {
  it("writes CodePipeline's [{name, imageUri}] for every container", () => {
    expect(imageDefinitions(fixture('web-and-worker.json'))).toEqual([
      { name: 'web', imageUri: 'shop/web:1' },
      { name: 'worker', imageUri: 'shop/worker:1' },
      { name: 'log-router', imageUri: `amazon/aws-for-fluent-bit@sha256:${'0'.repeat(64)}` },
    ]);
  });

  it('shortens images for the summary table', () => {
    expect(shortImage(`r/web${DIGEST}`)).toBe('sha256:aaaaaaaaaaaa');
    expect(shortImage('reg:5000/team/web:v1')).toBe('web:v1');
  });
});
