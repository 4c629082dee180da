import { COGNITO_NAME_CHARS } from '../config/cognito-patterns.js';
import type { JsonSchema } from './json-schema.js';

/**
 * JSON Schemas of the admin API: request bodies, query strings and path parameters are enforced by
 * json-schema.ts; all of them, with the response shapes, are published in the OpenAPI document.
 */

/** Cognito's Username constraint. */
export const USERNAME_SCHEMA: JsonSchema = {
  type: 'string',
  minLength: 1,
  maxLength: 128,
  pattern: `^${COGNITO_NAME_CHARS}+$`,
  description: 'A Cognito username: letters, marks, symbols, numbers and punctuation; no spaces.',
};

/** Cognito's GroupName constraint, for groups that already exist. */
export const GROUP_NAME_SCHEMA: JsonSchema = {
  type: 'string',
  minLength: 1,
  maxLength: 128,
  pattern: `^${COGNITO_NAME_CHARS}+$`,
  description: 'A Cognito group name.',
};

/** New groups may not contain a comma: the authorizer passes a caller's groups comma-separated. */
export const NEW_GROUP_NAME_SCHEMA: JsonSchema = {
  type: 'string',
  minLength: 1,
  maxLength: 128,
  pattern: `^(?:(?!,)${COGNITO_NAME_CHARS})+$`,
  description: 'A Cognito group name without commas.',
};

export const EMAIL_SCHEMA: JsonSchema = { type: 'string', maxLength: 254, format: 'email' };

const PASSWORD_SCHEMA: JsonSchema = {
  type: 'string',
  minLength: 6,
  maxLength: 256,
  pattern: '^\\S+$',
  writeOnly: true,
  description: "Checked against the user pool's password policy by Cognito.",
};

/** Standard or `custom:` attributes; `email` has its own field and `sub` is Cognito's to set. */
const ATTRIBUTE_NAME_SCHEMA: JsonSchema = {
  type: 'string',
  pattern: '^(?!(?:email|sub)$)(?:custom:[\\w.-]{1,20}|[a-z_]{1,32})$',
};

export const USER_STATUSES = [
  'UNCONFIRMED',
  'CONFIRMED',
  'ARCHIVED',
  'COMPROMISED',
  'UNKNOWN',
  'RESET_REQUIRED',
  'FORCE_CHANGE_PASSWORD',
  'EXTERNAL_PROVIDER',
] as const;

export const CREATE_USER_BODY: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['username', 'email'],
  properties: {
    username: USERNAME_SCHEMA,
    email: EMAIL_SCHEMA,
    attributes: {
      type: 'object',
      maxProperties: 50,
      propertyNames: ATTRIBUTE_NAME_SCHEMA,
      additionalProperties: { type: 'string', maxLength: 2048 },
      description: 'Other user attributes, e.g. {"given_name": "Ana", "custom:team": "ops"}.',
    },
    temporaryPassword: { ...PASSWORD_SCHEMA, description: 'If absent, a temporary password is generated.' },
    sendInvite: {
      type: 'boolean',
      default: true,
      description: 'false: no invitation is sent, and the response carries the temporary password, once.',
    },
    groups: { type: 'array', maxItems: 25, uniqueItems: true, items: GROUP_NAME_SCHEMA, default: [] },
  },
};

export const SET_PASSWORD_BODY: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['password'],
  properties: {
    password: PASSWORD_SCHEMA,
    permanent: { type: 'boolean', default: false, description: 'false: the user must change it at next sign-in.' },
  },
};

export const CREATE_GROUP_BODY: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: {
    name: NEW_GROUP_NAME_SCHEMA,
    description: { type: 'string', maxLength: 2048 },
    precedence: { type: 'integer', minimum: 0, maximum: 2_147_483_647 },
  },
};

