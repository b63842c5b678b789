// ECR on the local registry through the real SDK client: tokens the registry accepts, images as the
// registry holds them, immutable tags, and the protocol's failure paths (auth, throttling, 5xx).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
  BatchDeleteImageCommand,
  BatchGetImageCommand,
  CreateRepositoryCommand,
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  ECRClient,
  GetAuthorizationTokenCommand,
  ImageNotFoundException,
  ImageTagAlreadyExistsException,
  ListImagesCommand,
  PutImageCommand,
  PutImageTagMutabilityCommand,
  RepositoryNotFoundException,
} from '@aws-sdk/client-ecr';
import {
  ClusterNotFoundException,
  DescribeServicesCommand,
  ECSClient,
  ListClustersCommand,
} from '@aws-sdk/client-ecs';

import { dockerCli, pushImage, type DockerCli } from '../helpers/docker.js';
import { startTestLocalAws } from '../helpers/local-aws.js';
import { requireStack, type LocalStack } from '../helpers/stack.js';
import type { LocalAws } from '../../tools/local-aws/index.js';

const credentials = { accessKeyId: 'AKIALOCALTEST', secretAccessKey: 'local-test-secret' };

let stack: LocalStack;
let localAws: LocalAws;
let ecr: ECRClient;
let workDir: string;
let docker: DockerCli;
const suffix = Date.now().toString(36);

async function setFaults(body: unknown): Promise<void> {
  const response = await fetch(`${localAws.url}/_local/faults`, {
    method: 'POST',
    body: JSON.stringify(body),
  });
  expect(response.ok).toBe(true);
}

/** The same image under a different digest: an annotation the registry keeps but Docker ignores. */
function variantOf(manifest: string): string {
  const parsed = JSON.parse(manifest) as Record<string, unknown>;
  return JSON.stringify({ ...parsed, annotations: { 'org.example.variant': suffix } }, null, 3);
}

async function pushBase(repositoryUri: string, tag: string): Promise<string> {
  await docker.run(['tag', stack.baseImage, `${repositoryUri}:${tag}`]);
  return pushImage(docker, `${repositoryUri}:${tag}`);
}

beforeAll(async () => {
  stack = requireStack();
  workDir = mkdtempSync(join(tmpdir(), 'local-aws-ecr-'));
  docker = dockerCli(stack, { name: 'local-aws-ecr' });
  localAws = await startTestLocalAws(stack);
  ecr = new ECRClient({
    endpoint: localAws.url,
    region: 'us-east-1',
    credentials,
    retryMode: 'standard',
    maxAttempts: 3,
  });
  await docker.run(['pull', stack.baseImage]).catch(async () => {
    await docker.login(stack.registry, stack.registryUsername, stack.registryPassword);
    await docker.run(['pull', stack.baseImage]);
  });
}, 60_000);

afterAll(async () => {
  await localAws?.close();
  ecr?.destroy();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
  docker?.dispose();
});

