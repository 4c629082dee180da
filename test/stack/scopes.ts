/** Identifier of the Cognito resource server; its scopes are named `<identifier>/<scope>` as in Cognito. */
export const RESOURCE_SERVER_IDENTIFIER = 'cognito-gate';

export const RESOURCE_SCOPES = {
  read: `${RESOURCE_SERVER_IDENTIFIER}/read`,
  write: `${RESOURCE_SERVER_IDENTIFIER}/write`,
  admin: `${RESOURCE_SERVER_IDENTIFIER}/admin`,
} as const;

/** Cognito's built-in OAuth scopes that the web app client may request. */
export const WEB_CLIENT_OIDC_SCOPES = ['openid', 'email', 'profile'] as const;

/** Everything the web (authorization code) app client is allowed to request. */
export const WEB_CLIENT_SCOPES: readonly string[] = [
  ...WEB_CLIENT_OIDC_SCOPES,
  RESOURCE_SCOPES.read,
  RESOURCE_SCOPES.write,
];

/** Everything the machine-to-machine (client_credentials) app client is allowed to request. */
export const M2M_CLIENT_SCOPES: readonly string[] = [
  RESOURCE_SCOPES.read,
  RESOURCE_SCOPES.write,
  RESOURCE_SCOPES.admin,
];
