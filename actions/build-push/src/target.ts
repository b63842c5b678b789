import type { ECRClient } from '@aws-sdk/client-ecr';

import { errorMessage } from '../../../shared/errors.js';
import type { BuildPushInputs } from './inputs.js';
import type { Logger } from './publish.js';
import type { Timeline } from './timeline.js';

/** Where the image goes: the repository, how to reach and log in to it, and its tag rules. */
export interface Target {
  /** Repository URI without a tag, e.g. 123.dkr.ecr.us-east-1.amazonaws.com/app or 127.0.0.1:5000/app. */
  image: string;
  /** host[:port] for docker login. */
  host: string;
  /** What the registry HTTP client talks to (scheme included for ECR's proxy endpoint). */
  endpoint: string;
  credentials: { username: string; password: string } | undefined;
  immutable: boolean;
  ecr: ECRClient | undefined;
}

export interface TargetDeps {
  log: Pick<Logger, 'info' | 'warning'>;
  /** Masks a secret in the log (core.setSecret) as soon as it is known. */
  mask: (secret: string) => void;
  /** Records each ECR call. */
  timeline?: Timeline;
}

/** A plain registry from the inputs, or ECR (logged in, repository found or created). */
export async function resolveTarget(inputs: BuildPushInputs, deps: TargetDeps): Promise<Target> {
  if (inputs.registry !== 'ecr') {
    const host = inputs.registry.replace(/^https?:\/\//, '');
    const username = inputs['registry-username'];
    const password = inputs['registry-password'];
    return {
      image: `${host}/${inputs.repository}`,
      host,
      endpoint: inputs.registry,
      credentials: username && password ? { username, password } : undefined,
      immutable: false,
      ecr: undefined,
    };
  }
  if (!inputs.push) {
    // A build-only run (e.g. a pull request from a fork) may have no AWS credentials: build locally then.
    try {
      return await resolveEcr(inputs, deps);
    } catch (error: unknown) {
      deps.log.warning(
        `push is false and ECR is not reachable (${errorMessage(error)}); building as ${inputs.repository} locally.`,
      );
      return {
        image: inputs.repository,
        host: '',
        endpoint: '',
        credentials: undefined,
        immutable: false,
        ecr: undefined,
      };
    }
  }
  return resolveEcr(inputs, deps);
}

async function resolveEcr(inputs: BuildPushInputs, deps: TargetDeps): Promise<Target> {
  // Loaded only for ECR: the AWS SDK (and the proxy-aware agents) would be start-up time wasted on other
  // registries.
  const [{ ECRClient }, { awsClientConfig, ecrLogin, ensureRepository }] = await Promise.all([
    import('@aws-sdk/client-ecr'),
    import('./ecr.js'),
  ]);
  const ecr = new ECRClient(awsClientConfig(inputs['aws-region']));
  const timeline = deps.timeline;
  if (timeline) {
    ecr.middlewareStack.add(
      (next, context) => (args) => timeline.track('aws', `ECR ${context.commandName}`, () => next(args)),
      { step: 'initialize', name: 'shipkitTimeline' },
    );
  }
  // The token and the repository are independent calls: both at once. The token's error (e.g. denied) first.
  const [token, found] = await Promise.allSettled([
    ecrLogin(ecr),
    ensureRepository(ecr, inputs.repository, {
      create: inputs['create-repository'],
      mutability: inputs['image-tag-mutability'],
      scanOnPush: inputs['scan-on-push'],
    }),
  ]);
  if (token.status === 'rejected') throw token.reason;
  const login = token.value;
  deps.mask(login.password);
  if (found.status === 'rejected') throw found.reason;
  const repository = found.value;
  if (repository.created) {
    deps.log.info(
      `Created the ECR repository ${repository.uri} (${inputs['image-tag-mutability']}, scan on push ${inputs['scan-on-push'] ? 'on' : 'off'}).`,
    );
  }
  return {
    image: repository.uri,
    host: login.registry,
    endpoint: login.endpoint,
    credentials: { username: login.username, password: login.password },
    immutable: repository.immutable,
    ecr,
  };
}
