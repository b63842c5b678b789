import {
  allPaths,
  embeddedExpressions,
  parseExpression,
  valuePaths,
} from '../../../actions/security-scan/src/scanners/workflows/expressions.js';
import { isAttackerPath } from '../../../actions/security-scan/src/scanners/workflows/taint.js';

function values(source: string): string[] {
  const expr = parseExpression(source);
  if (!expr) throw new Error(`does not parse: ${source}`);
  return valuePaths(expr);
}

describe('workflow expressions', () => {
  it('finds ${{ }} blocks, with }} inside a string literal kept in the expression', () => {
    const text = "a ${{ github.sha }} b ${{ format('}}{0}', inputs.x) }}${{x";
    expect(embeddedExpressions(text).map((found) => found.source)).toEqual([
      'github.sha',
      "format('}}{0}', inputs.x)",
    ]);
    expect(embeddedExpressions(text)[0]).toMatchObject({ start: 2, end: 19 });
  });

  it('parses with the GitHub parser: contexts, index syntax, filters and host functions', () => {
    expect(values("inputs['tag-name']")).toEqual(['inputs.tag-name']);
    expect(values('github.event.pull_request.labels.*.name')).toEqual([
      'github.event.pull_request.labels.*.name',
    ]);
    expect(values('GITHUB.HEAD_REF')).toEqual(['github.head_ref']);
    expect(parseExpression("success() && hashFiles('**/x') != ''")).toBeDefined();
    expect(parseExpression('unknowncontext.x')).toBeUndefined();
    expect(parseExpression('github.sha ==')).toBeUndefined();
  });

  it('follows the value: || and && pass operands through, format/join/toJSON pass arguments', () => {
    expect(values("github.head_ref || 'main'")).toEqual(['github.head_ref']);
    expect(values("format('v{0}-{1}', matrix.os, inputs.tag)")).toEqual(['matrix.os', 'inputs.tag']);
    expect(values('toJSON(github.event)')).toEqual(['github.event']);
    expect(values("case(github.event_name == 'push', inputs.a, env.B)")).toEqual(['inputs.a', 'env.b']);
  });

  it('drops values that become booleans: comparisons, !, contains/startsWith', () => {
    expect(values("github.head_ref == 'main'")).toEqual([]);
    expect(values('!github.event.issue.title')).toEqual([]);
    expect(values("contains(github.event.issue.body, 'x')")).toEqual([]);
    expect(values("startsWith(github.head_ref, 'x')")).toEqual([]);
  });

  it('lists every path read, conditions included, longest chains only', () => {
    const expr = parseExpression("contains(github.event.issue.body, 'x') && steps[inputs.id].outputs.y")!;
    expect(allPaths(expr)).toEqual(['github.event.issue.body', 'steps.*.outputs.y', 'inputs.id']);
  });

  it('knows the fields an outsider writes, and objects holding them', () => {
    for (const path of [
      'github.head_ref',
      'github.event.issue.title',
      'github.event.pull_request.head.ref',
      'github.event.commits.*.message',
      'github.event.commits.0.author.name',
      'github.event.workflow_run.head_branch',
      'github.event.pull_request',
      'github.event',
    ])
      expect(isAttackerPath(path)).toBe(true);
    for (const path of [
      'github.sha',
      'github.event.pull_request.number',
      'github.event.pull_request.head.sha',
      'github.event.issue.user.login',
      'github.repository',
    ])
      expect(isAttackerPath(path)).toBe(false);
  });
});

describe('workflow expressions that GitHub would reject', () => {
  it('returns undefined for unparseable or absurdly deep expressions instead of throwing', () => {
    expect(parseExpression(`${'('.repeat(5000)}github.sha${')'.repeat(5000)}`)).toBeUndefined();
    expect(parseExpression("'unterminated")).toBeUndefined();
    expect(embeddedExpressions('${{ never closed')).toEqual([]);
  });
});
