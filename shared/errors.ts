/**
 * A mistake the user can fix in their workflow file: a bad or missing input, a file that is not there,
 * a name that does not exist. The message is one sentence naming the input and the fix; it is printed as
 * a single `::error::` line with no stack trace.
 */
export class ConfigurationError extends Error {
  override readonly name = 'ConfigurationError';
}

/** Why an unknown error happened, in one line, without a stack trace. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}
