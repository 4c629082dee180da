import { createHmac, generateKeyPair, type KeyObject, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { promisify } from 'node:util';

import {
  AdminGetUserCommand,
  AdminInitiateAuthCommand,
  type CognitoIdentityProviderClient,
  paginateAdminListGroupsForUser,
  UserNotFoundException,
} from '@aws-sdk/client-cognito-identity-provider';
import { calculateJwkThumbprint, createLocalJWKSet, type JWK, jwtVerify } from 'jose';
import Provider, {
  type Account,
  type ClientMetadata,
  type Configuration,
  errors,
  type Grant,
  type KoaContextWithOIDC,
} from 'oidc-provider';

import type { AccountState } from './account-state.js';
import { trackGlobalSignOuts } from './global-sign-out.js';
import { LOOPBACK_HOST, PortInUseError } from './ports.js';
import { M2M_CLIENT_SCOPES, RESOURCE_SERVER_IDENTIFIER, WEB_CLIENT_OIDC_SCOPES, WEB_CLIENT_SCOPES } from './scopes.js';
import { createLocalCognitoClient } from './seed.js';

export interface HostedUiWebClient {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
  postLogoutRedirectUris: string[];
}

export interface HostedUiM2mClient {
  clientId: string;
  clientSecret: string;
}

export interface StartHostedUiOptions {
  /** Port to bind on 127.0.0.1; 0 picks a free one. */
  port: number;
  userPoolId: string;
  /** cognito-local endpoint: the user directory that passwords, groups and attributes come from. */
  cognitoEndpoint: string;
  /** Global sign-outs of the Cognito stand-in: tokens issued before one are refused. */
  accountState?: AccountState;
  webClient: HostedUiWebClient;
  m2mClient: HostedUiM2mClient;
}

export interface HostedUi {
  /** `http://127.0.0.1:<port>/<userPoolId>`: the `iss` of every token, like Cognito's pool URL. */
  issuer: string;
  /** `http://127.0.0.1:<port>`: where `/oauth2/*` and `/logout` live, like a Cognito domain. */
  baseUrl: string;
  jwksUri: string;
  port: number;
  stop(): Promise<void>;
}

/** Resource indicator of the single API; oidc-provider needs an absolute URI, Cognito has no equivalent. */
const RESOURCE_INDICATOR = `urn:${RESOURCE_SERVER_IDENTIFIER}`;
const ACCESS_TOKEN_TTL_SECONDS = 3_600;
const SERVICE = 'hosted UI';

/** Cognito's message for both an unknown user and a wrong password, so usernames cannot be probed. */
const BAD_CREDENTIALS = 'Incorrect username or password.';

const OIDC_SCOPE_CLAIMS = {
  // Cognito puts these in every ID token; oidc-provider only emits claims that some scope maps.
  openid: ['sub', 'auth_time', 'token_use', 'cognito:username', 'cognito:groups', 'origin_jti'],
  email: ['email', 'email_verified'],
  phone: ['phone_number', 'phone_number_verified'],
  profile: [
    'name',
    'family_name',
    'given_name',
    'middle_name',
    'nickname',
    'preferred_username',
    'profile',
    'picture',
    'website',
    'gender',
    'birthdate',
    'zoneinfo',
    'locale',
    'updated_at',
  ],
} as const;

/** Cognito returns these attributes as booleans in ID tokens even though the directory stores strings. */
const BOOLEAN_ATTRIBUTES = new Set(['email_verified', 'phone_number_verified']);

interface DirectoryUser {
  username: string;
  sub: string;
  enabled: boolean;
  status: string | undefined;
  attributes: Record<string, string>;
}

/** Reads users from cognito-local, the single source of truth for passwords, groups and attributes. */
class UserDirectory {
  constructor(
    private readonly client: CognitoIdentityProviderClient,
    private readonly userPoolId: string,
    private readonly webClient: HostedUiWebClient,
  ) {}

  /** Looks a user up by username or by `sub` (cognito-local resolves both). */
  async getUser(usernameOrSub: string): Promise<DirectoryUser | undefined> {
    try {
      const found = await this.client.send(
        new AdminGetUserCommand({ UserPoolId: this.userPoolId, Username: usernameOrSub }),
      );
      const attributes: Record<string, string> = {};
      for (const { Name, Value } of found.UserAttributes ?? []) {
        if (Name !== undefined && Value !== undefined) {
          attributes[Name] = Value;
        }
      }
      if (found.Username === undefined || attributes.sub === undefined) {
        return undefined;
      }
      return {
        username: found.Username,
        sub: attributes.sub,
        enabled: found.Enabled !== false,
        status: found.UserStatus,
        attributes,
      };
    } catch (error) {
      if (error instanceof UserNotFoundException) {
        return undefined;
      }
      throw error;
    }
  }

  /** Group names at this moment (every page: a token carries all of them), so a change shows in the next token. */
  async groupsOf(username: string): Promise<string[]> {
    const names: string[] = [];
    const input = { UserPoolId: this.userPoolId, Username: username };
    for await (const { Groups = [] } of paginateAdminListGroupsForUser({ client: this.client }, input)) {
      names.push(...Groups.flatMap((group) => (group.GroupName === undefined ? [] : [group.GroupName])));
    }
    return names.sort();
  }

  /** Checks a password the way a Cognito sign-in would; returns the user or a message for the form. */
  async authenticate(username: string, password: string): Promise<DirectoryUser | string> {
    const user = await this.getUser(username);
    // cognito-local also resolves a `sub` typed as username; Cognito's sign-in does not.
    if (user === undefined || (user.sub === username && user.username !== username)) {
      return BAD_CREDENTIALS;
    }
    // cognito-local lets disabled users sign in; Cognito does not.
    if (!user.enabled) {
      return 'User is disabled.';
    }
    if (user.status === 'RESET_REQUIRED') {
      return 'Password reset required for the user; an administrator can set a new one with AdminSetUserPassword.';
    }
    if (user.status === 'FORCE_CHANGE_PASSWORD') {
      return 'This user must set a new password first; set a permanent one with AdminSetUserPassword.';
    }
    const secretHash = createHmac('sha256', this.webClient.clientSecret)
      .update(user.username + this.webClient.clientId)
      .digest('base64');
    try {
      await this.client.send(
        new AdminInitiateAuthCommand({
          UserPoolId: this.userPoolId,
          ClientId: this.webClient.clientId,
          AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: user.username, PASSWORD: password, SECRET_HASH: secretHash },
        }),
      );
    } catch (error) {
      // cognito-local answers InvalidPasswordException where Cognito answers NotAuthorizedException.
      const name = (error as { name?: string }).name;
      if (name === 'InvalidPasswordException' || name === 'NotAuthorizedException') {
        return BAD_CREDENTIALS;
      }
      throw error;
    }
    return user;
  }
}

