import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../shared/errors/gate-error.js';
import { parseRuleDocument } from '../../../shared/rules/rule-document.js';

const parse = (rules: unknown[]) => () => parseRuleDocument({ rules }, 'rules.json');

describe('the rule file', () => {
  it('accepts the rule file that ships in the repository', () => {
    const document = JSON.parse(readFileSync(new URL('../../../rules.json', import.meta.url), 'utf8'));
    expect(parseRuleDocument(document, 'rules.json').rules.length).toBeGreaterThan(3);
  });

  it.each([
    [[{ route: 'GET echo' }], /rules\[0\]\.route.*not "METHOD \/path"/],
    [[{ route: 'FETCH /echo' }], /"FETCH" is not an HTTP method/],
    [[{ route: 'GET /a/{proxy+}/b' }], /must be the last segment/],
    [[{ route: 'GET /a/{bad-name}' }], /neither literal/],
    [[{ route: 'GET /a', scope: ['x'] }], /rules\[0\]: unknown key "scope"/],
    [[{ route: 'GET /a', scopes: [] }], /rules\[0\]\.scopes: must be a non-empty list/],
    [[{ route: 'GET /a', groups: 'admins' }], /rules\[0\]\.groups/],
    [[{ route: 'GET /a', tokenUse: 'refresh' }], /tokenUse: must be access, id or any/],
    [
      [{ route: 'GET /a', claims: { tenant: { equals: 'x', optinal: true } } }],
      /claims\.tenant: unknown key "optinal"/,
    ],
    [[{ route: 'GET /a', public: true, scopes: ['x'] }], /public rule cannot also require/],
    [[{ route: 'GET /a' }, { route: 'GET /a' }], /rules\[1\]\.route: "GET \/a" appears twice/],
    [[{ route: 'GET /a', anyOf: [{ groups: ['x'] }] }], /anyOf: must list two or more/],
    [
      [{ route: 'GET /a', groups: ['x'], anyOf: [{ groups: ['x'] }, { scopes: ['y'] }] }],
      /inside each anyOf alternative/,
    ],
  ])('rejects an invalid rule and names the field (%#)', (rules, message) => {
    expect(parse(rules)).toThrow(message);
  });

  it('accepts "$connect", a WebSocket API\'s connect route, with the usual requirements, and no other $ route', () => {
    expect(() =>
      parseRuleDocument({ rules: [{ route: '$connect', scopes: ['chat/connect'], groups: ['users'] }] }, 'rules.json'),
    ).not.toThrow();
    for (const route of ['$default', '$disconnect', 'GET $connect', '$connect /'])
      expect(() => parseRuleDocument({ rules: [{ route }] }, 'rules.json')).toThrow(/^rules\.json rules\[0\]\.route: /);
  });

  it('rejects a document without a rules list', () => {
    expect(() => parseRuleDocument({ routes: [] }, 'AUTH_RULES')).toThrow(
      /AUTH_RULES: must be an object with a "rules" list/,
    );
  });
});

/** The message of the ConfigError that parsing throws, or undefined when the document is accepted. */
function problemWith(document: unknown): string | undefined {
  try {
    parseRuleDocument(document, 'rules.json');
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).message;
  }
}

