import * as core from '@actions/core';

import { readInputs } from './inputs.js';

export async function main(): Promise<void> {
  const inputs = readInputs();
  core.info(`Inputs: ${JSON.stringify(inputs)}`);
  await Promise.resolve();
}
