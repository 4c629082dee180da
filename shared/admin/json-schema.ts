/**
 * A small JSON Schema (2020-12) subset: the keywords the admin API's schemas use, compiled once at cold start
 * into plain functions. The same schema objects are published in the OpenAPI document, so what we document
 * is what we enforce. A keyword we do not implement makes compilation throw: it must never be silently ignored.
 */
export interface JsonSchema {
  type?: 'object' | 'string' | 'boolean' | 'integer' | 'array';
  properties?: Readonly<Record<string, JsonSchema>>;
  required?: readonly string[];
  additionalProperties?: boolean | JsonSchema;
  propertyNames?: JsonSchema;
  maxProperties?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: 'email';
  enum?: readonly string[];
  minimum?: number;
  maximum?: number;
  items?: JsonSchema;
  maxItems?: number;
  uniqueItems?: boolean;
  // annotations only
  title?: string;
  description?: string;
  default?: unknown;
  examples?: readonly unknown[];
  readOnly?: boolean;
  writeOnly?: boolean;
}

export interface SchemaIssue {
  /** Where the problem is: `email`, `attributes.given_name`, `groups[1]`, or the root name. */
  field: string;
  message: string;
}

/** Returns the first issue found, in a stable order, or undefined when the value is valid. */
export type CompiledSchema = (value: unknown) => SchemaIssue | undefined;

const ANNOTATIONS = new Set(['title', 'description', 'default', 'examples', 'readOnly', 'writeOnly']);
const ASSERTIONS = new Set([
  'type',
  'properties',
  'required',
  'additionalProperties',
  'propertyNames',
  'maxProperties',
  'minLength',
  'maxLength',
  'pattern',
  'format',
  'enum',
  'minimum',
  'maximum',
  'items',
  'maxItems',
  'uniqueItems',
]);

