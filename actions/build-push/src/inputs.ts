import { getBoolean, getString } from '../../../shared/inputs.js';

export interface BuildPushInputs {
  repository: string;
  context: string;
  push: boolean;
}

export function readInputs(): BuildPushInputs {
  return {
    repository: getString('repository', { required: true }),
    context: getString('context') || '.',
    push: getBoolean('push', true),
  };
}
