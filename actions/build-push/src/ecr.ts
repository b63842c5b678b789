import {
  CreateRepositoryCommand,
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  GetAuthorizationTokenCommand,
  type ECRClient,
  type ImageDetail,
} from '@aws-sdk/client-ecr';

import { classifyAwsError } from '../../../shared/aws.js';

// For target.ts, which loads this module lazily (ECR only): one chunk holds both.
export { awsClientConfig } from '../../../shared/aws.js';
import { ConfigurationError, errorMessage } from '../../../shared/errors.js';
import type { PublishResult } from './publish.js';

export interface EcrLogin {
  /** host[:port] of the registry, from the proxy endpoint. */
  registry: string;
  /** The proxy endpoint as ECR gives it (scheme included). */
  endpoint: string;
  username: string;
  password: string;
}

function explainAwsError(action: string, error: unknown): Error {
  const kind = classifyAwsError(error);
  if (kind === 'auth') {
    return new ConfigurationError(
      `ECR ${action} was denied (${errorMessage(error)}): give the role the IAM permissions listed in the build-push README, or check the credentials step (aws-actions/configure-aws-credentials).`,
    );
  }
  return new Error(`ECR ${action} failed: ${errorMessage(error)}`);
}

/** GetAuthorizationToken, decoded: the token is base64 "AWS:<password>". */
export async function ecrLogin(client: ECRClient): Promise<EcrLogin> {
  let data;
  try {
    data = (await client.send(new GetAuthorizationTokenCommand({}))).authorizationData?.[0];
  } catch (error: unknown) {
    throw explainAwsError('GetAuthorizationToken', error);
  }
  if (!data?.authorizationToken || !data.proxyEndpoint) {
    throw new Error('ECR GetAuthorizationToken returned no token.');
  }
  const decoded = Buffer.from(data.authorizationToken, 'base64').toString('utf8');
  const separator = decoded.indexOf(':');
  if (separator <= 0)
    throw new Error('ECR GetAuthorizationToken returned a token that is not "user:password".');
  return {
    registry: new URL(data.proxyEndpoint).host,
    endpoint: data.proxyEndpoint.replace(/\/+$/, ''),
    username: decoded.slice(0, separator),
    password: decoded.slice(separator + 1),
  };
}

export interface EcrRepository {
  uri: string;
  immutable: boolean;
  created: boolean;
}

export interface CreateOptions {
  create: boolean;
  mutability: 'IMMUTABLE' | 'MUTABLE';
  scanOnPush: boolean;
}

/** Finds the repository (for its URI and tag mutability), creating it when allowed. */
export async function ensureRepository(
  client: ECRClient,
  name: string,
  options: CreateOptions,
): Promise<EcrRepository> {
  try {
    const found = await client.send(new DescribeRepositoriesCommand({ repositoryNames: [name] }));
    const repository = found.repositories?.[0];
    if (repository?.repositoryUri) {
      return {
        uri: repository.repositoryUri,
        immutable: repository.imageTagMutability?.startsWith('IMMUTABLE') ?? false,
        created: false,
      };
    }
  } catch (error: unknown) {
    if (classifyAwsError(error) !== 'not-found') throw explainAwsError('DescribeRepositories', error);
  }
  if (!options.create) {
    throw new ConfigurationError(
      `Input "repository": the ECR repository "${name}" does not exist; create it, or set create-repository: true.`,
    );
  }
  try {
    const created = await client.send(
      new CreateRepositoryCommand({
        repositoryName: name,
        imageTagMutability: options.mutability,
        imageScanningConfiguration: { scanOnPush: options.scanOnPush },
      }),
    );
    const uri = created.repository?.repositoryUri;
    if (!uri) throw new Error('ECR CreateRepository returned no repository URI.');
    return { uri, immutable: options.mutability === 'IMMUTABLE', created: true };
  } catch (error: unknown) {
    if ((error as { name?: string }).name === 'RepositoryAlreadyExistsException') {
      return ensureRepository(client, name, { ...options, create: false });
    }
    throw explainAwsError('CreateRepository', error);
  }
}

/**
 * ECR's own record must agree with the registry API: the pushed digest, listed with every tag. One
 * DescribeImages call by digest (its imageTags are the tags that point at it), whatever the tag count.
 */
export async function crossCheckEcr(
  client: ECRClient,
  repository: string,
  result: PublishResult,
): Promise<void> {
  let detail: ImageDetail | undefined;
  try {
    const found = await client.send(
      new DescribeImagesCommand({ repositoryName: repository, imageIds: [{ imageDigest: result.digest! }] }),
    );
    detail = found.imageDetails?.[0];
  } catch (error: unknown) {
    if (classifyAwsError(error) !== 'not-found') throw explainAwsError('DescribeImages', error);
  }
  if (!detail) {
    throw new Error(`ECR DescribeImages does not list ${result.digest} in ${repository} after the push.`);
  }
  const tags = new Set(detail.imageTags ?? []);
  for (const { name } of result.tags) {
    if (!tags.has(name)) {
      throw new Error(
        `ECR DescribeImages does not list tag "${name}" on ${result.digest} in ${repository} after the push (it lists ${[...tags].join(', ') || 'no tags'}).`,
      );
    }
  }
  if (detail.imageSizeInBytes !== undefined && result.sizeBytes === undefined) {
    result.sizeBytes = detail.imageSizeInBytes;
  }
}
