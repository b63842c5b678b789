import type { Finding, FlowStep, SourceFile } from '../../../findings.js';
import { makeFinding } from '../../../rules.js';
import {
  type AstNode,
  child,
  children,
  columnOf,
  isMember,
  lineOf,
  propertyName,
  stringValue,
  unwrap,
} from '../ast.js';
import { FAMILY, type Family } from '../families.js';
import type { FileModel } from '../scopes.js';
import type { Taint, TaintEngine } from '../taint.js';

/** What every sink check gets: the file, its model, the taint engine, and a way to report. */
export class SinkContext {
  readonly findings: Finding[] = [];
  private readonly seen = new Set<string>();

  readonly file: SourceFile;
  readonly program: AstNode;
  readonly model: FileModel;
  readonly taint: TaintEngine;

  constructor(file: SourceFile, program: AstNode, model: FileModel, taint: TaintEngine) {
    this.file = file;
    this.program = program;
    this.model = model;
    this.taint = taint;
  }

  /** The taint reaching `node` that no sanitizer or check cleared for `family`. */
  tainted(node: AstNode | undefined, family: Family): Taint | undefined {
    const taint = this.taint.of(node);
    return taint && (taint.cleared & FAMILY[family]) === 0 ? taint : undefined;
  }

  /**
   * Reports `ruleId` at `node`. With a taint, the message names the source and the finding carries the
   * path (SARIF codeFlows); one finding per rule and line.
   */
  report(ruleId: string, node: AstNode, what: string, taint?: Taint): void {
    const line = lineOf(node);
    const key = `${ruleId}:${line}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    const message = taint
      ? `${what} receives ${taint.source} (user input, line ${lineOf(taint.hops[0]!.node)}).`
      : `${what}.`;
    const finding = makeFinding(ruleId, this.file.path, line, message, { column: columnOf(node) });
    if (taint) {
      const flow: FlowStep[] = taint.hops.map((hop) => ({
        file: this.file.path,
        line: lineOf(hop.node),
        column: columnOf(hop.node),
        message: hop.message,
      }));
      flow.push({ file: this.file.path, line, column: columnOf(node), message: `sink: ${what}` });
      finding.flow = flow;
    }
    this.findings.push(finding);
  }

  /** A string literal, or a name bound once to one (`const cmd = 'ls'`). */
  constantString(node: AstNode | undefined, depth = 0): string | undefined {
    const expression = unwrap(node);
    const literal = stringValue(expression);
    if (literal !== undefined || !expression || depth > 3) return literal;
    if (expression.type === 'Identifier') {
      const binding = this.model.resolve(expression);
      if (
        binding?.kind === 'const' &&
        binding.assignments.length === 1 &&
        binding.assignments[0]!.props.length === 0
      )
        return this.constantString(binding.assignments[0]!.value, depth + 1);
    }
    if (expression.type === 'BinaryExpression' && expression['operator'] === '+') {
      const left = this.constantString(child(expression, 'left'), depth + 1);
      const right =
        left === undefined ? undefined : this.constantString(child(expression, 'right'), depth + 1);
      return left !== undefined && right !== undefined ? left + right : undefined;
    }
    return undefined;
  }

  /**
   * A template with holes or a `+` concatenation with some non-constant part, unless what fills the holes
   * is input made safe (`'kill ' + parseInt(pid)`, `mysql.escape(x)`).
   */
  isDynamicString(node: AstNode | undefined): boolean {
    const expression = unwrap(node);
    if (this.taint.of(expression)) return false; // tainted: judged by the taint path, sanitizers included
    if (expression?.type === 'TemplateLiteral')
      return children(expression, 'expressions').some((part) => this.constantString(part) === undefined);
    if (expression?.type === 'BinaryExpression' && expression['operator'] === '+')
      return this.constantString(expression) === undefined && this.staticText(expression) !== undefined;
    return false;
  }

  /**
   * The literal text of a string built from literals and holes (holes become a space), following a name
   * bound to such a string; undefined when nothing literal is there.
   */
  staticText(node: AstNode | undefined, depth = 0): string | undefined {
    const expression = unwrap(node);
    if (!expression || depth > 3) return undefined;
    const constant = stringValue(expression);
    if (constant !== undefined) return constant;
    switch (expression.type) {
      case 'TemplateLiteral':
        return children(expression, 'quasis')
          .map((quasi) => (quasi['value'] as { raw: string }).raw)
          .join(' ');
      case 'BinaryExpression': {
        if (expression['operator'] !== '+') return undefined;
        const left = this.staticText(child(expression, 'left'), depth + 1);
        const right = this.staticText(child(expression, 'right'), depth + 1);
        return left === undefined && right === undefined ? undefined : `${left ?? ' '}${right ?? ' '}`;
      }
      case 'Identifier': {
        const binding = this.model.resolve(expression);
        if (!binding || binding.kind === 'param' || binding.kind === 'import') return undefined;
        const texts = binding.assignments
          .filter((assignment) => assignment.props.length === 0 && !assignment.into)
          .map((assignment) => this.staticText(assignment.value, depth + 1))
          .filter((text) => text !== undefined);
        return texts.length > 0 ? texts.join(' ') : undefined;
      }
      default:
        return undefined;
    }
  }

  /** A name's single value when it is bound once (`const options = { ... }`), else the node itself. */
  valueOf(node: AstNode | undefined): AstNode | undefined {
    const expression = unwrap(node);
    if (expression?.type !== 'Identifier') return expression;
    const binding = this.model.resolve(expression);
    if (
      binding &&
      binding.kind !== 'param' &&
      binding.assignments.length === 1 &&
      binding.assignments[0]!.props.length === 0
    )
      return unwrap(binding.assignments[0]!.value);
    return expression;
  }

  /**
   * The taint a URL carries into a request or a redirect, unless a literal scheme+host (`https://api.x/`)
   * or a same-site path (`/users/`) is fixed in front of it.
   */
  urlTaint(node: AstNode | undefined, family: Family, depth = 0): Taint | undefined {
    const expression = unwrap(node);
    if (!expression) return undefined;
    let prefix: string | undefined;
    if (expression.type === 'TemplateLiteral') {
      const first = children(expression, 'quasis')[0];
      prefix = (first?.['value'] as { cooked?: string } | undefined)?.cooked ?? '';
      // `https://host${req.url}`: a request's path always starts with '/', so the host stays fixed.
      const hole = unwrap(children(expression, 'expressions')[0]);
      if (
        /^[a-z][\w+.-]*:\/\/[^/?#]+$/i.test(prefix) &&
        isMember(hole) &&
        /^(url|originalUrl|path)$/.test(propertyName(hole) ?? '')
      )
        prefix += '/';
    } else if (expression.type === 'BinaryExpression' && expression['operator'] === '+') {
      let left: AstNode | undefined = expression;
      while (left?.type === 'BinaryExpression' && left['operator'] === '+')
        left = unwrap(child(left, 'left'));
      prefix = this.constantString(left);
    } else if (expression.type === 'Identifier' && depth < 3) {
      const value = this.valueOf(expression);
      if (value && value !== expression) {
        const binding = this.model.resolve(expression);
        return binding && this.taint.ofBinding(binding) && this.urlTaint(value, family, depth + 1)
          ? this.tainted(expression, family)
          : undefined;
      }
    }
    if (prefix !== undefined && /^([a-z][\w+.-]*:)?\/\/[^/?#]+[/?#]|^\/(?![/\\])|^\.\.?\//i.test(prefix))
      return undefined;
    return this.tainted(expression, family);
  }
}
