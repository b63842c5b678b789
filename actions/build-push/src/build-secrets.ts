import { quoteInput } from '../../../shared/inputs.js';
import { ConfigurationError } from '../../../shared/errors.js';
import type { BuildSecret } from './docker-args.js';
import type { SecretInput } from './inputs.js';

/** Secret values reach docker through its environment; the command line only names the variable. */
export function buildSecrets(
  inputs: readonly SecretInput[],
  environment: NodeJS.ProcessEnv = process.env,
): { secrets: BuildSecret[]; env: Record<string, string> } {
  const env: Record<string, string> = {};
  const secrets = inputs.map((secret, index): BuildSecret => {
    if (secret.value !== undefined) {
      const name = `SHIPKIT_BUILD_SECRET_${index}`;
      env[name] = secret.value;
      return { id: secret.id, env: name };
    }
    if (secret.env !== undefined) {
      if (environment[secret.env] === undefined) {
        throw new ConfigurationError(
          `Input "secret-envs": the variable ${quoteInput(secret.env)} for secret ${quoteInput(secret.id)} is not set.`,
        );
      }
      return { id: secret.id, env: secret.env };
    }
    return { id: secret.id, src: secret.file! };
  });
  return { secrets, env };
}
