import {
  CreateRepositoryCommand,
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  GetAuthorizationTokenCommand,
  type ECRClient,
  type ImageDetail,
} from '@aws-sdk/client-ecr';

import { classifyAwsError } from '../../../shared/aws.js';
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

/** What ECR itself records for the tags (digest and size), as a cross-check of the registry's answer. */
export async function describeTags(
  client: ECRClient,
  repository: string,
  tags: readonly string[],
): Promise<Map<string, ImageDetail>> {
  const result = new Map<string, ImageDetail>();
  for (let start = 0; start < tags.length; start += 100) {
    const imageIds = tags.slice(start, start + 100).map((imageTag) => ({ imageTag }));
    const found = await client
      .send(new DescribeImagesCommand({ repositoryName: repository, imageIds }))
      .catch((error: unknown) => {
        // ImageNotFound for any id fails the whole call; ask one by one then.
        if (classifyAwsError(error) === 'not-found' && imageIds.length > 1) return undefined;
        if (classifyAwsError(error) === 'not-found') return { imageDetails: [] };
        throw explainAwsError('DescribeImages', error);
      });
    if (found === undefined) {
      for (const tag of tags.slice(start, start + 100)) {
        for (const [key, value] of await describeTags(client, repository, [tag])) result.set(key, value);
      }
      continue;
    }
    for (const detail of found.imageDetails ?? []) {
      for (const tag of detail.imageTags ?? []) if (tags.includes(tag)) result.set(tag, detail);
    }
  }
  return result;
}

/** ECR's own record must agree with the registry API: same digest under every tag. */
export async function crossCheckEcr(
  client: ECRClient,
  repository: string,
  result: PublishResult,
): Promise<void> {
  const names = result.tags.map((tag) => tag.name);
  const details = await describeTags(client, repository, names);
  for (const name of names) {
    const detail = details.get(name);
    if (!detail)
      throw new Error(`ECR DescribeImages does not list tag "${name}" in ${repository} after the push.`);
    if (detail.imageDigest !== result.digest) {
      throw new Error(
        `ECR DescribeImages has ${detail.imageDigest} for tag "${name}", but the registry served ${result.digest}.`,
      );
    }
  }
  const size = details.get(names[0]!)?.imageSizeInBytes;
  if (size !== undefined && result.sizeBytes === undefined) result.sizeBytes = size;
}
