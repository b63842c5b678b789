import type { Category, Finding, Severity } from './findings.js';
import { CODE_RULES } from './scanners/code/rules.js';
import { DEPENDENCY_RULES } from './scanners/dependencies/rules.js';
import { LIVE_RULES } from './scanners/live/live-rules.js';
import { PYTHON_RULES } from './scanners/python/rules.js';
import { DOCKERFILE_RULES } from './scanners/dockerfile-rules.js';
import { WORKFLOW_RULES } from './scanners/workflows/rules.js';
import { SECRET_RULE_METADATA } from './secrets/catalog.js';

/** A rule as documented in the README and described to code scanning in SARIF. */
export interface Rule {
  id: string;
  severity: Severity;
  category: Category;
  title: string;
  fix: string;
  /** OWASP id where the rule maps to one: CI/CD Top 10 (CICD-SEC-4) or, for live checks, Top 10 (2021). */
  owasp?: string;
}

const RULE_LIST: readonly Rule[] = [
  // Secrets: one rule per provider family (src/secrets/catalog.ts).
  ...SECRET_RULE_METADATA,
  ...DOCKERFILE_RULES,
  ...WORKFLOW_RULES,
  ...DEPENDENCY_RULES,
  ...PYTHON_RULES,
  ...CODE_RULES,
  ...LIVE_RULES,
];

export const RULES: ReadonlyMap<string, Rule> = new Map(RULE_LIST.map((rule) => [rule.id, rule]));

export function ruleById(id: string): Rule {
  const rule = RULES.get(id);
  if (!rule) throw new Error(`Unknown rule ${id}`);
  return rule;
}

/** A finding of `ruleId` with the rule's severity, category and fix unless overridden. */
export function makeFinding(
  ruleId: string,
  file: string,
  line: number,
  message: string,
  extra: Partial<Omit<Finding, 'ruleId' | 'file' | 'line' | 'message'>> = {},
): Finding {
  const rule = ruleById(ruleId);
  return {
    ruleId,
    severity: rule.severity,
    category: rule.category,
    file,
    line,
    message,
    fix: rule.fix,
    ...extra,
  };
}
