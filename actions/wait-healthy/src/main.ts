import * as core from '@actions/core';

import { readInputs } from './inputs.js';

export async function main(): Promise<void> {
  const inputs = readInputs();
  core.info(`Checking ${inputs.urls.length} URL(s) for up to ${inputs.timeoutMs} ms.`);
  await Promise.resolve();
}