const LIMIT_SCHEMA: JsonSchema = {
  type: 'integer',
  minimum: 1,
  maximum: 60,
  description: 'Page size (Cognito allows 1 to 60).',
};
const NEXT_SCHEMA: JsonSchema = {
  type: 'string',
  minLength: 1,
  maxLength: 4096,
  pattern: '^[A-Za-z0-9_-]+$',
  description: 'Opaque token from the previous page\'s "next".',
};

export const PAGE_QUERY: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: { limit: LIMIT_SCHEMA, next: NEXT_SCHEMA },
};

/** At most one of `email`, `usernamePrefix` and `status` (Cognito filters on one attribute). */
export const LIST_USERS_QUERY: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    limit: LIMIT_SCHEMA,
    next: NEXT_SCHEMA,
    email: { ...EMAIL_SCHEMA, description: 'Users with exactly this email.' },
    usernamePrefix: {
      type: 'string',
      minLength: 1,
      maxLength: 128,
      // Quotes and backslashes could break out of Cognito's filter string: refused.
      pattern: `^(?:(?!["\\\\])${COGNITO_NAME_CHARS})+$`,
      description: 'Users whose username starts with this.',
    },
    status: { type: 'string', enum: USER_STATUSES, description: 'Users in this status.' },
  },
};

export const PATH_PARAMETER_SCHEMAS: Readonly<Record<string, JsonSchema>> = {
  username: USERNAME_SCHEMA,
  group: GROUP_NAME_SCHEMA,
};

// Response shapes, for the OpenAPI document.
const TIMESTAMP: JsonSchema = { type: 'string', description: 'ISO 8601 date-time.' };

export const USER_RESPONSE: JsonSchema = {
  type: 'object',
  required: ['username', 'status', 'enabled', 'attributes'],
  properties: {
    username: { type: 'string' },
    status: { type: 'string', description: 'Cognito user status, e.g. CONFIRMED or FORCE_CHANGE_PASSWORD.' },
    enabled: { type: 'boolean' },
    attributes: { type: 'object', additionalProperties: { type: 'string' } },
    createdAt: TIMESTAMP,
    updatedAt: TIMESTAMP,
  },
};

export const USER_WITH_GROUPS_RESPONSE: JsonSchema = {
  ...USER_RESPONSE,
  required: [...(USER_RESPONSE.required ?? []), 'groups'],
  properties: { ...USER_RESPONSE.properties, groups: { type: 'array', items: { type: 'string' } } },
};

export const CREATED_USER_RESPONSE: JsonSchema = {
  ...USER_WITH_GROUPS_RESPONSE,
  properties: {
    ...USER_WITH_GROUPS_RESPONSE.properties,
    temporaryPassword: {
      type: 'string',
      description: 'Only when sendInvite was false: pass it on to the user; it is not shown again.',
    },
  },
};

export const GROUP_RESPONSE: JsonSchema = {
  type: 'object',
  required: ['name'],
  properties: {
    name: { type: 'string' },
    description: { type: 'string' },
    precedence: { type: 'integer' },
    createdAt: TIMESTAMP,
    updatedAt: TIMESTAMP,
  },
};

const NEXT_RESPONSE: JsonSchema = {
  type: 'string',
  description: 'Present when there is another page: pass it back as ?next=.',
};

export const USER_PAGE_RESPONSE: JsonSchema = {
  type: 'object',
  required: ['users'],
  properties: { users: { type: 'array', items: USER_RESPONSE }, next: NEXT_RESPONSE },
};

export const GROUP_PAGE_RESPONSE: JsonSchema = {
  type: 'object',
  required: ['groups'],
  properties: { groups: { type: 'array', items: GROUP_RESPONSE }, next: NEXT_RESPONSE },
};

export const ERROR_RESPONSE: JsonSchema = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string', description: 'Stable reason, e.g. validation_failed, not_found, conflict.' },
        message: { type: 'string' },
        field: { type: 'string', description: 'The input at fault, when there is one.' },
      },
    },
  },
};

export const OPENAPI_RESPONSE: JsonSchema = { type: 'object', description: 'This OpenAPI 3.1 document.' };
