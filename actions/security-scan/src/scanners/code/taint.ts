import { type AstNode, child, children, isFunction, isMember, propertyName, unwrap } from './ast.js';
import { canonicalName, describe, receiverOf } from './names.js';
import { guardedBindings, sanitizedFamilies } from './sanitizers.js';
import type { Binding, FileModel } from './scopes.js';
import { type Source, SourceFinder } from './sources.js';

/** One hop of a taint path: where it is and what happens there. */
export interface Hop {
  node: AstNode;
  message: string;
}

/** Attacker-controlled data: where it came from, the hops it took, and the families it was made safe for. */
export interface Taint {
  source: string;
  hops: readonly Hop[];
  /** Bit mask of FAMILY values a sanitizer or a check cleared. */
  cleared: number;
  /** May be an object (parsed query string or JSON), which is what NoSQL operator injection needs. */
  objectLike: boolean;
  /** The whole body/query object, not a value read from it. */
  whole: boolean;
}

/** Methods of a tainted value whose result carries no attacker text (booleans, numbers, positions). */
const OPAQUE_METHODS = new Set([
  'includes',
  'startsWith',
  'endsWith',
  'indexOf',
  'lastIndexOf',
  'test',
  'has',
  'localeCompare',
  'charCodeAt',
  'codePointAt',
  'every',
  'some',
  'findIndex',
  'getTime',
  'valueOf',
  'length',
  'size',
  'keys',
]);
/** Functions that hand their arguments' text on: formatting, path and URL building, decoding, parsing. */
const PASS_THROUGH =
  /^(String|JSON\.parse|JSON\.stringify|decodeURIComponent|decodeURI|unescape|atob|Buffer\.from|util\.format|format|path\.(join|resolve|normalize|relative|posix\.join|win32\.join)|url\.(parse|resolve|format)|URL|URLSearchParams|querystring\.parse|qs\.parse|Array\.from|Object\.assign|Object\.values|Object\.entries|structuredClone|Symbol)(\(\))?$/;
/** Array callbacks whose first parameter is an element of the receiver. */
const ELEMENT_CALLBACKS = new Set(['forEach', 'map', 'flatMap', 'filter', 'find', 'some', 'every', 'then']);

/** Demand-driven taint over one file: a value is tainted when some path from a source reaches it. */
export class TaintEngine {
  readonly sources: SourceFinder;
  private readonly guards: Map<Binding, number>;
  private readonly bindingMemo = new Map<Binding, Taint | null>();
  private readonly returnMemo = new Map<AstNode, Taint | null>();
  private readonly expressionMemo = new Map<AstNode, Taint | null>();
  /** Same-file functions -> the calls that pass them arguments. */
  private readonly callSites = new Map<AstNode, AstNode[]>();
  /** Callbacks of `tainted.forEach(fn)` and similar -> the receiver. */
  private readonly callbackReceivers = new Map<AstNode, AstNode>();

  private readonly model: FileModel;

  constructor(model: FileModel) {
    this.model = model;
    this.sources = new SourceFinder(model);
    this.guards = guardedBindings(model);
    for (const call of model.calls) {
      const callee = unwrap(child(call, 'callee'));
      const target = this.sources.functionOf(callee);
      if (target) {
        const sites = this.callSites.get(target) ?? [];
        sites.push(call);
        this.callSites.set(target, sites);
      }
      if (isMember(callee) && ELEMENT_CALLBACKS.has(propertyName(callee) ?? '')) {
        const callback = this.sources.functionOf(children(call, 'arguments')[0]);
        if (callback) this.callbackReceivers.set(callback, child(callee, 'object')!);
      }
    }
  }

  /** The taint of an expression, or undefined when no source reaches it. */
  of(node: AstNode | undefined): Taint | undefined {
    const expression = unwrap(node);
    if (!expression) return undefined;
    const memo = this.expressionMemo.get(expression);
    if (memo !== undefined) return memo ?? undefined;
    this.expressionMemo.set(expression, null); // cycles read as untainted
    const taint = this.compute(expression);
    this.expressionMemo.set(expression, taint ?? null);
    return taint;
  }

  private fromSource(source: Source, node: AstNode): Taint {
    return {
      source: source.label,
      hops: [{ node, message: `source: ${source.label}` }],
      cleared: source.notFor ?? 0,
      objectLike: source.objectLike,
      whole: source.whole,
    };
  }

  private compute(expression: AstNode): Taint | undefined {
    switch (expression.type) {
      case 'Identifier': {
        const binding = this.model.resolve(expression);
        if (binding) return this.ofBinding(binding);
        const source = this.sources.identifierSource(expression);
        return source ? this.fromSource(source, expression) : undefined;
      }
      case 'MemberExpression':
      case 'OptionalMemberExpression': {
        const object = child(expression, 'object');
        const name = propertyName(expression);
        const source = this.sources.fieldSource(object, name);
        if (source) return this.fromSource(source, expression);
        if (name !== undefined && OPAQUE_METHODS.has(name)) return undefined;
        const taint = this.of(object);
        return taint ? { ...taint, whole: false } : undefined;
      }
      case 'TemplateLiteral':
        return asText(firstTaint(children(expression, 'expressions'), this));
      case 'BinaryExpression':
        return expression['operator'] === '+'
          ? asText(this.of(child(expression, 'left')) ?? this.of(child(expression, 'right')))
          : undefined;
      case 'LogicalExpression':
        return this.of(child(expression, 'left')) ?? this.of(child(expression, 'right'));
      case 'ConditionalExpression':
        return this.of(child(expression, 'consequent')) ?? this.of(child(expression, 'alternate'));
      case 'AssignmentExpression':
        return this.of(child(expression, 'right'));
      case 'SequenceExpression':
        return this.of(children(expression, 'expressions').at(-1));
      case 'SpreadElement':
        return this.of(child(expression, 'argument'));
      case 'ArrayExpression': {
        const taint = firstTaint(children(expression, 'elements'), this);
        return taint ? { ...taint, whole: false } : undefined;
      }
      case 'ObjectExpression': {
        const values = children(expression, 'properties').map((property) =>
          property.type === 'SpreadElement' ? property : child(property, 'value'),
        );
        const taint = firstTaint(
          values.filter((value) => value !== undefined && !isFunction(value)) as AstNode[],
          this,
        );
        return taint ? { ...taint, whole: false, objectLike: true } : undefined;
      }
      case 'CallExpression':
      case 'OptionalCallExpression':
      case 'NewExpression':
        return this.ofCall(expression);
      default:
        return undefined;
    }
  }

