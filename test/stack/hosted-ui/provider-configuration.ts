import { randomBytes } from 'node:crypto';
import type { JWK } from 'jose';
import {
  type Account,
  type ClientMetadata,
  type Configuration,
  errors,
  type Grant,
  type KoaContextWithOIDC,
} from 'oidc-provider';
import type { SignOutCheck } from '../global-sign-out.js';
import { M2M_CLIENT_SCOPES, RESOURCE_SERVER_IDENTIFIER, WEB_CLIENT_OIDC_SCOPES, WEB_CLIENT_SCOPES } from '../scopes.js';
import { cognitoAccessTokenCustomizer, idTokenClaims, OIDC_SCOPE_CLAIMS, scopeList } from './cognito-claims.js';
import { messagePage } from './login-form.js';
import type { UserDirectory } from './user-directory.js';

/** Resource indicator of the single API; oidc-provider needs an absolute URI, Cognito has no equivalent. */
const RESOURCE_INDICATOR = `urn:${RESOURCE_SERVER_IDENTIFIER}`;
const ACCESS_TOKEN_TTL_SECONDS = 3_600;

export interface AppClient {
  clientId: string;
  clientSecret: string;
}

export interface WebAppClient extends AppClient {
  redirectUris: string[];
  postLogoutRedirectUris: string[];
}

/** Cognito answers invalid_scope for a scope the app client may not use; oidc-provider would drop it. */
function rejectUnallowedScopes(ctx: KoaContextWithOIDC, allowed: readonly string[]): void {
  for (const scope of scopeList(ctx.oidc.params?.scope)) {
    if (!allowed.includes(scope)) {
      throw new errors.InvalidScope('requested scope is not allowed', scope);
    }
  }
}

/** Cognito has no consent screen: grant exactly what was validly requested, on every authorization. */
async function grantRequested(ctx: KoaContextWithOIDC): Promise<Grant | undefined> {
  const { client, session, account } = ctx.oidc;
  if (client === undefined || session === undefined || account === undefined) {
    return undefined;
  }
  const existingId = ctx.oidc.result?.consent?.grantId ?? session.grantIdFor(client.clientId);
  let grant = existingId === undefined ? undefined : await ctx.oidc.provider.Grant.find(existingId);
  if (grant === undefined || grant.accountId !== account.accountId) {
    grant = new ctx.oidc.provider.Grant({ accountId: account.accountId, clientId: client.clientId });
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
}

/**
 * oidc-provider configured as Cognito behaves: its endpoints' paths, code flow with PKCE and client secrets only,
 * no consent screen, two signing keys, Cognito's token lifetimes and claims, refresh tokens that are not rotated,
 * and no tokens for a disabled, deleted or globally signed-out user.
 */
export function cognitoProviderConfiguration({
  baseUrl,
  jwksPath,
  webClient,
  m2mClient,
  keys: { idTokenKey, accessTokenKey },
  directory,
  signOuts,
}: {
  baseUrl: string;
  jwksPath: string;
  webClient: WebAppClient;
  m2mClient: AppClient;
  keys: { idTokenKey: JWK; accessTokenKey: JWK };
  directory: UserDirectory;
  /** Read when a token is asked for, after the provider (which the check listens to) exists. */
  signOuts: () => SignOutCheck;
}): Configuration {
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

  return {
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
      if (token?.kind === 'RefreshToken' && signOuts().revoked(user.username, token)) {
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
    formats: { customizers: { jwt: cognitoAccessTokenCustomizer(directory) } },
    discovery: {
      userinfo_endpoint: `${baseUrl}/oauth2/userInfo`,
      claim_types_supported: ['normal'],
    },
  };
}