function idTokenClaims(user: DirectoryUser, groups: string[], use: string): Record<string, unknown> {
  const claims: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(user.attributes)) {
    claims[name] = BOOLEAN_ATTRIBUTES.has(name) ? value === 'true' : value;
  }
  claims.sub = user.sub;
  claims['cognito:username'] = user.username;
  if (groups.length > 0) {
    claims['cognito:groups'] = groups;
  }
  if (use === 'id_token') {
    claims.token_use = 'id';
  }
  return claims;
}

async function generateSigningKey(): Promise<JWK> {
  const { privateKey } = await promisify(generateKeyPair)('rsa', { modulusLength: 2048 });
  const jwk = (privateKey as KeyObject).export({ format: 'jwk' }) as JWK;
  const kid = await calculateJwkThumbprint({ kty: jwk.kty, n: jwk.n, e: jwk.e }, 'sha256');
  return { ...jwk, kid, alg: 'RS256', use: 'sig' };
}

function publicPart(jwk: JWK): JWK {
  return { kty: jwk.kty, n: jwk.n, e: jwk.e, kid: jwk.kid, alg: jwk.alg, use: jwk.use };
}

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

function loginPage(uid: string, options: { error?: string; username?: string } = {}): string {
  const error = options.error === undefined ? '' : `<p role="alert" class="error">${escapeHtml(options.error)}</p>`;
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Sign in</title></head>
<body>
<main>
<h1>Sign in with your username and password</h1>
${error}
<form method="post" action="/interaction/${escapeHtml(uid)}/login" autocomplete="off">
<label for="username">Username</label>
<input id="username" name="username" type="text" autocapitalize="none" required value="${escapeHtml(options.username ?? '')}">
<label for="password">Password</label>
<input id="password" name="password" type="password" required>
<button type="submit" name="signInSubmitButton">Sign in</button>
</form>
</main>
</body>
</html>
`;
}

function messagePage(title: string, message: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>
<body><main><h1>${escapeHtml(title)}</h1><p role="alert">${escapeHtml(message)}</p></main></body></html>
`;
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > 16_384) {
      throw new errors.InvalidRequest('form body too large');
    }
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function scopeList(value: unknown): string[] {
  return typeof value === 'string' ? value.split(' ').filter((scope) => scope.length > 0) : [];
}

