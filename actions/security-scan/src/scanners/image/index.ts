import type { Finding } from '../../findings.js';
import { osvFindings } from '../dependencies/index.js';
import type { OsvClient } from '../dependencies/osv.js';
import type { LockedPackage } from '../dependencies/types.js';
import { type GoBuildInfo, goBinaryPackages } from './go-binary.js';
import { LayeredFiles, RPM_DATABASES } from './layers.js';
import { apkPackages, dpkgPackages, nodePackage, osEcosystem, pythonDistribution } from './packages.js';
import { parseImageReference } from './reference.js';
import { type FetchLike, ImageRegistryClient } from './registry.js';
import { rpmPackages } from './rpm.js';

export { parseImageReference } from './reference.js';

export interface ImageScanOptions {
  image: string;
  username?: string;
  password?: string;
  fetch?: FetchLike;
}

export interface ImageScanResult {
  findings: Finding[];
  /** Why the image (or its vulnerabilities) could not be checked. */
  unreachable: { file: string; reason: string }[];
  packages: LockedPackage[];
  /** What the summary and log say: the digest read, OS, counts. */
  digest?: string;
  os?: string;
  layers: number;
  bytesRead: number;
}

const RPM_DISTRIBUTIONS = ['AlmaLinux:', 'Rocky Linux:'];

/**
 * The installed packages the final filesystem's databases list, each attributed to its path in the image.
 * Files come as read from the layers (bytes) or as text.
 */
export async function imagePackages(
  files: ReadonlyMap<string, string | Uint8Array>,
  goBinaries: ReadonlyMap<string, GoBuildInfo> = new Map(),
): Promise<{
  packages: LockedPackage[];
  os?: string;
  /** Package databases that could not be read, with why. */
  unreadable: { file: string; reason: string }[];
}> {
  const asText = (content: string | Uint8Array | undefined): string | undefined =>
    content === undefined || typeof content === 'string' ? content : Buffer.from(content).toString('utf8');
  const ecosystem = osEcosystem(asText(files.get('etc/os-release') ?? files.get('usr/lib/os-release')));
  const packages: LockedPackage[] = [];
  const unreadable: { file: string; reason: string }[] = [];
  for (const [path, content] of files) {
    if (RPM_DATABASES.includes(path)) {
      if (!ecosystem || !RPM_DISTRIBUTIONS.some((prefix) => ecosystem.startsWith(prefix))) continue;
      try {
        packages.push(...(await rpmPackages(Buffer.from(content), ecosystem, path)));
      } catch (error: unknown) {
        const reason = error instanceof Error ? error.message : String(error);
        unreadable.push({ file: path, reason: `not a readable rpm database (${reason})` });
      }
      continue;
    }
    const text = asText(content)!;
    if (
      (ecosystem?.startsWith('Debian:') || ecosystem?.startsWith('Ubuntu:')) &&
      (path === 'var/lib/dpkg/status' || path.startsWith('var/lib/dpkg/status.d/'))
    ) {
      packages.push(...dpkgPackages(text, ecosystem, path));
    } else if (ecosystem?.startsWith('Alpine') && path === 'lib/apk/db/installed') {
      packages.push(...apkPackages(text, ecosystem, path));
    } else if (path.endsWith('/package.json')) {
      const found = nodePackage(text, path);
      if (found) packages.push(found);
    } else if (path.endsWith('.dist-info/METADATA')) {
      const found = pythonDistribution(text, path);
      if (found) packages.push(found);
    }
  }
  for (const [path, info] of goBinaries) packages.push(...goBinaryPackages(info, path));
  return ecosystem ? { packages, os: ecosystem, unreadable } : { packages, unreadable };
}

/**
 * What the log says about a scanned image: what was read, the OS and each OS package with its version (the
 * list a reviewer compares with the Dockerfile's base), and the count of language packages per ecosystem.
 */
export function describeImageScan(image: string, result: ImageScanResult): string[] {
  if (!result.digest) return [`Image ${image}: not read.`];
  const megabytes = (result.bytesRead / 1024 / 1024).toFixed(1);
  const lines = [`Image ${image}: ${result.digest}, ${result.layers} layer(s), ${megabytes} MB read.`];
  const os = result.packages.filter((pkg) => pkg.ecosystem === result.os);
  if (!result.os) {
    lines.push(
      'No os-release of a known distribution (Debian, Ubuntu, Alpine, AlmaLinux, Rocky Linux): OS packages not checked.',
    );
  } else {
    const listed = os.map((pkg) => `${pkg.name} ${pkg.version}`).sort();
    lines.push(
      `${result.os}: ${os.length} OS package(s)${listed.length > 0 ? `: ${listed.join(', ')}` : ' (no package database)'}.`,
    );
  }
  const others = new Map<string, number>();
  for (const pkg of result.packages)
    if (pkg.ecosystem !== result.os) others.set(pkg.ecosystem, (others.get(pkg.ecosystem) ?? 0) + 1);
  const counts = [...others].map(([ecosystem, count]) => `${count} ${ecosystem}`).join(', ');
  lines.push(`Language packages: ${counts || 'none'}.`);
  return lines;
}

/**
 * Reads an image through the registry API (manifest, then each layer streamed through gunzip and tar, never
 * written to disk), lists its OS and language packages, and checks them against OSV. Findings point at
 * `reportFile` (the repository's Dockerfile when there is one) and name the path inside the image.
 */
export async function scanImage(
  options: ImageScanOptions,
  client: OsvClient,
  reportFile: { path: string; line: number },
): Promise<ImageScanResult> {
  const result: ImageScanResult = { findings: [], unreachable: [], packages: [], layers: 0, bytesRead: 0 };
  const reference = parseImageReference(options.image)!;
  const credentials =
    options.username && options.password
      ? { username: options.username, password: options.password }
      : undefined;
  const registry = new ImageRegistryClient(reference, credentials, options.fetch);
  const union = new LayeredFiles();
  try {
    const { digest, layers } = await registry.layers();
    result.digest = digest;
    result.layers = layers.length;
    for (const [index, layer] of layers.entries()) {
      await union.addLayer(index, await registry.blob(layer.digest), layer.mediaType);
    }
  } catch (error: unknown) {
    const reason = error instanceof Error ? error.message : String(error);
    result.unreachable.push({ file: options.image, reason });
    return result;
  } finally {
    result.bytesRead = union.bytesRead;
  }
  const { packages, os, unreadable } = await imagePackages(union.contents(), union.goBinaries());
  if (os) result.os = os;
  result.packages = packages;
  for (const { file, reason } of unreadable)
    result.unreachable.push({ file: options.image, reason: `/${file}: ${reason}` });
  try {
    const findings = await osvFindings(packages, client, 'dep-image-package');
    result.findings = findings.map((finding) => ({
      ...finding,
      file: reportFile.path,
      line: reportFile.line,
      message: `Image ${options.image}, /${finding.file}: ${finding.message}`,
    }));
  } catch (error: unknown) {
    result.unreachable.push({
      file: options.image,
      reason: error instanceof Error ? error.message : String(error),
    });
  }
  return result;
}
