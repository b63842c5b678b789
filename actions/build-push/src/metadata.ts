import { createHash } from 'node:crypto';

import type { GitContext } from '../../../shared/git-context.js';

/** Which tags to derive from the git context (docker/metadata-action's common rules, as plain options). */
export interface TagRules {
  /** `long` = the full commit sha, `short` = sha-<7 hex>. */
  sha: 'both' | 'long' | 'short' | 'none';
  /** `auto`: on, except in an IMMUTABLE repository (where a moving tag fails the next build). */
  branch: Toggle;
  pr: Toggle;
  /** `auto` in an IMMUTABLE repository gives only the exact version (1.2.3), not 1.2 and 1. */
  semver: Toggle;
  latest: 'false' | 'true' | 'default-branch';
  /** The target repository refuses to move tags (ECR IMMUTABLE). */
  immutable: boolean;
  /** Extra tags used as given (after sanitising). */
  raw: readonly string[];
}

export type Toggle = 'auto' | 'true' | 'false';

export type TagSource = 'sha' | 'sha-short' | 'branch' | 'pr' | 'semver' | 'git-tag' | 'latest' | 'raw';

export interface ImageTag {
  name: string;
  source: TagSource;
  /** A tag that will point at another image later (branch, latest, 1.2): an IMMUTABLE repository refuses that. */
  moving: boolean;
}

const TAG_MAX = 128;
const VALID_TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

export function isValidTag(tag: string): boolean {
  return VALID_TAG.test(tag);
}

/**
 * Turns any string into a legal Docker tag: illegal characters become `-`, a leading `.`/`-` is dropped,
 * and names over 128 characters keep a hash of the whole so two long branches cannot collide.
 */
export function sanitizeTag(raw: string): string {
  let tag = raw
    .trim()
    .replace(/[^A-Za-z0-9_.-]+/g, '-')
    .replace(/^[.-]+/, '');
  if (tag === '') tag = 'x';
  if (tag.length > TAG_MAX) {
    const hash = createHash('sha256').update(raw).digest('hex').slice(0, 8);
    tag = `${tag.slice(0, TAG_MAX - hash.length - 1).replace(/[.-]+$/, '')}-${hash}`;
  }
  return tag;
}

export interface SemVer {
  major: number;
  minor: number;
  patch: number;
  prerelease?: string;
  build?: string;
}

/**
 * semver's own parser (strict, a leading v allowed). Only the parser is loaded, and only when a version is
 * read (a git tag build): the step's start-up does not carry it.
 */
export async function parseSemver(text: string): Promise<SemVer | undefined> {
  const { default: parseVersion } = await import('semver/functions/parse.js');
  const parsed = parseVersion(text.trim());
  if (!parsed) return undefined;
  const version: SemVer = { major: parsed.major, minor: parsed.minor, patch: parsed.patch };
  if (parsed.prerelease.length > 0) version.prerelease = parsed.prerelease.join('.');
  if (parsed.build.length > 0) version.build = parsed.build.join('.');
  return version;
}

function semverTags(version: SemVer): ImageTag[] {
  const full = `${version.major}.${version.minor}.${version.patch}`;
  if (version.prerelease || version.build) {
    // A pre-release must never move 1.2 or 1; `+` is illegal in a tag, so build metadata gets `-`.
    const exact = [full, version.prerelease && `-${version.prerelease}`, version.build && `-${version.build}`]
      .filter(Boolean)
      .join('');
    return [{ name: sanitizeTag(exact), source: 'semver', moving: false }];
  }
  const tags: ImageTag[] = [
    { name: full, source: 'semver', moving: false },
    { name: `${version.major}.${version.minor}`, source: 'semver', moving: true },
  ];
  // 0.x is not a stable series, so no bare `0` (as docker/metadata-action).
  if (version.major > 0) tags.push({ name: String(version.major), source: 'semver', moving: true });
  return tags;
}

/** The version the build's git tag names (undefined without a tag, or when the tag is not semver). */
export function tagVersion(context: GitContext): Promise<SemVer | undefined> {
  return context.tag ? parseSemver(context.tag) : Promise.resolve(undefined);
}

/**
 * The tags for a build, in a stable order, without duplicates (the first rule that yields a name wins).
 * `version` is tagVersion(context).
 */
export function computeTags(context: GitContext, rules: TagRules, version: SemVer | undefined): ImageTag[] {
  const tags: ImageTag[] = [];
  const add = (name: string, source: TagSource, moving: boolean): void => {
    const clean = sanitizeTag(name);
    if (!tags.some((tag) => tag.name === clean)) tags.push({ name: clean, source, moving });
  };
  const isPullRequest = context.prNumber !== undefined;
  const enabled = (toggle: Toggle): boolean => toggle === 'true' || (toggle === 'auto' && !rules.immutable);

  if (context.sha && (rules.sha === 'both' || rules.sha === 'long')) add(context.sha, 'sha', false);
  if (context.shortSha && (rules.sha === 'both' || rules.sha === 'short')) {
    add(`sha-${context.shortSha}`, 'sha-short', false);
  }
  if (context.tag) {
    const keep = (tag: ImageTag): boolean => !tag.moving || enabled(rules.semver);
    if (version && rules.semver !== 'false')
      for (const tag of semverTags(version).filter(keep)) add(tag.name, tag.source, tag.moving);
    else add(context.tag, 'git-tag', false);
  }
  if (enabled(rules.branch) && context.branch && !isPullRequest) add(context.branch, 'branch', true);
  if (enabled(rules.pr) && isPullRequest) add(`pr-${context.prNumber}`, 'pr', true);
  const onDefaultBranch =
    !isPullRequest && context.branch !== undefined && context.branch === context.defaultBranch;
  if (rules.latest === 'true' || (rules.latest === 'default-branch' && onDefaultBranch)) {
    add('latest', 'latest', true);
  }
  for (const raw of rules.raw) add(raw, 'raw', false);
  return tags;
}

export interface LabelOptions {
  title: string;
  /** User labels; they win over the computed ones. */
  extra: ReadonlyMap<string, string>;
  /** tagVersion(context). */
  version: SemVer | undefined;
}

/** The human version of a build: semver, tag, pr-N, branch, else the short sha. */
export function versionOf(context: GitContext, version: SemVer | undefined): string {
  if (context.tag) return version ? context.tag.replace(/^v/, '') : context.tag;
  if (context.prNumber !== undefined) return `pr-${context.prNumber}`;
  return context.branch ?? context.shortSha;
}

/**
 * OCI annotation labels. `created` is the commit time, not the build time, so rebuilding a commit gives
 * the same image config (and the same digest when layers are cached); it is left out when unknown.
 */
export function computeLabels(context: GitContext, options: LabelOptions): Record<string, string> {
  const labels: Record<string, string> = {};
  const set = (key: string, value: string | undefined): void => {
    if (value) labels[`org.opencontainers.image.${key}`] = value;
  };
  set('title', options.title);
  set('description', context.description);
  set('source', context.repositoryUrl);
  set('url', context.repositoryUrl);
  set('revision', context.sha);
  set('version', versionOf(context, options.version));
  set('created', context.commitTime);
  set('licenses', context.license);
  for (const [key, value] of options.extra) labels[key] = value;
  return labels;
}
