// The pure parts of `npm run release`: versions, the CHANGELOG.md section (Keep a Changelog 1.1.0), and the
// refs to our own actions that a release rewrites so that pipeline.yml@vX.Y.Z runs the actions of vX.Y.Z.
import semver from 'semver';

export const REPOSITORY = 'shipkit/shipkit';
export const REPOSITORY_URL = `https://github.com/${REPOSITORY}`;

/** Released versions in CHANGELOG.md ("## [1.2.3] - 2026-11-29"), newest first as written. */
export function releasedVersions(changelog: string): string[] {
  return [...changelog.matchAll(/^## \[(\d+\.\d+\.\d+[^\]]*)\]/gm)].map((match) => match[1]!);
}

export interface OwnRefs {
  /** The ref our own actions carry in Markdown examples: the latest release's major tag (v1 before any). */
  docs: string;
  /** The ref pipeline.yml gives its own actions: the exact tag of the latest release (v1 before any). */
  workflows: string;
}

export function ownRefs(changelog: string): OwnRefs {
  const latest = releasedVersions(changelog)[0];
  if (!latest) return { docs: 'v1', workflows: 'v1' };
  return { docs: `v${semver.major(latest)}`, workflows: `v${latest}` };
}

/** The tags a release creates or moves: vX.Y.Z, and for a final release vX and vX.Y. */
export function releaseTags(version: string): { exact: string; moving: string[] } {
  const exact = `v${version}`;
  if (semver.prerelease(version)) return { exact, moving: [] };
  return {
    exact,
    moving: [`v${semver.major(version)}`, `v${semver.major(version)}.${semver.minor(version)}`],
  };
}

/** Why `version` cannot be released after what CHANGELOG.md lists, or undefined when it can. */
export function versionProblem(version: string, changelog: string): string | undefined {
  if (semver.valid(version) !== version) {
    return `"${version}" is not a version: give MAJOR.MINOR.PATCH, e.g. 1.2.3 (no "v")`;
  }
  const latest = releasedVersions(changelog)[0];
  if (latest && !semver.gt(version, latest)) {
    return `${version} is not after ${latest}, the latest release in CHANGELOG.md`;
  }
  return undefined;
}

const UNRELEASED = /^## \[Unreleased\][^\n]*\n/m;

/** The notes under [Unreleased], trimmed ('' when there are none). */
export function unreleasedNotes(changelog: string): string | undefined {
  const heading = UNRELEASED.exec(changelog);
  if (!heading) return undefined;
  const rest = changelog.slice(heading.index + heading[0].length);
  const next = /^## \[|^\[[^\]]+\]: /m.exec(rest);
  return (next ? rest.slice(0, next.index) : rest).trim();
}

/**
 * Moves the [Unreleased] notes into a `## [version] - date` section under an empty [Unreleased], and keeps
 * the compare links at the bottom current.
 */
export function changelogWithRelease(changelog: string, version: string, date: string): string {
  const notes = unreleasedNotes(changelog);
  if (notes === undefined) throw new Error('CHANGELOG.md has no "## [Unreleased]" heading');
  const previous = releasedVersions(changelog)[0];
  const heading = UNRELEASED.exec(changelog)!;
  const before = changelog.slice(0, heading.index);
  const rest = changelog.slice(heading.index + heading[0].length);
  const nextSection = /^## \[|^\[[^\]]+\]: /m.exec(rest);
  const after = nextSection ? rest.slice(nextSection.index) : '';
  const links = after.split('\n').filter((line) => /^\[[^\]]+\]: /.test(line));
  const sections = after
    .split('\n')
    .filter((line) => !/^\[[^\]]+\]: /.test(line))
    .join('\n')
    .trim();
  const newLinks = [
    `[Unreleased]: ${REPOSITORY_URL}/compare/v${version}...HEAD`,
    previous
      ? `[${version}]: ${REPOSITORY_URL}/compare/v${previous}...v${version}`
      : `[${version}]: ${REPOSITORY_URL}/releases/tag/v${version}`,
    ...links.filter((line) => !line.startsWith('[Unreleased]: ')),
  ];
  return (
    `${before}## [Unreleased]\n\n## [${version}] - ${date}\n\n${notes}\n` +
    (sections ? `\n${sections}\n` : '') +
    `\n${newLinks.join('\n')}\n`
  );
}

const OWN_WORKFLOW_REF = /(uses:\s*shipkit\/shipkit\/actions\/[a-z0-9-]+)@[^\s#'"]+/g;
const OWN_DOCS_REF = /(uses:\s*shipkit\/[A-Za-z0-9._/-]+)@v\d+(?=[\s'"#]|$)/gm;

/** pipeline.yml with every `uses: shipkit/shipkit/actions/<name>@...` pointing at `tag`. */
export function pinOwnWorkflowRefs(workflow: string, tag: string): string {
  return workflow.replace(OWN_WORKFLOW_REF, `$1@${tag}`);
}

/** A Markdown file with every example `uses: shipkit/...@vN` on `majorTag` (moves the docs to a new major). */
export function pinOwnDocsRefs(markdown: string, majorTag: string): string {
  return markdown.replace(OWN_DOCS_REF, `$1@${majorTag}`);
}
