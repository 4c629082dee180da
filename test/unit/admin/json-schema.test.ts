import { describe, expect, it } from 'vitest';
import { CREATE_USER_BODY, USERNAME_SCHEMA } from '../../../shared/admin/admin-schemas.js';
import { compileSchema } from '../../../shared/admin/json-schema.js';

describe('compileSchema', () => {
  it('accepts a valid create-user body', () => {
    // Prepare
    const validate = compileSchema(CREATE_USER_BODY, 'body');
    // Act
    const issue = validate({
      username: 'carol',
      email: 'carol@example.com',
      attributes: { 'custom:team': 'ops' },
      sendInvite: false,
      groups: ['ops'],
    });
    // Assess
    expect(issue).toBeUndefined();
  });

  it('reports a missing required field by its name', () => {
    // Act
    const issue = compileSchema(CREATE_USER_BODY, 'body')({ email: 'carol@example.com' });
    // Assess
    expect(issue).toEqual({ field: 'username', message: 'username is required' });
  });

  it('names the root when the value is not an object', () => {
    // Act
    const issue = compileSchema(CREATE_USER_BODY, 'body')('carol');
    // Assess
    expect(issue).toEqual({ field: 'body', message: 'body must be an object' });
  });

  it('names an array item by its index', () => {
    // Act
    const issue = compileSchema(
      CREATE_USER_BODY,
      'body',
    )({ username: 'carol', email: 'carol@example.com', groups: ['ops', ''] });
    // Assess
    expect(issue?.field).toBe('groups[1]');
  });

  it('counts code points, as Cognito does, so 128 emoji make a valid username', () => {
    // Prepare
    const validate = compileSchema(USERNAME_SCHEMA, 'username');
    // Act
    const issues = [validate('😀'.repeat(128)), validate('😀'.repeat(129))];
    // Assess
    expect(issues[0]).toBeUndefined();
    expect(issues[1]?.field).toBe('username');
  });

  it.each(['josé', 'ü@example.com', 'a+b', '用户', "o'neil"])(
    "accepts the username %s under Cognito's pattern",
    (username) => {
      // Act
      const issue = compileSchema(USERNAME_SCHEMA, 'username')(username);
      // Assess
      expect(issue).toBeUndefined();
    },
  );

  it.each(['a b', 'tab\there', 'new\nline', ''])('refuses the username %j', (username) => {
    // Act
    const issue = compileSchema(USERNAME_SCHEMA, 'username')(username);
    // Assess
    expect(issue?.field).toBe('username');
  });

  it('refuses a __proto__ key as an unknown field', () => {
    // Act
    const issue = compileSchema(
      CREATE_USER_BODY,
      'body',
    )(JSON.parse('{"username":"c","email":"c@example.com","__proto__":{"x":1}}'));
    // Assess
    expect(issue?.field).toBe('__proto__');
  });

  it('throws at compile time on a keyword it does not implement, rather than ignore it', () => {
    // Act
    const compile = () => compileSchema({ type: 'string', oneOf: [] } as never, 'x');
    // Assess
    expect(compile).toThrow('keyword "oneOf" is not supported');
  });
});