  private ofCall(call: AstNode): Taint | undefined {
    const source = this.sources.callSource(call);
    if (source) return this.fromSource(source, call);
    const args = children(call, 'arguments');
    const sanitized = sanitizedFamilies(call, this.model);
    if (sanitized !== undefined) {
      const taint = firstTaint(args, this) ?? this.of(receiverOf(call));
      return taint
        ? { ...taint, cleared: taint.cleared | sanitized, objectLike: false, whole: false }
        : undefined;
    }
    const callee = unwrap(child(call, 'callee'));
    const target = this.sources.functionOf(callee);
    if (target) {
      const taint = this.ofReturn(target);
      return taint ? step(taint, call, `returned by ${describe(callee)}()`) : undefined;
    }
    const name = canonicalName(callee, this.model);
    if (name !== undefined && PASS_THROUGH.test(name)) {
      const taint = firstTaint(args, this);
      if (!taint) return undefined;
      return name.startsWith('JSON.parse') ? { ...taint, objectLike: true } : asText(taint);
    }
    if (isMember(callee)) {
      const method = propertyName(callee);
      if (method === undefined || OPAQUE_METHODS.has(method)) return undefined;
      const receiver = this.of(child(callee, 'object'));
      if (receiver) return asText(receiver);
      // 'a'.concat(x), [a, x].join('')
      if (method === 'concat' || method === 'join' || method === 'replace' || method === 'replaceAll')
        return asText(firstTaint(args, this));
    }
    return undefined;
  }

  /** What a same-file function returns, tainted when some return value is. */
  ofReturn(fn: AstNode): Taint | undefined {
    const memo = this.returnMemo.get(fn);
    if (memo !== undefined) return memo ?? undefined;
    this.returnMemo.set(fn, null);
    const taint = firstTaint(this.model.returns.get(fn) ?? [], this);
    this.returnMemo.set(fn, taint ?? null);
    return taint;
  }

  ofBinding(binding: Binding): Taint | undefined {
    const memo = this.bindingMemo.get(binding);
    if (memo !== undefined) return memo ?? undefined;
    this.bindingMemo.set(binding, null);
    let taint = this.computeBinding(binding);
    const guard = this.guards.get(binding);
    if (taint && guard) taint = { ...taint, cleared: taint.cleared | guard };
    this.bindingMemo.set(binding, taint ?? null);
    return taint;
  }

  private computeBinding(binding: Binding): Taint | undefined {
    const parameter = this.sources.parameterSource(binding);
    if (parameter) return this.fromSource(parameter, binding.id);
    if (binding.param) {
      const { fn, index, props } = binding.param;
      for (const call of this.callSites.get(fn) ?? []) {
        const argument = children(call, 'arguments')[index];
        const taint = argument && this.readPath(argument, props, binding.id);
        if (taint) return step(taint, binding.id, `passed to parameter ${binding.name}`);
      }
      const receiver = index === 0 ? this.callbackReceivers.get(fn) : undefined;
      const taint = receiver && this.of(receiver);
      if (taint) return step(taint, binding.id, `element flows into ${binding.name}`);
    }
    for (const assignment of binding.assignments) {
      const taint = this.readPath(assignment.value, assignment.props, assignment.at);
      if (taint) return step(taint, assignment.at, `flows into ${binding.name}`);
    }
    return undefined;
  }

  /** The taint of `value` read at a destructuring path: `const { body } = req` reads req.body. */
  private readPath(value: AstNode, props: readonly string[], at: AstNode): Taint | undefined {
    const first = props[0];
    if (first !== undefined && first !== '*' && first !== '[]') {
      const source = this.sources.fieldSource(value, first);
      if (source) return this.fromSource(source, at);
      if (OPAQUE_METHODS.has(first)) return undefined;
    }
    const taint = this.of(value);
    return taint && props.length > 0 ? { ...taint, whole: false } : taint;
  }
}

function firstTaint(nodes: readonly AstNode[], engine: TaintEngine): Taint | undefined {
  for (const node of nodes) {
    const taint = engine.of(node);
    if (taint) return taint;
  }
  return undefined;
}

/** Text built from a tainted value: no longer an object. */
function asText(taint: Taint | undefined): Taint | undefined {
  return taint ? { ...taint, objectLike: false, whole: false } : undefined;
}

function step(taint: Taint, node: AstNode, message: string): Taint {
  return { ...taint, hops: [...taint.hops, { node, message }] };
}
