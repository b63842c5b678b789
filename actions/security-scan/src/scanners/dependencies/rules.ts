import type { Rule } from '../../rules.js';

/** Rules of the dependency and image scanners (severity per finding comes from the vulnerability's CVSS). */
export const DEPENDENCY_RULES: readonly Rule[] = [
  {
    id: 'dep-advisory',
    severity: 'high',
    category: 'dependencies',
    title: 'Locked dependency with a known vulnerability (OSV)',
    fix: 'Upgrade to a fixed version (the message names it) and regenerate the lockfile.',
  },
  {
    id: 'dep-image-package',
    severity: 'high',
    category: 'dependencies',
    title: 'Package in the built image with a known vulnerability (OSV)',
    fix: 'Rebuild on a patched base image or upgrade the package (the message names the fixed version).',
  },
];
