import { classifyAwsError, credentialProblem, refusedCredentialsAdvice } from '../../../shared/aws.js';
import { ConfigurationError, errorMessage } from '../../../shared/errors.js';
import { retry } from '../../../shared/retry.js';

/** The IAM action each API call needs, named in AccessDenied messages. */
export type EcsOperation =
  | 'ecs:DescribeServices'
  | 'ecs:DescribeTaskDefinition'
  | 'ecs:RegisterTaskDefinition'
  | 'ecs:UpdateService'
  | 'ecs:CreateService'
  | 'ecs:ListTasks'
  | 'ecs:DescribeTasks'
  | 'ecs:RunTask'
  | 'ecs:StopTask'
  | 'ecs:ListTaskDefinitions'
  | 'ecs:DeregisterTaskDefinition'
  | 'logs:GetLogEvents'
  | 'elasticloadbalancing:DescribeTargetHealth';

export interface CallContext {
  operation: EcsOperation;
  /** What the call was about, e.g. `service orders in cluster prod`. */
  subject: string;
  region: string;
}

export interface CallOptions {
  sleep: (ms: number) => Promise<void>;
  random?: () => number;
  onRetry?: (message: string) => void;
  /** Retries of throttling / 5xx / network errors on top of the SDK's own. */
  attempts?: number;
}

const EXPIRED = /expired/i;

/**
 * A sentence for an AWS error that is not worth retrying: which permission, credential or name is wrong.
 * AccessDenied and expired credentials never get better by waiting, unlike the SDK waiter assumes.
 */
export function explainAwsError(error: unknown, context: CallContext): Error {
  const kind = classifyAwsError(error);
  const name = typeof error === 'object' && error !== null ? ((error as { name?: string }).name ?? '') : '';
  const detail = errorMessage(error);
  const credentials = credentialProblem(error);
  if (credentials === 'missing') {
    return new Error(
      `No AWS credentials for ${context.operation}: run aws-actions/configure-aws-credentials (OIDC role) before this step, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.`,
    );
  }
  if (credentials === 'expired' || (kind === 'auth' && (EXPIRED.test(name) || EXPIRED.test(detail)))) {
    return new Error(
      `The AWS credentials expired during ${context.operation} on ${context.subject} (${name}): give the role session more time (configure-aws-credentials "role-duration-seconds") or shorten the deploy.`,
    );
  }
  if (credentials === 'refused') {
    return new Error(refusedCredentialsAdvice(context.operation, context.region, name));
  }
  if (kind === 'auth') {
    return new Error(
      `AWS denied ${context.operation} on ${context.subject} in ${context.region} (${name || 'AccessDenied'}): allow "${context.operation}" for the role this job runs as (see the README's IAM section).`,
    );
  }
  if (name === 'ClusterNotFoundException') {
    return new ConfigurationError(
      `Input "cluster" names a cluster that does not exist in ${context.region} (${context.subject}): check the cluster name and the region.`,
    );
  }
  if (name === 'ServiceNotFoundException' || name === 'ServiceNotActiveException') {
    return new ConfigurationError(
      `Input "services" names ${context.subject}, which is missing or inactive in ${context.region}: check the name, or set create-service-if-missing: true.`,
    );
  }
  if (kind === 'invalid') {
    return new Error(`ECS refused ${context.operation} on ${context.subject}: ${detail}`);
  }
  return new Error(`${context.operation} on ${context.subject} failed: ${name ? `${name}: ` : ''}${detail}`);
}

const RETRYABLE = new Set(['throttle', 'server', 'network']);

/** Runs one AWS call, retrying throttling and transient errors with jitter, explaining the rest. */
export async function callAws<T>(
  context: CallContext,
  options: CallOptions,
  call: () => Promise<T>,
): Promise<T> {
  try {
    return await retry(call, {
      attempts: options.attempts ?? 8,
      minDelayMs: 250,
      maxDelayMs: 8000,
      isRetryable: (error) => RETRYABLE.has(classifyAwsError(error)),
      sleep: options.sleep,
      ...(options.random ? { random: options.random } : {}),
      onRetry: (error, attempt, delayMs) =>
        options.onRetry?.(
          `${context.operation} on ${context.subject}: ${errorMessage(error)}; retry ${attempt} in ${delayMs} ms`,
        ),
    });
  } catch (error: unknown) {
    throw explainAwsError(error, context);
  }
}
