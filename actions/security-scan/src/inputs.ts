import { getChoice, getString } from '../../../shared/inputs.js';

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'none'] as const;
export type Severity = (typeof SEVERITIES)[number];

export interface SecurityScanInputs {
  path: string;
  failOn: Severity;
}

export function readInputs(): SecurityScanInputs {
  return { path: getString('path') || '.', failOn: getChoice('fail-on', SEVERITIES, 'high') };
}
