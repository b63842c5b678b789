import * as core from '@actions/core';

import { ConfigurationError } from './errors.js';

/**
 * Typed readers for action inputs. Each names the input in its error, so a user sees
 * `Input "timeout" must be a duration like 90s or 5m, got "soon"` and nothing else.
 * Defaults live in action.yml; the runner passes them in, tests pass them explicitly.
 */

/** Most characters of an input value an error quotes: a pasted file must not fill the log. */
export const EXCERPT_CHARACTERS = 80;

function escapeControl(character: string): string {
  if (character === '\n') return '\\n';
  if (character === '\r') return '\\r';
  return `\\x${character.charCodeAt(0).toString(16).padStart(2, '0')}`;
}

/**
 * An input value as an error quotes it: in double quotes, on one line (line breaks and other control
 * characters shown as escapes), and cut after 80 characters with the full length given, e.g.
 * `"aaaa..." (102400 characters)`. Every message that echoes a value goes through here.
 */
export function quoteInput(value: string, max = EXCERPT_CHARACTERS): string {
  const { shown, length } = cut(value, max);
  return length > max ? `"${shown}..." (${length} characters)` : `"${shown}"`;
}

/** The same excerpt unquoted, for values shown in their own syntax (a regular expression as /.../). */
export function inputExcerpt(value: string, max = EXCERPT_CHARACTERS): string {
  const { shown, length } = cut(value, max);
  return length > max ? `${shown}... (${length} characters)` : shown;
}

function cut(value: string, max: number): { shown: string; length: number } {
  const characters = Array.from(value);
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is escaped here
  const controlCharacters = /[\x00-\x08\x0a-\x1f\x7f]/g;
  const shown = characters.slice(0, max).join('').replace(controlCharacters, escapeControl);
  return { shown, length: characters.length };
}

export function getString(name: string, options: { required?: boolean } = {}): string {
  const value = core.getInput(name).trim();
  if (options.required && value === '') {
    throw new ConfigurationError(`Input "${name}" is required but was empty.`);
  }
  return value;
}

export function getOptionalString(name: string): string | undefined {
  const value = core.getInput(name).trim();
  return value === '' ? undefined : value;
}

/** A secret input: masked in the log before anything else can print it. */
export function getSecret(name: string, options: { required?: boolean } = {}): string | undefined {
  const value = core.getInput(name);
  if (value !== '') core.setSecret(value);
  if (options.required && value === '') {
    throw new ConfigurationError(`Input "${name}" is required but was empty.`);
  }
  return value === '' ? undefined : value;
}

export function getBoolean(name: string, fallback: boolean): boolean {
  const raw = core.getInput(name).trim().toLowerCase();
  if (raw === '') return fallback;
  if (['true', 'yes', 'on', '1'].includes(raw)) return true;
  if (['false', 'no', 'off', '0'].includes(raw)) return false;
  throw new ConfigurationError(`Input "${name}" must be true or false, got ${quoteInput(raw)}.`);
}

export function getInteger(
  name: string,
  fallback: number,
  range: { min?: number; max?: number } = {},
): number {
  const raw = core.getInput(name).trim();
  if (raw === '') return fallback;
  const value = Number(raw);
  if (!/^-?\d+$/.test(raw) || !Number.isSafeInteger(value)) {
    throw new ConfigurationError(`Input "${name}" must be a whole number, got ${quoteInput(raw)}.`);
  }
  if (range.min !== undefined && value < range.min) {
    throw new ConfigurationError(`Input "${name}" must be at least ${range.min}, got ${value}.`);
  }
  if (range.max !== undefined && value > range.max) {
    throw new ConfigurationError(`Input "${name}" must be at most ${range.max}, got ${value}.`);
  }
  return value;
}

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Parses `250ms`, `30s`, `5m`, `1h`, `1m30s`, or a bare number of seconds, into milliseconds. */
export function parseDuration(raw: string): number | undefined {
  const text = raw.trim().toLowerCase();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((part) => part[0]).join('') !== text) return undefined;
  return Math.round(
    parts.reduce((total, [, amount, unit]) => total + Number(amount) * DURATION_UNITS[unit!]!, 0),
  );
}

export function getDuration(
  name: string,
  fallbackMs: number,
  range: { minMs?: number; maxMs?: number } = {},
): number {
  const raw = core.getInput(name).trim();
  if (raw === '') return fallbackMs;
  const value = parseDuration(raw);
  if (value === undefined) {
    throw new ConfigurationError(
      `Input "${name}" must be a duration like 500ms, 30s or 5m, got ${quoteInput(raw)}.`,
    );
  }
  if (range.minMs !== undefined && value < range.minMs) {
    throw new ConfigurationError(
      `Input "${name}" must be at least ${range.minMs} ms, got ${quoteInput(raw)}.`,
    );
  }
  if (range.maxMs !== undefined && value > range.maxMs) {
    throw new ConfigurationError(
      `Input "${name}" must be at most ${range.maxMs} ms, got ${quoteInput(raw)}.`,
    );
  }
  return value;
}

/** A list input: one item a line, or comma-separated; blank lines and `#` comments are skipped. */
export function parseList(raw: string): string[] {
  return raw
    .split(/\r?\n/)
    .map((line) => line.replace(/(^|\s)#.*$/, '').trim())
    .flatMap((line) => line.split(','))
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

export function getList(name: string): string[] {
  return parseList(core.getInput(name));
}

/** `KEY=VALUE` lines (values may contain `=`), as used for build-args and environment variables. */
export function getKeyValues(name: string): Map<string, string> {
  const result = new Map<string, string>();
  for (const [index, line] of core.getInput(name).split(/\r?\n/).entries()) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const separator = trimmed.indexOf('=');
    if (separator <= 0) {
      // No excerpt of the line: in inputs such as `secrets` it may be the secret itself.
      throw new ConfigurationError(
        `Input "${name}" must hold KEY=VALUE lines; line ${index + 1} has no KEY= before its value.`,
      );
    }
    result.set(trimmed.slice(0, separator).trim(), trimmed.slice(separator + 1));
  }
  return result;
}

export function getChoice<T extends string>(name: string, choices: readonly T[], fallback: T): T {
  const raw = core.getInput(name).trim();
  if (raw === '') return fallback;
  if (!(choices as readonly string[]).includes(raw)) {
    throw new ConfigurationError(
      `Input "${name}" must be one of ${choices.join(', ')}, got ${quoteInput(raw)}.`,
    );
  }
  return raw as T;
}