describe('local-aws ECR', () => {
  it('hands out a token the registry accepts, and describes what was pushed with it', async () => {
    const auth = (await ecr.send(new GetAuthorizationTokenCommand({}))).authorizationData![0]!;
    expect(auth.proxyEndpoint).toBe(`http://${stack.registry}`);
    expect(auth.expiresAt!.getTime()).toBeGreaterThan(Date.now() + 3600_000);
    const [user, password] = Buffer.from(auth.authorizationToken!, 'base64').toString().split(':') as [
      string,
      string,
    ];
    expect(user).toBe('AWS');
    const fresh = join(workDir, 'fresh-config');
    const login = docker.run(['login', '--username', user, '--password-stdin', auth.proxyEndpoint!], {
      input: password,
      env: { DOCKER_CONFIG: fresh },
    });
    expect(await login).toMatch(/Login Succeeded/);
    await docker.login(auth.proxyEndpoint!, user, password);

    const created = await ecr.send(
      new CreateRepositoryCommand({
        repositoryName: `local-aws-itest/base-${suffix}`,
        imageScanningConfiguration: { scanOnPush: true },
        encryptionConfiguration: {
          encryptionType: 'KMS',
          kmsKey: 'arn:aws:kms:us-east-1:000000000000:key/local',
        },
        tags: [{ Key: 'team', Value: 'shipkit' }],
      }),
    );
    const repository = created.repository!;
    expect(repository.repositoryUri).toBe(`${stack.registry}/local-aws-itest/base-${suffix}`);
    expect(repository.imageScanningConfiguration).toEqual({ scanOnPush: true });
    expect(repository.encryptionConfiguration).toEqual({
      encryptionType: 'KMS',
      kmsKey: 'arn:aws:kms:us-east-1:000000000000:key/local',
    });
    expect(repository.imageTagMutability).toBe('MUTABLE');

    const digest = await pushBase(repository.repositoryUri!, '1.0.0');
    const images = await ecr.send(
      new DescribeImagesCommand({
        repositoryName: repository.repositoryName,
        imageIds: [{ imageTag: '1.0.0' }],
      }),
    );
    expect(images.imageDetails).toHaveLength(1);
    expect(images.imageDetails![0]).toMatchObject({
      imageDigest: digest,
      imageTags: ['1.0.0'],
      registryId: '000000000000',
    });
    expect(images.imageDetails![0]!.imageSizeInBytes).toBeGreaterThan(1_000_000);

    const got = await ecr.send(
      new BatchGetImageCommand({
        repositoryName: repository.repositoryName,
        imageIds: [{ imageDigest: digest }, { imageTag: 'missing' }],
      }),
    );
    expect(got.images![0]!.imageId!.imageDigest).toBe(digest);
    expect(JSON.parse(got.images![0]!.imageManifest!)).toHaveProperty('layers');
    expect(got.failures).toEqual([
      {
        imageId: { imageTag: 'missing' },
        failureCode: 'ImageNotFound',
        failureReason: 'Requested image not found',
      },
    ]);

    // MUTABLE: PutImage moves the tag to another manifest.
    const moved = await ecr.send(
      new PutImageCommand({
        repositoryName: repository.repositoryName,
        imageTag: '1.0.0',
        imageManifest: variantOf(got.images![0]!.imageManifest!),
      }),
    );
    expect(moved.image!.imageId!.imageDigest).not.toBe(digest);
    const after = await ecr.send(
      new DescribeImagesCommand({
        repositoryName: repository.repositoryName,
        imageIds: [{ imageTag: '1.0.0' }],
      }),
    );
    expect(after.imageDetails![0]!.imageDigest).toBe(moved.image!.imageId!.imageDigest);
  }, 60_000);

  it('refuses to move a tag of an IMMUTABLE repository, through PutImage and after a push', async () => {
    const name = `local-aws-itest/immutable-${suffix}`;
    const repository = (
      await ecr.send(new CreateRepositoryCommand({ repositoryName: name, imageTagMutability: 'IMMUTABLE' }))
    ).repository!;
    expect(repository.imageTagMutability).toBe('IMMUTABLE');
    const digest = await pushBase(repository.repositoryUri!, 'v1');
    const manifest = (
      await ecr.send(new BatchGetImageCommand({ repositoryName: name, imageIds: [{ imageTag: 'v1' }] }))
    ).images![0]!.imageManifest!;

    const refused = ecr.send(
      new PutImageCommand({ repositoryName: name, imageTag: 'v1', imageManifest: variantOf(manifest) }),
    );
    await expect(refused).rejects.toBeInstanceOf(ImageTagAlreadyExistsException);
    await expect(refused).rejects.toThrow(
      "The image tag 'v1' already exists in the '" +
        name +
        "' repository and cannot be overwritten because the repository is immutable.",
    );
    // A new tag for the same image is fine.
    await ecr.send(
      new PutImageCommand({ repositoryName: name, imageTag: 'stable', imageManifest: manifest }),
    );

    // A push (here straight to the registry, as `docker push` would) that moves the tag is undone.
    const registryAuth = `Basic ${Buffer.from(`${stack.registryUsername}:${stack.registryPassword}`).toString('base64')}`;
    const mediaType = (JSON.parse(manifest) as { mediaType: string }).mediaType;
    const pushed = await fetch(`http://${stack.registry}/v2/${name}/manifests/v1`, {
      method: 'PUT',
      headers: { Authorization: registryAuth, 'Content-Type': mediaType },
      body: variantOf(manifest),
    });
    expect(pushed.status).toBe(201);
    const deadline = Date.now() + 10_000;
    let current = '';
    while (Date.now() < deadline) {
      const answer = await ecr.send(
        new DescribeImagesCommand({ repositoryName: name, imageIds: [{ imageTag: 'v1' }] }),
      );
      current = answer.imageDetails![0]!.imageDigest!;
      if (current === digest) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(current).toBe(digest);

    const mutable = await ecr.send(
      new PutImageTagMutabilityCommand({ repositoryName: name, imageTagMutability: 'MUTABLE' }),
    );
    expect(mutable).toMatchObject({
      repositoryName: name,
      imageTagMutability: 'MUTABLE',
      registryId: '000000000000',
    });
  }, 60_000);

  it('answers at once for what was pushed straight to the registry: new tags, a moved tag, a deleted image', async () => {
    const registryAuth = `Basic ${Buffer.from(`${stack.registryUsername}:${stack.registryPassword}`).toString('base64')}`;
    const putStraight = async (name: string, tag: string, body: string): Promise<void> => {
      const mediaType = (JSON.parse(body) as { mediaType: string }).mediaType;
      const pushed = await fetch(`http://${stack.registry}/v2/${name}/manifests/${tag}`, {
        method: 'PUT',
        headers: { Authorization: registryAuth, 'Content-Type': mediaType },
        body,
      });
      expect(pushed.status).toBe(201);
    };
    const tagsOf = async (name: string, imageDigest: string): Promise<string[] | undefined> =>
      (await ecr.send(new DescribeImagesCommand({ repositoryName: name, imageIds: [{ imageDigest }] })))
        .imageDetails![0]!.imageTags;

    const name = `local-aws-itest/index-${suffix}`;
    const uri = (await ecr.send(new CreateRepositoryCommand({ repositoryName: name }))).repository!
      .repositoryUri!;
    const first = await pushBase(uri, 'a');
    expect(await tagsOf(name, first)).toEqual(['a']);
    const body = (
      await ecr.send(new BatchGetImageCommand({ repositoryName: name, imageIds: [{ imageDigest: first }] }))
    ).images![0]!.imageManifest!;

    await putStraight(name, 'b', body);
    expect(await tagsOf(name, first)).toEqual(['a', 'b']);
    // MUTABLE: a push moves 'a' to another image; both images answer with their tags of now.
    await putStraight(name, 'a', variantOf(body));
    const second = (
      await ecr.send(new DescribeImagesCommand({ repositoryName: name, imageIds: [{ imageTag: 'a' }] }))
    ).imageDetails![0]!.imageDigest!;
    expect(second).not.toBe(first);
    expect(await tagsOf(name, first)).toEqual(['b']);
    expect(await tagsOf(name, second)).toEqual(['a']);
    const listed = (await ecr.send(new ListImagesCommand({ repositoryName: name }))).imageIds!;
    expect(new Set(listed.map((id) => `${id.imageTag}@${id.imageDigest}`))).toEqual(
      new Set([`a@${second}`, `b@${first}`]),
    );

    const deleted = await ecr.send(
      new BatchDeleteImageCommand({ repositoryName: name, imageIds: [{ imageDigest: second }] }),
    );
    expect(deleted.imageIds).toEqual([{ imageDigest: second }]);
    await expect(
      ecr.send(new DescribeImagesCommand({ repositoryName: name, imageIds: [{ imageTag: 'a' }] })),
    ).rejects.toBeInstanceOf(ImageNotFoundException);

    // IMMUTABLE: a new tag pushed straight to the registry is listed on its image at once.
    const pinned = `local-aws-itest/index-immutable-${suffix}`;
    const pinnedUri = (
      await ecr.send(new CreateRepositoryCommand({ repositoryName: pinned, imageTagMutability: 'IMMUTABLE' }))
    ).repository!.repositoryUri!;
    const digest = await pushBase(pinnedUri, 'v1');
    expect(await tagsOf(pinned, digest)).toEqual(['v1']);
    await putStraight(pinned, 'v1-copy', body);
    expect(await tagsOf(pinned, digest)).toEqual(['v1', 'v1-copy']);
  }, 60_000);

  it('answers typed SDK errors, refuses unsigned calls, and throttles so that the SDK retries', async () => {
    await expect(
      ecr.send(new DescribeRepositoriesCommand({ repositoryNames: ['does-not-exist'] })),
    ).rejects.toBeInstanceOf(RepositoryNotFoundException);
    const ecs = new ECSClient({ endpoint: localAws.url, region: 'us-east-1', credentials });
    await expect(
      ecs.send(new DescribeServicesCommand({ cluster: 'nope', services: ['x'] })),
    ).rejects.toBeInstanceOf(ClusterNotFoundException);

    const unsigned = await fetch(localAws.url, {
      method: 'POST',
      headers: {
        'X-Amz-Target': 'AmazonEC2ContainerServiceV20141113.ListClusters',
        'Content-Type': 'application/x-amz-json-1.1',
      },
      body: '{}',
    });
    expect(unsigned.status).toBe(400);
    expect(unsigned.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException');
    expect(await unsigned.json()).toEqual({
      __type: 'MissingAuthenticationTokenException',
      message: 'Missing Authentication Token',
    });
    const badSignature = await fetch(localAws.url, {
      method: 'POST',
      headers: {
        'X-Amz-Target': 'AmazonEC2ContainerServiceV20141113.ListClusters',
        Authorization: 'AWS4-HMAC-SHA256 nonsense',
        'X-Amz-Date': '20260101T000000Z',
      },
      body: '{}',
    });
    expect(((await badSignature.json()) as { __type: string }).__type).toBe('IncompleteSignatureException');

    await fetch(`${localAws.url}/_local/calls`, { method: 'DELETE' });
    await setFaults({ throttleEveryNth: 2, operations: ['ListClusters'] });
    for (let call = 0; call < 3; call += 1) {
      const answer = await ecs.send(new ListClustersCommand({}));
      expect(answer.clusterArns).toEqual([]);
    }
    // Calls 2 and 4 were throttled and retried by the SDK: 5 requests for 3 answers.
    const calls = (await (await fetch(`${localAws.url}/_local/calls`)).json()) as {
      byOperation: Record<string, number>;
    };
    expect(calls.byOperation['ListClusters']).toBe(5);

    const noRetry = new ECSClient({
      endpoint: localAws.url,
      region: 'us-east-1',
      credentials,
      maxAttempts: 1,
    });
    await setFaults({ throttleEveryNth: 1 });
    await expect(noRetry.send(new ListClustersCommand({}))).rejects.toMatchObject({
      name: 'ThrottlingException',
      message: 'Rate exceeded',
    });
    await setFaults({ throttleEveryNth: 0, failNextCalls: 1 });
    await expect(noRetry.send(new ListClustersCommand({}))).rejects.toMatchObject({
      name: 'ServerException',
      $metadata: { httpStatusCode: 500 },
    });
    await setFaults({ failNextCalls: 1 });
    expect((await ecs.send(new ListClustersCommand({}))).$metadata.attempts).toBe(2);
    await setFaults({ failNextCalls: 0, latencyMs: 150, operations: ['ListClusters'] });
    const started = performance.now();
    await ecs.send(new ListClustersCommand({}));
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    await fetch(`${localAws.url}/_local/faults`, { method: 'DELETE' });
    ecs.destroy();
    noRetry.destroy();
  }, 60_000);
});

describe('local-aws ECR with the registry proxy (LOCAL_AWS_REGISTRY_PROXY=1)', () => {
  let proxied: LocalAws;
  let proxiedEcr: ECRClient;
  beforeAll(async () => {
    proxied = await startTestLocalAws(stack, { registryProxy: true });
    proxiedEcr = new ECRClient({ endpoint: proxied.url, region: 'us-east-1', credentials });
  });
  afterAll(async () => {
    proxiedEcr?.destroy();
    await proxied?.close();
  });

  it('refuses at push time, as ECR does, a moved IMMUTABLE tag and an uncreated repository', async () => {
    const auth = (await proxiedEcr.send(new GetAuthorizationTokenCommand({}))).authorizationData![0]!;
    const host = new URL(proxied.url).host;
    expect(auth.proxyEndpoint).toBe(`http://${host}`);
    const [user, password] = Buffer.from(auth.authorizationToken!, 'base64').toString().split(':') as [
      string,
      string,
    ];
    await docker.login(auth.proxyEndpoint!, user, password);

    const name = `local-aws-itest/proxied-${suffix}`;
    const repository = (
      await proxiedEcr.send(
        new CreateRepositoryCommand({ repositoryName: name, imageTagMutability: 'IMMUTABLE' }),
      )
    ).repository!;
    expect(repository.repositoryUri).toBe(`${host}/${name}`);
    const digest = await pushBase(repository.repositoryUri!, 'v1');
    // Pushing the same image again is fine; a different one under the same tag is not.
    await pushBase(repository.repositoryUri!, 'v1');
    await docker.run(['build', '--network', 'host', '-t', `${repository.repositoryUri!}:v1`, '-'], {
      input: `FROM ${stack.baseImage}\nLABEL org.example.variant=${suffix}\n`,
    });
    await expect(docker.run(['push', `${repository.repositoryUri!}:v1`])).rejects.toThrow(
      `tag invalid: The image tag 'v1' already exists in the '${name}' repository and cannot be overwritten because the repository is immutable.`,
    );
    const images = await proxiedEcr.send(
      new DescribeImagesCommand({ repositoryName: name, imageIds: [{ imageTag: 'v1' }] }),
    );
    expect(images.imageDetails![0]!.imageDigest).toBe(digest);

    await docker.run(['tag', stack.baseImage, `${host}/local-aws-itest/never-created-${suffix}:v1`]);
    await expect(docker.run(['push', `${host}/local-aws-itest/never-created-${suffix}:v1`])).rejects.toThrow(
      `name unknown: The repository with name 'local-aws-itest/never-created-${suffix}' does not exist in the registry with id '000000000000'`,
    );
    // Pulls go through the proxy as well.
    await docker.run(['pull', `${repository.repositoryUri!}@${digest}`]);
  }, 60_000);
});