// Pragmatic address check: ASCII local part and a dotted domain; Cognito applies its own check after ours.
const EMAIL =
  /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@(?=.{4,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

/** `rootName` names the whole value in issues (`body`, `query`). */
export function compileSchema(schema: JsonSchema, rootName: string): CompiledSchema {
  const check = compileNode(schema, rootName, '');
  return (value) => check(value, '');
}

type Check = (value: unknown, path: string) => SchemaIssue | undefined;

function compileNode(schema: JsonSchema, rootName: string, where: string): Check {
  for (const key of Object.keys(schema)) {
    if (!ASSERTIONS.has(key) && !ANNOTATIONS.has(key)) {
      throw new Error(`json-schema: keyword "${key}" is not supported (at ${where || rootName})`);
    }
  }
  const label = (path: string) => path || rootName;
  const issue = (path: string, message: string): SchemaIssue => ({
    field: label(path),
    message: `${label(path)} ${message}`,
  });
  const checks: Check[] = [];

  if (schema.type !== undefined) checks.push(typeCheck(schema.type, issue));
  if (schema.enum !== undefined) {
    const allowed = new Set<unknown>(schema.enum);
    const list = schema.enum.join(', ');
    checks.push((v, p) => (allowed.has(v) ? undefined : issue(p, `must be one of: ${list}`)));
  }
  checks.push(...stringChecks(schema, issue));
  checks.push(...numberChecks(schema, issue));
  checks.push(...arrayChecks(schema, rootName, where, issue));
  checks.push(...objectChecks(schema, rootName, where, issue));

  return (value, path) => {
    for (const check of checks) {
      const found = check(value, path);
      if (found) return found;
    }
    return undefined;
  };
}

type IssueFn = (path: string, message: string) => SchemaIssue;

function typeCheck(type: NonNullable<JsonSchema['type']>, issue: IssueFn): Check {
  const is: Record<typeof type, (v: unknown) => boolean> = {
    object: (v) => typeof v === 'object' && v !== null && !Array.isArray(v),
    array: Array.isArray,
    string: (v) => typeof v === 'string',
    boolean: (v) => typeof v === 'boolean',
    integer: (v) => typeof v === 'number' && Number.isSafeInteger(v),
  };
  const test = is[type];
  const article = type === 'object' || type === 'integer' || type === 'array' ? 'an' : 'a';
  return (v, p) => (test(v) ? undefined : issue(p, `must be ${article} ${type}`));
}

function stringChecks(schema: JsonSchema, issue: IssueFn): Check[] {
  const checks: Check[] = [];
  const { minLength, maxLength, pattern, format } = schema;
  if (minLength !== undefined) {
    checks.push((v, p) =>
      typeof v === 'string' && codePoints(v) < minLength
        ? issue(p, minLength === 1 ? 'must not be empty' : `must be at least ${minLength} characters long`)
        : undefined,
    );
  }
  if (maxLength !== undefined) {
    checks.push((v, p) =>
      typeof v === 'string' && codePoints(v) > maxLength
        ? issue(p, `must be at most ${maxLength} characters long`)
        : undefined,
    );
  }
  if (pattern !== undefined) {
    const regex = new RegExp(pattern, 'u');
    checks.push((v, p) =>
      typeof v === 'string' && !regex.test(v) ? issue(p, 'contains characters that are not allowed') : undefined,
    );
  }
  if (format === 'email') {
    checks.push((v, p) =>
      typeof v === 'string' && !EMAIL.test(v) ? issue(p, 'must be a valid email address') : undefined,
    );
  }
  return checks;
}

function numberChecks(schema: JsonSchema, issue: IssueFn): Check[] {
  const checks: Check[] = [];
  const { minimum, maximum } = schema;
  if (minimum !== undefined)
    checks.push((v, p) => (typeof v === 'number' && v < minimum ? issue(p, `must be at least ${minimum}`) : undefined));
  if (maximum !== undefined)
    checks.push((v, p) => (typeof v === 'number' && v > maximum ? issue(p, `must be at most ${maximum}`) : undefined));
  return checks;
}

function arrayChecks(schema: JsonSchema, rootName: string, where: string, issue: IssueFn): Check[] {
  const checks: Check[] = [];
  const { maxItems, uniqueItems, items } = schema;
  if (maxItems !== undefined) {
    checks.push((v, p) =>
      Array.isArray(v) && v.length > maxItems ? issue(p, `must have at most ${maxItems} items`) : undefined,
    );
  }
  if (uniqueItems) {
    checks.push((v, p) => {
      if (!Array.isArray(v)) return undefined;
      const seen = new Set<string>();
      for (const [index, item] of v.entries()) {
        const key = JSON.stringify(item);
        if (seen.has(key)) return issue(`${p || rootName}[${index}]`, 'repeats an earlier item');
        seen.add(key);
      }
      return undefined;
    });
  }
  if (items !== undefined) {
    const itemCheck = compileNode(items, rootName, `${where}[]`);
    checks.push((v, p) => {
      if (!Array.isArray(v)) return undefined;
      for (const [index, item] of v.entries()) {
        const found = itemCheck(item, `${p || rootName}[${index}]`);
        if (found) return found;
      }
      return undefined;
    });
  }
  return checks;
}

function objectChecks(schema: JsonSchema, rootName: string, where: string, issue: IssueFn): Check[] {
  const checks: Check[] = [];
  const isObject = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  const child = (p: string, key: string) => (p ? `${p}.${key}` : key);
  const properties = schema.properties ?? {};
  const known = new Set(Object.keys(properties));
  const { required, maxProperties, propertyNames, additionalProperties } = schema;

  if (required !== undefined) {
    checks.push((v, p) => {
      if (!isObject(v)) return undefined;
      const missing = required.find((key) => !Object.hasOwn(v, key));
      return missing === undefined ? undefined : issue(child(p, missing), 'is required');
    });
  }
  if (maxProperties !== undefined) {
    checks.push((v, p) =>
      isObject(v) && Object.keys(v).length > maxProperties
        ? issue(p, `must have at most ${maxProperties} entries`)
        : undefined,
    );
  }
  if (propertyNames !== undefined) {
    const nameCheck = compileNode(propertyNames, rootName, `${where}{name}`);
    checks.push((v, p) => {
      if (!isObject(v)) return undefined;
      for (const key of Object.keys(v)) {
        if (nameCheck(key, child(p, key)))
          return { field: child(p, key), message: `"${key}" is not an allowed name in ${p || rootName}` };
      }
      return undefined;
    });
  }
  if (additionalProperties === false) {
    checks.push((v, p) => {
      if (!isObject(v)) return undefined;
      const unknown = Object.keys(v).find((key) => !known.has(key));
      return unknown === undefined
        ? undefined
        : { field: child(p, unknown), message: `"${unknown}" is not an allowed field` };
    });
  } else if (typeof additionalProperties === 'object') {
    const extraCheck = compileNode(additionalProperties, rootName, `${where}{*}`);
    checks.push((v, p) => {
      if (!isObject(v)) return undefined;
      for (const key of Object.keys(v)) {
        if (known.has(key)) continue;
        const found = extraCheck(v[key], child(p, key));
        if (found) return found;
      }
      return undefined;
    });
  }
  const propertyChecks = Object.entries(properties).map(
    ([key, sub]) => [key, compileNode(sub, rootName, `${where}.${key}`)] as const,
  );
  if (propertyChecks.length > 0) {
    checks.push((v, p) => {
      if (!isObject(v)) return undefined;
      for (const [key, check] of propertyChecks) {
        if (!Object.hasOwn(v, key)) continue;
        const found = check(v[key], child(p, key));
        if (found) return found;
      }
      return undefined;
    });
  }
  return checks;
}

// JSON Schema lengths count code points, as Cognito's limits do, not UTF-16 units.
function codePoints(value: string): number {
  return Array.from(value).length;
}