async function listen(server: Server, port: number): Promise<number> {
  await new Promise<void>((resolveListen, rejectListen) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      rejectListen(error.code === 'EADDRINUSE' ? new PortInUseError(SERVICE, port) : error);
    };
    server.once('error', onError);
    server.listen(port, LOOPBACK_HOST, () => {
      server.removeListener('error', onError);
      resolveListen();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') {
    throw new Error('hosted UI server has no TCP address');
  }
  return address.port;
}

/**
 * Starts an oidc-provider shaped like the Cognito hosted UI and its OAuth 2.0 endpoints,
 * with passwords, groups and attributes read from cognito-local at sign-in and at token issue.
 */
export async function startHostedUi(options: StartHostedUiOptions): Promise<HostedUi> {
  const { userPoolId, webClient, m2mClient } = options;
  // Two keys like Cognito (ID tokens and access tokens carry different kids), so verifiers must pick by kid.
  const [idTokenKey, accessTokenKey] = await Promise.all([generateSigningKey(), generateSigningKey()]);
  const publicJwks = { keys: [publicPart(idTokenKey), publicPart(accessTokenKey)] };

  // Bind first: with port 0 the issuer URL is only known once the kernel has picked the port.
  let handler: ((req: IncomingMessage, res: ServerResponse) => void) | undefined;
  const server = createServer((req, res) => {
    if (handler === undefined) {
      res.statusCode = 503;
      res.end();
      return;
    }
    handler(req, res);
  });
  const port = await listen(server, options.port);
  const baseUrl = `http://${LOOPBACK_HOST}:${port}`;
  const issuer = `${baseUrl}/${userPoolId}`;
  const jwksPath = `/${userPoolId}/.well-known/jwks.json`;

  const cognito = createLocalCognitoClient(options.cognitoEndpoint);
  const directory = new UserDirectory(cognito, userPoolId, webClient);

  const allowedResourceScopes = new Map<string, readonly string[]>([
    [webClient.clientId, WEB_CLIENT_SCOPES],
    [m2mClient.clientId, M2M_CLIENT_SCOPES],
  ]);

  const clients: ClientMetadata[] = [
    {
      client_id: webClient.clientId,
      client_secret: webClient.clientSecret,
      client_name: 'cognito-gate-web',
      redirect_uris: webClient.redirectUris,
      post_logout_redirect_uris: webClient.postLogoutRedirectUris,
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      // Either method is accepted at the token endpoint whatever is registered here.
      token_endpoint_auth_method: 'client_secret_basic',
      scope: WEB_CLIENT_OIDC_SCOPES.join(' '),
    },
    {
      client_id: m2mClient.clientId,
      client_secret: m2mClient.clientSecret,
      client_name: 'cognito-gate-m2m',
      grant_types: ['client_credentials'],
      response_types: [],
      redirect_uris: [],
      token_endpoint_auth_method: 'client_secret_basic',
      // No `scope` here: oidc-provider only accepts built-in scopes in client metadata; see rejectUnallowedScopes.
    },
  ];

  /** Cognito answers invalid_scope for a scope the app client may not use; oidc-provider would drop it. */
  const rejectUnallowedScopes = (ctx: KoaContextWithOIDC, allowed: readonly string[]): void => {
    for (const scope of scopeList(ctx.oidc.params?.scope)) {
      if (!allowed.includes(scope)) {
        throw new errors.InvalidScope('requested scope is not allowed', scope);
      }
    }
  };

  /** Cognito has no consent screen: grant exactly what was validly requested, on every authorization. */
  const grantRequested = async (ctx: KoaContextWithOIDC): Promise<Grant | undefined> => {
    const { client, session, account } = ctx.oidc;
    if (client === undefined || session === undefined || account === undefined) {
      return undefined;
    }
    const existingId = ctx.oidc.result?.consent?.grantId ?? session.grantIdFor(client.clientId);
    let grant = existingId === undefined ? undefined : await provider.Grant.find(existingId);
    if (grant === undefined || grant.accountId !== account.accountId) {
      grant = new provider.Grant({ accountId: account.accountId, clientId: client.clientId });
    }
    grant.addOIDCScope([...ctx.oidc.requestParamOIDCScopes]);
    for (const [indicator, resourceServer] of Object.entries(ctx.oidc.resourceServers ?? {})) {
      const scopes = [...ctx.oidc.requestParamScopes].filter((scope) => resourceServer.scopes.has(scope));
      if (scopes.length > 0) {
        grant.addResourceScope(indicator, scopes);
      }
    }
    await grant.save();
    return grant;
  };

  const configuration: Configuration = {
    clients,
    jwks: { keys: [idTokenKey, accessTokenKey] as NonNullable<Configuration['jwks']>['keys'] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    routes: {
      authorization: '/oauth2/authorize',
      token: '/oauth2/token',
      revocation: '/oauth2/revoke',
      end_session: '/logout',
      jwks: jwksPath,
      // oidc-provider's userinfo only accepts audience-less opaque tokens; /oauth2/userInfo is served below.
      userinfo: '/oidc/userinfo',
    },
    scopes: ['openid', 'email', 'profile', 'phone', 'aws.cognito.signin.user.admin'],
    // What Cognito offers: no implicit/hybrid responses, only client-secret authentication.
    responseTypes: ['code'],
    clientAuthMethods: ['client_secret_basic', 'client_secret_post'],
    claims: OIDC_SCOPE_CLAIMS,
    // Cognito ID tokens carry the scope's claims; the OIDC-conformant default would keep them for userinfo only.
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    features: {
      devInteractions: { enabled: false },
      pushedAuthorizationRequests: { enabled: false },
      dPoP: { enabled: false },
      clientCredentials: { enabled: true },
      revocation: {
        enabled: true,
        // An app client may only revoke its own tokens.
        allowedPolicy: (_ctx, client, token) => {
          if (token.clientId !== client.clientId) {
            throw new errors.InvalidRequest('client is not authorized to revoke the presented token');
          }
          return true;
        },
      },
      userinfo: { enabled: false },
      rpInitiatedLogout: { enabled: true },
      resourceIndicators: {
        enabled: true,
        // Every token is for the one API, so access tokens are always JWTs (Cognito never issues opaque ones).
        defaultResource: () => RESOURCE_INDICATOR,
        useGrantedResource: () => true,
        getResourceServerInfo: (ctx, resourceIndicator, client) => {
          const allowed = allowedResourceScopes.get(client.clientId);
          if (resourceIndicator !== RESOURCE_INDICATOR || allowed === undefined) {
            throw new errors.InvalidTarget();
          }
          rejectUnallowedScopes(ctx, allowed);
          return {
            scope: allowed.join(' '),
            audience: RESOURCE_SERVER_IDENTIFIER,
            accessTokenFormat: 'jwt',
            accessTokenTTL: ACCESS_TOKEN_TTL_SECONDS,
            jwt: { sign: { alg: 'RS256', kid: accessTokenKey.kid } },
          };
        },
      },
    },
    // Plain page with the OAuth error, shown when there is no valid redirect_uri to send it to.
    renderError: (ctx, out) => {
      ctx.type = 'text/html; charset=utf-8';
      ctx.body = messagePage(
        'An error was encountered with the requested page.',
        `${out.error}: ${out.error_description ?? ''}`,
      );
    },
    interactions: {
      url: (_ctx, interaction) => `/interaction/${interaction.uid}`,
    },
    loadExistingGrant: grantRequested,
    findAccount: async (_ctx, sub, token): Promise<Account | undefined> => {
      const user = await directory.getUser(sub);
      // A disabled or deleted user gets no tokens, refreshes included; nor a refresh token from before a global sign-out.
      if (user === undefined || !user.enabled || user.sub !== sub) {
        return undefined;
      }
      if (token?.kind === 'RefreshToken' && signOuts.revoked(user.username, token)) {
        return undefined;
      }
      // Cognito's origin_jti names the sign-in a token descends from; the grant plays that part here.
      const originJti = token && 'grantId' in token ? token.grantId : undefined;
      return {
        accountId: sub,
        claims: async (use) => {
          const groups = await directory.groupsOf(user.username);
          return { ...idTokenClaims(user, groups, use), sub, ...(originJti ? { origin_jti: originJti } : {}) };
        },
      };
    },
    // Cognito issues a refresh token with every authorization code, without offline_access.
    issueRefreshToken: (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    // Cognito's refresh tokens outlive the hosted UI session and are not rotated.
    expiresWithSession: () => false,
    rotateRefreshToken: false,
    ttl: {
      AccessToken: ACCESS_TOKEN_TTL_SECONDS,
      ClientCredentials: ACCESS_TOKEN_TTL_SECONDS,
      IdToken: 3_600,
      AuthorizationCode: 300,
      RefreshToken: 30 * 24 * 3_600,
      Grant: 30 * 24 * 3_600,
      Session: 3_600,
      Interaction: 3_600,
    },
    formats: {
      customizers: {
        jwt: async (_ctx, token, parts) => {
          // Cognito access tokens have a plain {kid, alg} header, not RFC 9068's typ "at+jwt".
          parts.header = { ...parts.header, typ: undefined };
          parts.payload.token_use = 'access';
          if (token.kind === 'AccessToken' && typeof token.accountId === 'string') {
            const user = await directory.getUser(token.accountId);
            if (user === undefined) {
              throw new errors.InvalidGrant('user no longer exists');
            }
            parts.payload.username = user.username;
            if (token.grantId) parts.payload.origin_jti = token.grantId;
            const groups = await directory.groupsOf(user.username);
            if (groups.length > 0) {
              parts.payload['cognito:groups'] = groups;
            }
          }
        },
      },
    },
    discovery: {
      userinfo_endpoint: `${baseUrl}/oauth2/userInfo`,
      claim_types_supported: ['normal'],
    },
  };

  const provider = new Provider(issuer, configuration);
  const signOuts = trackGlobalSignOuts(provider, (username) => options.accountState?.signedOutAt(userPoolId, username));
  provider.on('server_error', (_ctx: unknown, error: Error) => {
    // Only the message: stacks and contexts could carry request parameters.
    console.error(`[hosted UI] server_error: ${error.message}`);
  });

  const verifyAccessToken = createLocalJWKSet(publicJwks);

  type Middleware = Parameters<typeof provider.use>[0];
  type Context = Parameters<Middleware>[0];

  const sendHtml = (ctx: Context, status: number, html: string): void => {
    ctx.status = status;
    ctx.type = 'text/html; charset=utf-8';
    ctx.set('Cache-Control', 'no-store');
    ctx.body = html;
  };

  const finishInteraction = async (ctx: Context, result: Parameters<typeof provider.interactionResult>[2]) => {
    const returnTo = await provider.interactionResult(ctx.req, ctx.res, result, { mergeWithLastSubmission: false });
    ctx.status = 303;
    ctx.redirect(returnTo);
  };

  const showInteraction = async (ctx: Context, uid: string): Promise<void> => {
    const details = await provider.interactionDetails(ctx.req, ctx.res);
    if (details.uid !== uid) {
      throw new errors.SessionNotFound('interaction mismatch');
    }
    if (details.prompt.name === 'login') {
      sendHtml(ctx, 200, loginPage(uid));
      return;
    }
    // Consent only shows up if grantRequested could not cover the request; approve it like Cognito would.
    const accountId = details.session?.accountId;
    const clientId = details.params.client_id;
    if (details.prompt.name !== 'consent' || accountId === undefined || typeof clientId !== 'string') {
      sendHtml(ctx, 400, messagePage('Cannot continue', `Unsupported prompt ${details.prompt.name}.`));
      return;
    }
    const grant =
      (details.grantId === undefined ? undefined : await provider.Grant.find(details.grantId)) ??
      new provider.Grant({ accountId, clientId });
    const promptDetails = details.prompt.details as {
      missingOIDCScope?: string[];
      missingOIDCClaims?: string[];
      missingResourceScopes?: Record<string, string[]>;
    };
    if (promptDetails.missingOIDCScope) {
      grant.addOIDCScope(promptDetails.missingOIDCScope);
    }
    if (promptDetails.missingOIDCClaims) {
      grant.addOIDCClaims(promptDetails.missingOIDCClaims);
    }
    for (const [indicator, scopes] of Object.entries(promptDetails.missingResourceScopes ?? {})) {
      grant.addResourceScope(indicator, scopes);
    }
    await finishInteraction(ctx, { consent: { grantId: await grant.save() } });
  };

  const submitLogin = async (ctx: Context, uid: string): Promise<void> => {
    const details = await provider.interactionDetails(ctx.req, ctx.res);
    if (details.uid !== uid || details.prompt.name !== 'login') {
      throw new errors.SessionNotFound('interaction mismatch');
    }
    const form = await readForm(ctx.req);
    const username = form.get('username')?.trim() ?? '';
    const password = form.get('password') ?? '';
    const outcome =
      username === '' || password === '' ? BAD_CREDENTIALS : await directory.authenticate(username, password);
    if (typeof outcome === 'string') {
      sendHtml(ctx, 200, loginPage(uid, { error: outcome, username }));
      return;
    }
    await finishInteraction(ctx, { login: { accountId: outcome.sub } });
  };

  /** Cognito's `/logout?client_id&logout_uri` (or `&redirect_uri` to sign in again); plain OIDC logout falls through. */
  const cognitoLogout = async (ctx: Context): Promise<void> => {
    const clientId = ctx.query.client_id;
    const logoutUri = ctx.query.logout_uri;
    const redirectUri = ctx.query.redirect_uri;
    if (typeof clientId !== 'string' || clientId !== webClient.clientId) {
      sendHtml(ctx, 400, messagePage('Bad request', 'Unknown or missing client_id.'));
      return;
    }
    let target: string;
    if (typeof logoutUri === 'string') {
      if (!webClient.postLogoutRedirectUris.includes(logoutUri)) {
        sendHtml(ctx, 400, messagePage('Bad request', 'logout_uri is not a sign-out URL of this app client.'));
        return;
      }
      target = logoutUri;
    } else if (typeof redirectUri === 'string' && webClient.redirectUris.includes(redirectUri)) {
      // Cognito's second form: sign out, then start a new sign-in with the same parameters.
      target = `${baseUrl}/oauth2/authorize?${new URLSearchParams(ctx.querystring).toString()}`;
    } else {
      sendHtml(ctx, 400, messagePage('Bad request', 'redirect_uri is not a callback URL of this app client.'));
      return;
    }
    const sessionCookie = provider.cookieName('session');
    const sessionId = ctx.cookies.get(sessionCookie);
    if (sessionId !== undefined) {
      const session = await provider.Session.find(sessionId);
      await session?.destroy();
    }
    // Refresh tokens stay valid, as after Cognito's /logout; only the hosted UI session ends.
    ctx.cookies.set(sessionCookie, null, { path: '/', httpOnly: true, sameSite: 'lax' });
    ctx.status = 302;
    ctx.redirect(target);
  };

  /** Cognito's `/oauth2/userInfo`: a Bearer access token with `openid` in its scope, answered from cognito-local. */
  const userInfo = async (ctx: Context): Promise<void> => {
    const fail = (status: number, error: string, description: string): void => {
      ctx.status = status;
      ctx.set('WWW-Authenticate', `Bearer error="${error}", error_description="${description}"`);
      ctx.body = { error, error_description: description };
    };
    const authorization = ctx.get('authorization');
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    if (match?.[1] === undefined) {
      fail(400, 'invalid_request', 'Bad OAuth2 request at UserInfo Endpoint');
      return;
    }
    let claims: Record<string, unknown>;
    try {
      ({ payload: claims } = await jwtVerify(match[1], verifyAccessToken, { issuer, algorithms: ['RS256'] }));
    } catch {
      fail(401, 'invalid_token', 'Access token is expired, disabled, or deleted, or the user has globally signed out.');
      return;
    }
    const scopes = scopeList(claims.scope);
    const user =
      claims.token_use === 'access' && typeof claims.sub === 'string' && typeof claims.username === 'string'
        ? await directory.getUser(claims.sub)
        : undefined;
    if (user === undefined || !user.enabled || signOuts.revoked(user.username, claims)) {
      fail(401, 'invalid_token', 'Access token is expired, disabled, or deleted, or the user has globally signed out.');
      return;
    }
    if (!scopes.includes('openid')) {
      fail(403, 'insufficient_scope', 'Access token does not contain openid scope');
      return;
    }
    const body: Record<string, string> = { sub: user.sub };
    for (const scope of scopes) {
      const names: readonly string[] = OIDC_SCOPE_CLAIMS[scope as keyof typeof OIDC_SCOPE_CLAIMS] ?? [];
      for (const name of names) {
        const value = user.attributes[name];
        if (value !== undefined) {
          body[name] = value;
        }
      }
    }
    body.username = user.username;
    ctx.set('Cache-Control', 'no-store');
    ctx.body = body;
  };

  const discoveryAlias = `/${userPoolId}/.well-known/openid-configuration`;

  provider.use(async (ctx, next) => {
    try {
      if (ctx.path === discoveryAlias) {
        // Cognito publishes discovery under the pool URL; oidc-provider serves it at the mount root.
        ctx.path = '/.well-known/openid-configuration';
        return await next();
      }
      if (ctx.path.toLowerCase() === '/oauth2/userinfo') {
        return await userInfo(ctx);
      }
      if (
        ctx.path === '/logout' &&
        ctx.method === 'GET' &&
        ('logout_uri' in ctx.query || 'redirect_uri' in ctx.query)
      ) {
        return await cognitoLogout(ctx);
      }
      if (ctx.path === '/oauth2/token') {
        await next();
        const body = ctx.body as { refresh_token?: unknown } | undefined;
        // Cognito returns a refresh token only from the authorization_code grant, never from a refresh.
        if (ctx.oidc?.params?.grant_type === 'refresh_token' && typeof body === 'object' && body !== null) {
          delete body.refresh_token;
        }
        return undefined;
      }
      const interaction = /^\/interaction\/([\w-]+)(\/login)?$/.exec(ctx.path);
      if (interaction?.[1] !== undefined) {
        ctx.set('Cache-Control', 'no-store');
        if (interaction[2] === undefined && ctx.method === 'GET') {
          return await showInteraction(ctx, interaction[1]);
        }
        if (interaction[2] !== undefined && ctx.method === 'POST') {
          return await submitLogin(ctx, interaction[1]);
        }
        ctx.status = 405;
        return undefined;
      }
      return await next();
    } catch (error) {
      if (error instanceof errors.SessionNotFound) {
        sendHtml(ctx, 400, messagePage('Sign-in expired', 'This sign-in page has expired; start again from the app.'));
        return undefined;
      }
      throw error;
    }
  });

  handler = provider.callback();

  let stopped = false;
  return {
    issuer,
    baseUrl,
    jwksUri: `${baseUrl}${jwksPath}`,
    port,
    stop: async () => {
      if (stopped) {
        return;
      }
      stopped = true;
      const closed = new Promise<void>((resolveClose) => server.close(() => resolveClose()));
      // fetch keeps sockets alive; without this close() would wait for their idle timeout.
      server.closeAllConnections();
      await closed;
      cognito.destroy();
    },
  };
}
