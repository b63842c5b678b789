import {
  CreateRepositoryCommand,
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  ECRClient,
  GetAuthorizationTokenCommand,
} from '@aws-sdk/client-ecr';
import { mockClient } from 'aws-sdk-client-mock';

import { crossCheckEcr, ecrLogin, ensureRepository } from '../../../actions/build-push/src/ecr.js';
import type { PublishResult } from '../../../actions/build-push/src/publish.js';
import { ConfigurationError } from '../../../shared/errors.js';

const ecr = mockClient(ECRClient);
const client = new ECRClient({ region: 'us-east-1' });
const awsError = (name: string, status = 400): Error =>
  Object.assign(new Error(`${name} happened`), { name, $metadata: { httpStatusCode: status } });

beforeEach(() => ecr.reset());

describe('ecrLogin', () => {
  it('decodes AWS:<password> and takes the host from the proxy endpoint', async () => {
    ecr.on(GetAuthorizationTokenCommand).resolves({
      authorizationData: [
        {
          authorizationToken: Buffer.from('AWS:pa:ss').toString('base64'),
          proxyEndpoint: 'https://123456789012.dkr.ecr.eu-west-1.amazonaws.com',
        },
      ],
    });
    await expect(ecrLogin(client)).resolves.toEqual({
      registry: '123456789012.dkr.ecr.eu-west-1.amazonaws.com',
      endpoint: 'https://123456789012.dkr.ecr.eu-west-1.amazonaws.com',
      username: 'AWS',
      password: 'pa:ss',
    });
  });

  it('turns AccessDenied into the IAM hint', async () => {
    ecr.on(GetAuthorizationTokenCommand).rejects(awsError('AccessDeniedException', 400));
    const error = await ecrLogin(client).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toMatch(/GetAuthorizationToken was denied .*IAM permissions/);
  });

  it('refuses a token that is not user:password', async () => {
    ecr.on(GetAuthorizationTokenCommand).resolves({
      authorizationData: [
        { authorizationToken: Buffer.from('nocolon').toString('base64'), proxyEndpoint: 'https://x' },
      ],
    });
    await expect(ecrLogin(client)).rejects.toThrow(/not "user:password"/);
  });
});

describe('ensureRepository', () => {
  const options = { create: true, mutability: 'IMMUTABLE' as const, scanOnPush: true };

  it('finds an existing repository and its mutability', async () => {
    ecr.on(DescribeRepositoriesCommand).resolves({
      repositories: [{ repositoryUri: 'r/shop', imageTagMutability: 'IMMUTABLE' }],
    });
    await expect(ensureRepository(client, 'shop', options)).resolves.toEqual({
      uri: 'r/shop',
      immutable: true,
      created: false,
    });
    expect(ecr.commandCalls(CreateRepositoryCommand)).toHaveLength(0);
  });

  it('creates a missing repository, immutable with scan on push', async () => {
    ecr.on(DescribeRepositoriesCommand).rejects(awsError('RepositoryNotFoundException'));
    ecr.on(CreateRepositoryCommand).resolves({ repository: { repositoryUri: 'r/shop' } });
    await expect(ensureRepository(client, 'shop', options)).resolves.toEqual({
      uri: 'r/shop',
      immutable: true,
      created: true,
    });
    expect(ecr.commandCalls(CreateRepositoryCommand)[0]!.args[0].input).toEqual({
      repositoryName: 'shop',
      imageTagMutability: 'IMMUTABLE',
      imageScanningConfiguration: { scanOnPush: true },
    });
  });

  it('says how to fix a missing repository when creation is off', async () => {
    ecr.on(DescribeRepositoriesCommand).rejects(awsError('RepositoryNotFoundException'));
    await expect(ensureRepository(client, 'shop', { ...options, create: false })).rejects.toThrow(
      'Input "repository": the ECR repository "shop" does not exist; create it, or set create-repository: true.',
    );
  });

  it('copes with a concurrent creation', async () => {
    ecr
      .on(DescribeRepositoriesCommand)
      .rejectsOnce(awsError('RepositoryNotFoundException'))
      .resolves({ repositories: [{ repositoryUri: 'r/shop', imageTagMutability: 'MUTABLE' }] });
    ecr.on(CreateRepositoryCommand).rejects(awsError('RepositoryAlreadyExistsException'));
    await expect(ensureRepository(client, 'shop', options)).resolves.toMatchObject({ immutable: false });
  });
});

describe('crossCheckEcr', () => {
  const result = (): PublishResult => ({
    image: 'x/shop',
    digest: 'sha256:a',
    imageId: 'sha256:c',
    tags: [
      { name: 'v1', state: 'pushed' },
      { name: 'main', state: 'moved' },
    ],
    sizeBytes: undefined,
    buildMs: 0,
    pushMs: 0,
    cacheHits: undefined,
    layers: { pushed: 0, existing: 0 },
    skipped: false,
    platforms: [],
  });

  it('asks once, by digest, and takes the size when the registry gave none', async () => {
    ecr.on(DescribeImagesCommand).resolves({
      imageDetails: [{ imageDigest: 'sha256:a', imageTags: ['main', 'v1', 'old'], imageSizeInBytes: 42 }],
    });
    const checked = result();
    await crossCheckEcr(client, 'shop', checked);
    expect(ecr.commandCalls(DescribeImagesCommand).map((call) => call.args[0].input)).toEqual([
      { repositoryName: 'shop', imageIds: [{ imageDigest: 'sha256:a' }] },
    ]);
    expect(checked.sizeBytes).toBe(42);
  });

  it('fails when a tag is not on the pushed digest in ECR, naming what it lists', async () => {
    ecr
      .on(DescribeImagesCommand)
      .resolves({ imageDetails: [{ imageDigest: 'sha256:a', imageTags: ['v1'] }] });
    await expect(crossCheckEcr(client, 'shop', result())).rejects.toThrow(
      'ECR DescribeImages does not list tag "main" on sha256:a in shop after the push (it lists v1).',
    );
  });

  it('fails when ECR does not know the digest', async () => {
    ecr
      .on(DescribeImagesCommand)
      .rejects(Object.assign(new Error('not there'), { name: 'ImageNotFoundException' }));
    await expect(crossCheckEcr(client, 'shop', result())).rejects.toThrow(
      'ECR DescribeImages does not list sha256:a in shop after the push.',
    );
  });
});
