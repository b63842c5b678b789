import { accessSync, constants, mkdirSync, realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';

import { ConfigurationError } from '../../../shared/errors.js';
import { quoteInput } from '../../../shared/inputs.js';

/** Pseudo-filesystems where a "file" is a kernel interface: writing there can hang or change the machine. */
const KERNEL_FILESYSTEMS = ['/proc', '/sys'];

function isInside(path: string, directory: string): boolean {
  const between = relative(directory, path);
  return between === '' || (!between.startsWith(`..${sep}`) && between !== '..' && !isAbsolute(between));
}

/**
 * The directory to scan: `path` resolved against the workspace, symlinks followed, and refused unless it is
 * the workspace or inside it (a scan of /etc or of a link pointing out is not a scan of this repository).
 */
export function resolveScanRoot(workspace: string, path: string): string {
  const realWorkspace = realpathSync(workspace);
  let root: string;
  try {
    root = realpathSync(resolve(workspace, path));
  } catch {
    throw new ConfigurationError(
      `Input "path" must be a directory in the workspace, but ${quoteInput(path)} is not one.`,
    );
  }
  if (!isInside(root, realWorkspace)) {
    throw new ConfigurationError(
      `Input "path" must be a directory in the workspace (${realWorkspace}), but ${quoteInput(path)} is ${root}, outside it.`,
    );
  }
  if (!statSync(root).isDirectory()) {
    throw new ConfigurationError(
      `Input "path" must be a directory in the workspace, but ${quoteInput(path)} is not one.`,
    );
  }
  return root;
}

function sarifError(raw: string, what: string): ConfigurationError {
  return new ConfigurationError(`Input "sarif-file" ${quoteInput(raw)} ${what}.`);
}

/** The closest ancestor of `path` that exists (the path itself if it does), with symlinks followed. */
function nearestExisting(path: string): { existing: string; real: string } {
  for (let current = path; ; current = dirname(current)) {
    try {
      return { existing: current, real: realpathSync(current) };
    } catch {
      if (dirname(current) === current) return { existing: current, real: current };
    }
  }
}

/**
 * Checks where the SARIF report will go before any scanning, so a bad `sarif-file` fails in a second with
 * its name, not after the scan with a raw EEXIST (or a hang on /proc): the directory must exist or be
 * creatable (it is created), the path must not be a directory or anything but a regular file, must not be
 * on /proc or /sys, and must be writable. Returns the absolute path.
 */
export function prepareSarifFile(workspace: string, raw: string, fallback: string): string {
  const target = resolve(workspace, raw || fallback);
  const shown = raw || target;
  const { existing, real } = nearestExisting(target);
  if (KERNEL_FILESYSTEMS.some((kernel) => isInside(target, kernel) || isInside(real, kernel))) {
    throw sarifError(
      shown,
      `is under ${real.startsWith('/sys') || target.startsWith('/sys') ? '/sys' : '/proc'}, not a place for a report; use a path in the workspace or RUNNER_TEMP`,
    );
  }
  if (existing === target) {
    const stats = statSync(target);
    if (stats.isDirectory()) {
      throw sarifError(shown, 'is a directory; give a file path such as reports/security.sarif');
    }
    if (!stats.isFile()) {
      throw sarifError(
        shown,
        'exists and is not a regular file (a device, pipe or socket); give a file path',
      );
    }
  } else {
    if (!statSync(existing).isDirectory()) {
      throw sarifError(shown, `cannot be created: ${existing} is a file, not a directory`);
    }
    try {
      mkdirSync(dirname(target), { recursive: true });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'an error';
      throw sarifError(
        shown,
        `cannot be created: its directory ${dirname(target)} could not be made (${code})`,
      );
    }
  }
  try {
    accessSync(existing === target ? target : dirname(target), constants.W_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'an error';
    throw sarifError(shown, `is not writable (${code})`);
  }
  return target;
}
