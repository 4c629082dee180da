import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
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
