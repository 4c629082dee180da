import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseTokenJson } from '../../../shared/tokens/token-json.js';

/** A Cognito ID token payload as Cognito writes it, with a federated user's nested `identities`. */
const COGNITO_ID_PAYLOAD =
  '{"at_hash":"x1Yb","sub":"aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee","cognito:groups":["eu-west-1_AbC_Google","admins"],' +
  '"email_verified":false,"iss":"https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC",' +
  '"cognito:username":"google_1234","aud":"4tq3n2f8q0bbq1u2v3w4x5y6z7","identities":[{"userId":"1234",' +
  '"providerName":"Google","providerType":"Google","issuer":null,"primary":"true","dateCreated":"1700000000000"}],' +
  '"token_use":"id","auth_time":1795334523,"exp":1795338123,"iat":1795334523,"jti":"j","email":"a@example.com"}';

/** Any JSON object without the two refused names: what a well-behaved issuer could write. */
const safeKey = fc.string().filter((key) => key !== '__proto__' && key !== 'constructor');
const { json, jsonObject } = fc.letrec((tie) => ({
  json: fc.oneof(
    { depthSize: 'small' },
    fc.string(),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('json')),
    tie('jsonObject'),
  ),
  jsonObject: fc.dictionary(safeKey, tie('json')),
}));
const nonEmptyObject = (jsonObject as fc.Arbitrary<Record<string, unknown>>).filter(
  (value) => Object.keys(value).length > 0,
);

describe('parseTokenJson: JSON.parse that refuses what it would resolve silently', () => {
  it("reads a Cognito ID token's payload exactly as JSON.parse does", () => {
    expect(parseTokenJson(COGNITO_ID_PAYLOAD, 'payload')).toEqual(JSON.parse(COGNITO_ID_PAYLOAD));
  });

  it('reads any object without duplicates or refused names exactly as JSON.parse does, escapes included', () => {
    fc.assert(
      fc.property(jsonObject, fc.boolean(), (value, pretty) => {
        const text = JSON.stringify(value, null, pretty ? 2 : undefined);
        expect(parseTokenJson(text, 'payload')).toEqual(JSON.parse(text));
      }),
      { numRuns: 500 },
    );
  });

  it('refuses any object in which some member name is written twice, at any depth', () => {
    fc.assert(
      fc.property(nonEmptyObject, fc.nat(), json, fc.nat(3), (value, pick, earlier, depth) => {
        // Prepare: an earlier member with the same name as one that follows; JSON.parse keeps the later one
        const names = Object.keys(value);
        const name = names[pick % names.length]!;
        let text = `{${JSON.stringify(name)}:${JSON.stringify(earlier)},${JSON.stringify(value).slice(1)}`;
        for (let level = 0; level < depth; level++) text = `{"level${level}":[${text}]}`;
        // Act / Assess
        expect(() => parseTokenJson(text, 'payload')).toThrow(
          expect.objectContaining({ reason: 'token_invalid', message: 'JWT payload has a duplicate member name' }),
        );
      }),
      { numRuns: 500 },
    );
  });

  it.each([
    ['the plain spelling', '{"sub":"alice","sub":"admin"}'],
    ['an escaped spelling of the same name', '{"sub":"alice","\\u0073ub":"admin"}'],
    ['whitespace around the colons', '{ "sub" : "alice" , "sub" : "admin" }'],
    ['numeric values', '{"exp":1,"exp":99999999999}'],
    ['names that hold quotes and backslashes', '{"a\\"b\\\\":1,"a\\"b\\\\":2}'],
    ['an object inside an array', '{"identities":[{"userId":"1","userId":"2"}]}'],
  ])('refuses a duplicate member name written with %s', (_label, text) => {
    expect(() => parseTokenJson(text, 'payload')).toThrow('JWT payload has a duplicate member name');
  });

  it.each([
    ['__proto__ at the top', '{"sub":"alice","__proto__":{"admin":true}}'],
    ['constructor at the top', '{"constructor":{"prototype":{"admin":true}}}'],
    ['__proto__ in a nested object', '{"identities":{"__proto__":{"admin":true}}}'],
    ['__proto__ in an object inside an array', '{"identities":[{"__proto__":{"admin":true}}]}'],
    ['an escaped __proto__', '{"\\u005f_proto__":{"admin":true}}'],
  ])('refuses a member named %s', (_label, text) => {
    // Act / Assess
    expect(() => parseTokenJson(text, 'header')).toThrow('JWT header has a member named __proto__ or constructor');
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });

  it('accepts the words __proto__ and constructor as values, and strings full of quotes and backslashes', () => {
    const text = '{"note":"__proto__ constructor","q":"say \\"hi\\"","path":"C:\\\\dir\\\\","empty":""}';
    expect(parseTokenJson(text, 'payload')).toEqual(JSON.parse(text));
  });

  it.each([
    ['text that is not JSON', '{"sub":', 'JWT payload is not JSON'],
    ['an array', '[{"sub":"alice"}]', 'JWT payload is not a JSON object'],
    ['null', 'null', 'JWT payload is not a JSON object'],
    ['a string', '"eyJ"', 'JWT payload is not a JSON object'],
  ])('refuses %s', (_label, text, message) => {
    expect(() => parseTokenJson(text, 'payload')).toThrow(
      expect.objectContaining({ reason: 'token_invalid', message }),
    );
  });
});
