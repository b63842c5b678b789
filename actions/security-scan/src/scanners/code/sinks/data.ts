import { booleanValue, child, children, isMember, objectProperties, unwrap } from '../ast.js';
import { calleeLastName, canonicalName } from '../names.js';
import type { SinkContext } from './context.js';

/** XML parser options that expand external entities or load DTDs (libxmljs `noent`, xml2js/sax-like flags). */
const ENTITY_OPTIONS = [
  'noent',
  'dtdload',
  'resolveExternalEntities',
  'expandEntities',
  'entities',
  'external',
];
const XML_CALL = /xml|sax|parse/i;

/** XML external entities (CWE-611): parsing with entity expansion on. */
export function checkXxe(context: SinkContext): void {
  for (const call of context.model.calls) {
    const name = canonicalName(child(call, 'callee'), context.model) ?? '';
    const last = calleeLastName(call) ?? '';
    if (
      !/^(libxmljs|xml2js|xmldom|@xmldom\/xmldom|node-expat|sax|libxml|xmllint)/.test(name) &&
      !XML_CALL.test(last)
    )
      continue;
    for (const arg of children(call, 'arguments')) {
      const options = objectProperties(context.valueOf(arg));
      const option = ENTITY_OPTIONS.find(
        (key) => options.has(key) && booleanValue(options.get(key)) === true,
      );
      if (!option || (option === 'entities' && !name.startsWith('xml2js'))) continue;
      context.report(
        'code-xxe',
        call,
        `${name || last}() parses XML with ${option}: true (external entities expanded)`,
      );
      break;
    }
  }
}

/** Deep merges and path setters: a `__proto__` key in the input writes to Object.prototype. */
const DEEP_MERGES =
  /^(lodash|_|underscore)\.(merge|mergeWith|defaultsDeep|set|setWith|zipObjectDeep)$|^lodash\.(merge|mergewith|defaultsdeep|set|setwith)$|^(deepmerge|deepmerge\.all|merge|merge\.recursive|mixin-deep|defaults-deep|deep-extend|set-value|dot-prop\.set|object-path\.set|@hapi\/hoek\.merge|hoek\.merge|extend|just-extend|merge-deep|assign-deep|deap\.merge)$/;

/** Prototype pollution (CWE-1321): deep merges and setters fed from input; `obj[a][b] = v` with input keys. */
export function checkPrototypePollution(context: SinkContext): void {
  for (const call of context.model.calls) {
    const name = canonicalName(child(call, 'callee'), context.model) ?? '';
    const args = children(call, 'arguments');
    const jqueryDeep = /^(\$|jQuery|jquery)\.extend$/.test(name) && booleanValue(args[0]) === true;
    if (!DEEP_MERGES.test(name) && !jqueryDeep) continue;
    const setter = /set/i.test(name.split('.').pop() ?? '');
    const inputs = setter ? args.slice(1, 2) : args.slice(jqueryDeep ? 2 : 1);
    for (const input of inputs) {
      const taint = context.tainted(input, 'proto');
      if (taint && (setter || taint.objectLike)) {
        context.report(
          'code-prototype-pollution',
          call,
          `${name}() ${setter ? 'writes at a property path' : 'deep-merges an object'} that`,
          taint,
        );
        break;
      }
    }
  }
  for (const assignment of context.model.assignments) {
    const left = unwrap(child(assignment, 'left'));
    const inner = isMember(left) && left['computed'] ? unwrap(child(left, 'object')) : undefined;
    if (!isMember(inner) || !inner['computed']) continue;
    const taint = context.tainted(child(inner, 'property'), 'proto');
    if (taint && context.tainted(child(left!, 'property'), 'proto'))
      context.report(
        'code-prototype-pollution',
        assignment,
        'obj[key][key2] = value writes with keys where the first',
        taint,
      );
  }
}

/** Insecure deserialization (CWE-502): node-serialize and friends, js-yaml's unsafe loaders. */
export function checkDeserialization(context: SinkContext): void {
  for (const call of context.model.calls) {
    const name = canonicalName(child(call, 'callee'), context.model) ?? '';
    const args = children(call, 'arguments');
    const always =
      /^(node-serialize\.unserialize|serialize-to-js\.deserialize|funcster\.deepDeserialize|cryo\.parse|js-yaml\.(unsafeLoad|unsafeLoadAll))$/.test(
        name,
      );
    const yamlLoad = /^js-yaml\.(load|loadAll|safeLoad)$/.test(name);
    if (!always && !yamlLoad) continue;
    const taint = context.tainted(args[0], 'deserialization');
    const schema =
      canonicalName(objectProperties(context.valueOf(args[1])).get('schema'), context.model) ?? '';
    const fullSchema = /FULL_SCHEMA$/.test(schema);
    if (always && taint)
      context.report(
        'code-insecure-deserialization',
        call,
        `${name}() runs code embedded in data; it`,
        taint,
      );
    else if (always && context.constantString(args[0]) === undefined)
      context.report(
        'code-insecure-deserialization',
        call,
        `${name}() runs code embedded in the data it reads`,
      );
    else if (yamlLoad && fullSchema)
      context.report(
        'code-insecure-deserialization',
        call,
        `${name}() with the full schema builds functions from YAML`,
      );
    else if (yamlLoad && taint && name !== 'js-yaml.safeLoad')
      context.report(
        'code-insecure-deserialization',
        call,
        `${name}() (unsafe in js-yaml < 4) parses data that`,
        taint,
      );
  }
}
