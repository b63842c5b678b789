import { ConfigurationError } from './errors.js';

/**
 * What every AWS SDK v3 client of ours is built with. The SDK itself honours AWS_ENDPOINT_URL_ECS /
 * AWS_ENDPOINT_URL_ECR (that is how tests reach the local stand-in), and the standard credential chain
 * (OIDC via aws-actions/configure-aws-credentials on GitHub). Adaptive retry mode backs off on throttling.
 */
export interface AwsClientConfig {
  region: string;
  maxAttempts: number;
  retryMode: 'adaptive' | 'standard';
}

export function awsClientConfig(region: string | undefined, maxAttempts = 6): AwsClientConfig {
  const resolved = region || process.env['AWS_REGION'] || process.env['AWS_DEFAULT_REGION'];
  if (!resolved) {
    throw new ConfigurationError(
      'No AWS region: set the "aws-region" input, or AWS_REGION (aws-actions/configure-aws-credentials sets it).',
    );
  }
  return { region: resolved, maxAttempts, retryMode: 'adaptive' };
}

export type AwsErrorKind = 'auth' | 'throttle' | 'not-found' | 'invalid' | 'server' | 'network' | 'other';

const AUTH_ERRORS = new Set([
  'AccessDeniedException',
  'AccessDenied',
  'UnauthorizedOperation',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'ExpiredToken',
  'ExpiredTokenException',
  'InvalidClientTokenId',
  'MissingAuthenticationToken',
  'MissingAuthenticationTokenException',
  'IncompleteSignature',
  'CredentialsProviderError',
]);
const THROTTLE_ERRORS = new Set([
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'ProvisionedThroughputExceededException',
]);
const NOT_FOUND_ERRORS = new Set([
  'ClusterNotFoundException',
  'ServiceNotFoundException',
  'ServiceNotActiveException',
  'RepositoryNotFoundException',
  'ImageNotFoundException',
  'ResourceNotFoundException',
]);

interface AwsLikeError {
  name?: string;
  $metadata?: { httpStatusCode?: number };
  code?: string;
}

/** Sorts an SDK error into what a caller should do about it: fail fast, retry, or report. */
export function classifyAwsError(error: unknown): AwsErrorKind {
  if (typeof error !== 'object' || error === null) return 'other';
  const { name = '', $metadata, code } = error as AwsLikeError;
  if (AUTH_ERRORS.has(name)) return 'auth';
  if (THROTTLE_ERRORS.has(name)) return 'throttle';
  if (NOT_FOUND_ERRORS.has(name)) return 'not-found';
  if (name === 'InvalidParameterException' || name === 'ClientException' || name === 'ValidationException') {
    return 'invalid';
  }
  const status = $metadata?.httpStatusCode;
  if (status === 403 || status === 401) return 'auth';
  if (status === 429) return 'throttle';
  if (status !== undefined && status >= 500) return 'server';
  if (code && ['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN'].includes(code))
    return 'network';
  return 'other';
}

/** The account id inside an ARN, e.g. for building an ECR registry host. */
export function accountFromArn(arn: string): string | undefined {
  return arn.split(':')[4] || undefined;
}
