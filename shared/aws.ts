import { ConfigurationError } from './errors.js';
import { awsRequestHandler } from './proxy.js';

/**
 * What every AWS SDK v3 client of ours is built with. The SDK itself honours AWS_ENDPOINT_URL_ECS /
 * AWS_ENDPOINT_URL_ECR (that is how tests reach the local stand-in), and the standard credential chain
 * (OIDC via aws-actions/configure-aws-credentials on GitHub). Adaptive retry mode backs off on throttling.
 */
export interface AwsClientConfig {
  region: string;
  maxAttempts: number;
  retryMode: 'adaptive' | 'standard';
  /** Agents through HTTPS_PROXY / HTTP_PROXY (NO_PROXY honoured), present only when a proxy is set. */
  requestHandler?: NonNullable<ReturnType<typeof awsRequestHandler>>;
}

export function awsClientConfig(region: string | undefined, maxAttempts = 6): AwsClientConfig {
  const resolved = region || process.env['AWS_REGION'] || process.env['AWS_DEFAULT_REGION'];
  if (!resolved) {
    throw new ConfigurationError(
      'No AWS region: set the "aws-region" input, or AWS_REGION (aws-actions/configure-aws-credentials sets it).',
    );
  }
  const requestHandler = awsRequestHandler();
  return {
    region: resolved,
    maxAttempts,
    retryMode: 'adaptive',
    ...(requestHandler ? { requestHandler } : {}),
  };
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

/**
 * Why AWS turned the caller's credentials down, if it did: `refused` (keys, token or signature not
 * accepted: wrong or missing role, keys of another account, a wrong region for the token, a skewed clock),
 * `expired` (a session that ran out), `missing` (no credentials found at all). Waiting fixes none of them.
 */
export type CredentialProblem = 'refused' | 'expired' | 'missing';

const REFUSED_CREDENTIALS = new Set([
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'InvalidClientTokenId',
  'IncompleteSignature',
  'MissingAuthenticationToken',
  'MissingAuthenticationTokenException',
]);

export function credentialProblem(error: unknown): CredentialProblem | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { name = '', message = '' } = error as { name?: string; message?: string };
  if (name === 'CredentialsProviderError') return 'missing';
  if (name === 'ExpiredToken' || name === 'ExpiredTokenException') return 'expired';
  if (REFUSED_CREDENTIALS.has(name)) return /expired/i.test(message) ? 'expired' : 'refused';
  return undefined;
}

/** The sentence for refused credentials: what to check, not a permission to add (none would help). */
export function refusedCredentialsAdvice(operation: string, region: string, errorName: string): string {
  return `AWS refused the credentials for ${operation} in ${region} (${errorName}): the request was not signed by a key AWS accepts, so no IAM permission would help. Check that aws-actions/configure-aws-credentials ran before this step in the same job, that it assumed the role you meant (of the account that owns the resources), that the region is right ("aws-region" or AWS_REGION), and that no stale AWS_ACCESS_KEY_ID / AWS_SESSION_TOKEN overrides it.`;
}

/**
 * The shape of an AWS region code (`eu-west-1`, `us-gov-west-1`, `cn-north-1`, `us-isob-east-1`). Only the
 * shape is checked, on purpose: the list of regions grows, and a list copied into code goes stale.
 */
export const REGION_SHAPE = /^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d+$/;
