import type { Finding, Severity } from '../../findings.js';
import { makeFinding } from '../../rules.js';
import type { OsvAffected, OsvEvent, OsvVulnerability } from './osv.js';
import { vulnerabilitySeverity } from './severity.js';
import type { LockedPackage } from './types.js';
import { orderFor, type VersionOrder } from './versions.js';

/** Severity when a record rates itself in no way we can read: not high enough to fail a default gate. */
const UNRATED: Severity = 'medium';

function samePackage(affected: OsvAffected, ecosystem: string, name: string): boolean {
  const listed = affected.package;
  if (!listed?.name || !listed.ecosystem) return false;
  const sameEcosystem =
    listed.ecosystem === ecosystem || listed.ecosystem.split(':')[0] === ecosystem.split(':')[0];
  const sameName =
    ecosystem === 'PyPI' ? listed.name.toLowerCase().replace(/[-_.]+/g, '-') === name : listed.name === name;
  return sameEcosystem && sameName;
}

/** The `fixed` event closing the affected interval `version` falls in, walking events in version order. */
function fixOfRange(events: readonly OsvEvent[], version: string, order: VersionOrder): string | undefined {
  const point = (event: OsvEvent): string =>
    event.introduced ?? event.fixed ?? event.last_affected ?? event.limit ?? '0';
  const sorted = [...events].sort((a, b) => {
    const [x, y] = [point(a), point(b)];
    if (x === y) return 0;
    if (x === '0') return -1;
    if (y === '0') return 1;
    return order(x, y) ?? 0;
  });
  let inside = false;
  for (const event of sorted) {
    if (event.introduced !== undefined) {
      if (event.introduced === '0' || (order(event.introduced, version) ?? 1) <= 0) inside = true;
      else return undefined;
    } else if (event.fixed !== undefined) {
      if ((order(version, event.fixed) ?? 1) < 0) return inside ? event.fixed : undefined;
      inside = false;
    } else if (event.last_affected !== undefined && (order(version, event.last_affected) ?? 1) > 0) {
      inside = false;
    }
  }
  return undefined;
}

/**
 * The versions fixing `pkg` for this vulnerability: the one closing the range its version is in where the
 * ecosystem's order is known, else every fixed version the record lists for the package.
 */
export function fixedVersions(vulnerability: OsvVulnerability, pkg: LockedPackage): string[] {
  const order = orderFor(pkg.ecosystem);
  const fixes = new Set<string>();
  const listed = new Set<string>();
  for (const affected of vulnerability.affected ?? []) {
    if (!samePackage(affected, pkg.ecosystem, pkg.name)) continue;
    for (const range of affected.ranges ?? []) {
      if (range.type === 'GIT') continue;
      const events = range.events ?? [];
      for (const event of events) if (event.fixed) listed.add(event.fixed);
      const fix = order ? fixOfRange(events, pkg.version, order) : undefined;
      if (fix) fixes.add(fix);
    }
  }
  return [...(fixes.size > 0 ? fixes : listed)];
}

function severityOf(
  vulnerability: OsvVulnerability,
  pkg: LockedPackage,
): { severity: Severity; score?: number } {
  const related = (vulnerability.affected ?? []).filter((affected) =>
    samePackage(affected, pkg.ecosystem, pkg.name),
  );
  const vectors = [
    ...(vulnerability.severity ?? []),
    ...related.flatMap((affected) => (affected as { severity?: [] }).severity ?? []),
  ];
  const words = [
    vulnerability.database_specific?.['severity'],
    ...related.flatMap((affected) => [
      affected.ecosystem_specific?.['severity'],
      affected.ecosystem_specific?.['urgency'],
      affected.database_specific?.['severity'],
    ]),
  ];
  return vulnerabilitySeverity(vectors, words) ?? { severity: UNRATED };
}

/** One finding per package and vulnerability, with its severity from CVSS and the fixing version. */
export function vulnerabilityFinding(
  ruleId: 'dep-advisory' | 'dep-image-package',
  pkg: LockedPackage,
  vulnerability: OsvVulnerability,
): Finding {
  const { severity, score } = severityOf(vulnerability, pkg);
  const aliases = (vulnerability.aliases ?? []).filter((alias) => alias !== vulnerability.id);
  const fixed = fixedVersions(vulnerability, pkg);
  const title =
    vulnerability.summary ?? vulnerability.details?.split('\n')[0]?.slice(0, 200) ?? 'known vulnerability';
  const rating =
    score !== undefined
      ? `CVSS ${score.toFixed(1)}`
      : severity === UNRATED && !vulnerability.severity
        ? 'severity not rated'
        : `rated ${severity}`;
  const ids = [vulnerability.id, ...aliases.slice(0, 3)].join(', ');
  const fixText = fixed.length > 0 ? `Fixed in ${fixed.join(', ')}.` : 'No fixed version is published.';
  const message = `${pkg.name}@${pkg.version} (${pkg.ecosystem}): ${title} (${ids}; ${rating}). ${fixText}`;
  const upgrade =
    ruleId === 'dep-image-package'
      ? 'by rebuilding on a patched base image or upgrading it in the Dockerfile'
      : `and regenerate ${pkg.file.slice(pkg.file.lastIndexOf('/') + 1)}`;
  const fix =
    fixed.length > 0
      ? `Upgrade ${pkg.name} to ${fixed.join(' or ')} (or later) ${upgrade}.`
      : `No release fixes it yet: replace or remove ${pkg.name}, or ignore ${vulnerability.id} with a reason.`;
  return makeFinding(ruleId, pkg.file, pkg.line, message, {
    severity,
    fix,
    aliases: [vulnerability.id, ...aliases],
  });
}