describe('the rule file, field by field', () => {
  it.each(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'ANY'])('accepts the method %s', (method) => {
    expect(problemWith({ rules: [{ route: `${method} /orders`, scopes: ['orders/read'] }] })).toBeUndefined();
  });

  it('accepts a document with a $schema and a description beside its rules', () => {
    expect(problemWith({ $schema: './rules.schema.json', description: 'orders API', rules: [] })).toBeUndefined();
  });

  it('accepts every kind of claim condition, and every token use', () => {
    // Prepare
    const document = {
      rules: [
        {
          route: 'GET /orders/{id}',
          tokenUse: 'access',
          claims: {
            'custom:tenant': 'acme',
            'custom:level': 3,
            email_verified: true,
            'custom:tier': ['gold', 2, false],
            'custom:region': { equals: 'eu', optional: true },
            'custom:plan': { equals: ['pro', 'team'] },
          },
        },
        { route: 'GET /me', tokenUse: 'id' },
        { route: 'GET /any', tokenUse: 'any' },
        { route: 'ANY /files/{proxy+}', anyOf: [{ groups: ['admins'] }, { allScopes: ['files/read', 'files/write'] }] },
      ],
    };
    // Act
    const problem = problemWith(document);
    // Assess
    expect(problem).toBeUndefined();
  });

  it.each<[string, unknown, string]>([
    ['null', null, 'rules.json: must be an object with a "rules" list'],
    ['a list', [], 'rules.json: must be an object with a "rules" list'],
    ['rules that are not a list', { rules: { route: 'GET /a' } }, 'rules.json: must be an object with a "rules" list'],
    ['an unknown top-level key', { rules: [], routes: [] }, 'rules.json: unknown key "routes"'],
    ['a rule that is not an object', { rules: ['GET /a'] }, 'rules.json rules[0]: must be an object'],
    ['a rule that is null', { rules: [null] }, 'rules.json rules[0]: must be an object'],
    [
      'a route that is not a string',
      { rules: [{ route: 42 }] },
      'rules.json rules[0].route: must be a string "METHOD /path"',
    ],
    [
      'a route with a word before the method',
      { rules: [{ route: 'x GET /a' }] },
      'rules.json rules[0].route: "x GET /a" is not "METHOD /path" or "$connect"',
    ],
    [
      'a route with a word after the path',
      { rules: [{ route: 'GET /a extra' }] },
      'rules.json rules[0].route: "GET /a extra" is not "METHOD /path" or "$connect"',
    ],
    [
      'a literal glued before a {param}',
      { rules: [{ route: 'GET /a{id}' }] },
      'rules.json rules[0].route: path segment "a{id}" is neither literal, {param} nor {proxy+}',
    ],
    [
      'a literal glued after a {param}',
      { rules: [{ route: 'GET /{id}a' }] },
      'rules.json rules[0].route: path segment "{id}a" is neither literal, {param} nor {proxy+}',
    ],
    [
      'an empty scope name',
      { rules: [{ route: 'GET /a', scopes: [''] }] },
      'rules.json rules[0].scopes: must be a non-empty list of strings',
    ],
    [
      'an empty group name after a good one',
      { rules: [{ route: 'GET /a', groups: ['admins', ''] }] },
      'rules.json rules[0].groups: must be a non-empty list of strings',
    ],
    [
      'a scope that is a list',
      { rules: [{ route: 'GET /a', allScopes: [['s/read']] }] },
      'rules.json rules[0].allScopes: must be a non-empty list of strings',
    ],
    [
      'claims that are a list',
      { rules: [{ route: 'GET /a', claims: [] }] },
      'rules.json rules[0].claims: must be an object',
    ],
    [
      'claims that are a string',
      { rules: [{ route: 'GET /a', claims: 'x' }] },
      'rules.json rules[0].claims: must be an object',
    ],
    [
      'claims that are null',
      { rules: [{ route: 'GET /a', claims: null }] },
      'rules.json rules[0].claims: must be an object',
    ],
    [
      'a claim condition that is null',
      { rules: [{ route: 'GET /a', claims: { tenant: null } }] },
      'rules.json rules[0].claims.tenant: must be a value, a list of values, or { equals, optional }',
    ],
    [
      'an empty list of claim values',
      { rules: [{ route: 'GET /a', claims: { tenant: [] } }] },
      'rules.json rules[0].claims.tenant: must list one or more strings, numbers or booleans',
    ],
    [
      'a list of claim values with a null',
      { rules: [{ route: 'GET /a', claims: { tenant: ['acme', null] } }] },
      'rules.json rules[0].claims.tenant: must list one or more strings, numbers or booleans',
    ],
    [
      'an optional flag that is not a boolean',
      { rules: [{ route: 'GET /a', claims: { tenant: { equals: 'acme', optional: 'yes' } } }] },
      'rules.json rules[0].claims.tenant.optional: must be true or false',
    ],
    [
      'a long form without equals',
      { rules: [{ route: 'GET /a', claims: { tenant: { optional: true } } }] },
      'rules.json rules[0].claims.tenant.equals: must be a value, a list of values, or { equals, optional }',
    ],
    [
      'a long form nested in equals',
      { rules: [{ route: 'GET /a', claims: { tenant: { equals: { equals: 'acme' } } } }] },
      'rules.json rules[0].claims.tenant.equals: must be a value or a list of values',
    ],
    [
      'a public flag that is not a boolean',
      { rules: [{ route: 'GET /a', public: 'yes' }] },
      'rules.json rules[0].public: must be true or false',
    ],
    [
      'anyOf that is not a list',
      { rules: [{ route: 'GET /a', anyOf: { groups: ['x'] } }] },
      'rules.json rules[0].anyOf: must list two or more alternatives',
    ],
    [
      'an anyOf alternative with an unknown key',
      { rules: [{ route: 'GET /a', anyOf: [{ groups: ['x'] }, { route: 'GET /b' }] }] },
      'rules.json rules[0].anyOf[1]: unknown key "route"',
    ],
    [
      'an anyOf alternative that is not an object',
      { rules: [{ route: 'GET /a', anyOf: [null, { groups: ['x'] }] }] },
      'rules.json rules[0].anyOf[0]: must be an object',
    ],
    [
      'an anyOf alternative with an empty scope list',
      { rules: [{ route: 'GET /a', anyOf: [{ groups: ['x'] }, { scopes: [] }] }] },
      'rules.json rules[0].anyOf[1].scopes: must be a non-empty list of strings',
    ],
    [
      'a public rule with alternatives',
      { rules: [{ route: 'GET /a', public: true, anyOf: [{ groups: ['x'] }, { scopes: ['y'] }] }] },
      'rules.json rules[0]: a public rule cannot also require scopes, groups, claims or tokenUse',
    ],
  ])('rejects %s with a message that names the field', (_case, document, message) => {
    expect(problemWith(document)).toBe(message);
  });
});
