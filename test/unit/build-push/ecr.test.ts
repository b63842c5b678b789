import {
  CreateRepositoryCommand,
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  ECRClient,
  GetAuthorizationTokenCommand,
} from '@aws-sdk/client-ecr';
import { mockClient } from 'aws-sdk-client-mock';

import { describeTags, ecrLogin, ensureRepository } from '../../../actions/build-push/src/ecr.js';
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

describe('describeTags', () => {
  it('maps tags to ECR image details, asking one by one when some are missing', async () => {
    ecr.on(DescribeImagesCommand).callsFake((input: { imageIds: { imageTag: string }[] }) => {
      const tags = input.imageIds.map((id) => id.imageTag);
      if (tags.includes('gone')) return Promise.reject(awsError('ImageNotFoundException'));
      return Promise.resolve({
        imageDetails: [{ imageDigest: 'sha256:a', imageTags: tags, imageSizeInBytes: 7 }],
      });
    });
    const details = await describeTags(client, 'shop', ['v1', 'gone', 'main']);
    expect([...details.keys()]).toEqual(['v1', 'main']);
    expect(details.get('main')?.imageDigest).toBe('sha256:a');
  });
});
