import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminEnableUserCommand,
  AdminGetUserCommand,
  AdminSetUserPasswordCommand,
  type AttributeType,
  CognitoIdentityProviderClient,
  CreateGroupCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DescribeUserPoolClientCommand,
  ListUserPoolClientsCommand,
  ListUserPoolsCommand,
  paginateAdminListGroupsForUser,
  paginateListGroups,
  UpdateUserPoolClientCommand,
  UserNotFoundException,
  type UserPoolClientType,
} from '@aws-sdk/client-cognito-identity-provider';

import { M2M_CLIENT_SCOPES, WEB_CLIENT_SCOPES } from './scopes.js';

export const LOCAL_REGION = 'us-east-1';
export const USER_POOL_NAME = 'cognito-gate-local';
export const WEB_CLIENT_NAME = 'cognito-gate-web';
export const M2M_CLIENT_NAME = 'cognito-gate-m2m';
export const GROUPS = ['admins', 'users'] as const;

/** Demo passwords: local-only fixtures, published on purpose so developers and tests can sign in. */
export const ALICE_PASSWORD = 'Passw0rd!alice';
export const BOB_PASSWORD = 'Passw0rd!bob1';

export interface DemoUser {
  username: string;
  password: string;
  email: string;
  groups: string[];
}

export const DEMO_USERS: readonly DemoUser[] = [
  { username: 'alice', password: ALICE_PASSWORD, email: 'alice@example.com', groups: ['admins', 'users'] },
  { username: 'bob', password: BOB_PASSWORD, email: 'bob@example.com', groups: ['users'] },
];

export interface SeedOptions {
  cognitoEndpoint: string;
  callbackUrls: string[];
  logoutUrls: string[];
}

export interface AppClientCredentials {
  clientId: string;
  clientSecret: string;
}

export interface WebClientCredentials extends AppClientCredentials {
  callbackUrls: string[];
  logoutUrls: string[];
}

export interface SeededUser extends DemoUser {
  /** Cognito `sub` attribute: the `sub` claim of this user's tokens. */
  sub: string;
}

export interface SeedResult {
  userPoolId: string;
  region: string;
  webClient: WebClientCredentials;
  m2mClient: AppClientCredentials;
  users: SeededUser[];
  groups: string[];
}

/** An SDK client for cognito-local: static fake credentials, since cognito-local checks none. */
export function createLocalCognitoClient(cognitoEndpoint: string): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient({
    endpoint: cognitoEndpoint,
    region: LOCAL_REGION,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
}

async function ensureUserPool(client: CognitoIdentityProviderClient): Promise<string> {
  // cognito-local ignores MaxResults/NextToken and returns every pool at once.
  const { UserPools = [] } = await client.send(new ListUserPoolsCommand({ MaxResults: 60 }));
  const existing = UserPools.find((pool) => pool.Name === USER_POOL_NAME);
  if (existing?.Id) {
    return existing.Id;
  }
  const { UserPool } = await client.send(
    new CreateUserPoolCommand({
      PoolName: USER_POOL_NAME,
      AutoVerifiedAttributes: ['email'],
      UsernameConfiguration: { CaseSensitive: false },
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
    }),
  );
  if (!UserPool?.Id) {
    throw new Error('CreateUserPool returned no pool id');
  }
  return UserPool.Id;
}

type ClientSettings = Omit<
  NonNullable<ConstructorParameters<typeof UpdateUserPoolClientCommand>[0]>,
  'UserPoolId' | 'ClientId' | 'ClientName'
>;

async function ensureAppClient(
  client: CognitoIdentityProviderClient,
  userPoolId: string,
  clientName: string,
  settings: ClientSettings,
): Promise<AppClientCredentials> {
  const { UserPoolClients = [] } = await client.send(
    new ListUserPoolClientsCommand({ UserPoolId: userPoolId, MaxResults: 60 }),
  );
  const existing = UserPoolClients.find((candidate) => candidate.ClientName === clientName);

  let described: UserPoolClientType | undefined;
  if (existing?.ClientId) {
    // Update rather than recreate: the client id and secret must survive a rerun, the URLs may not.
    await client.send(
      new UpdateUserPoolClientCommand({
        UserPoolId: userPoolId,
        ClientId: existing.ClientId,
        ClientName: clientName,
        ...settings,
      }),
    );
    ({ UserPoolClient: described } = await client.send(
      new DescribeUserPoolClientCommand({ UserPoolId: userPoolId, ClientId: existing.ClientId }),
    ));
  } else {
    ({ UserPoolClient: described } = await client.send(
      new CreateUserPoolClientCommand({
        UserPoolId: userPoolId,
        ClientName: clientName,
        GenerateSecret: true,
        ...settings,
      }),
    ));
  }
  if (!described?.ClientId || !described.ClientSecret) {
    throw new Error(`app client ${clientName} has no id or secret; delete it from the state dir and seed again`);
  }
  return { clientId: described.ClientId, clientSecret: described.ClientSecret };
}

async function ensureGroups(client: CognitoIdentityProviderClient, userPoolId: string): Promise<void> {
  const existing = new Set<string | undefined>();
  // Every page: a group missed here would be created again, which drops its members.
  for await (const { Groups = [] } of paginateListGroups({ client }, { UserPoolId: userPoolId })) {
    for (const group of Groups) existing.add(group.GroupName);
  }
  for (const groupName of GROUPS) {
    // Never re-create: cognito-local's CreateGroup overwrites the group and drops its members.
    if (!existing.has(groupName)) {
      await client.send(new CreateGroupCommand({ UserPoolId: userPoolId, GroupName: groupName }));
    }
  }
}

function attribute(attributes: AttributeType[] | undefined, name: string): string | undefined {
  return attributes?.find((candidate) => candidate.Name === name)?.Value;
}

/** Brings a demo user back to its documented state; other users and memberships are left alone. */
export async function ensureDemoUser(
  client: CognitoIdentityProviderClient,
  userPoolId: string,
  user: DemoUser,
): Promise<SeededUser> {
  let attributes: AttributeType[] | undefined;
  let enabled = true;
  try {
    const found = await client.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: user.username }));
    attributes = found.UserAttributes;
    enabled = found.Enabled !== false;
  } catch (error) {
    if (!(error instanceof UserNotFoundException)) {
      throw error;
    }
    const created = await client.send(
      new AdminCreateUserCommand({
        UserPoolId: userPoolId,
        Username: user.username,
        MessageAction: 'SUPPRESS',
        TemporaryPassword: user.password,
        UserAttributes: [
          { Name: 'email', Value: user.email },
          { Name: 'email_verified', Value: 'true' },
        ],
      }),
    );
    attributes = created.User?.Attributes;
  }
  // Always reset: the exported password constants are the contract with tests and developers.
  await client.send(
    new AdminSetUserPasswordCommand({
      UserPoolId: userPoolId,
      Username: user.username,
      Password: user.password,
      Permanent: true,
    }),
  );
  if (!enabled) {
    await client.send(new AdminEnableUserCommand({ UserPoolId: userPoolId, Username: user.username }));
  }
  const memberOf = new Set<string | undefined>();
  const membership = { UserPoolId: userPoolId, Username: user.username };
  for await (const { Groups = [] } of paginateAdminListGroupsForUser({ client }, membership)) {
    for (const group of Groups) memberOf.add(group.GroupName);
  }
  for (const groupName of user.groups) {
    if (!memberOf.has(groupName)) {
      await client.send(
        new AdminAddUserToGroupCommand({ UserPoolId: userPoolId, Username: user.username, GroupName: groupName }),
      );
    }
  }
  const sub = attribute(attributes, 'sub');
  if (sub === undefined) {
    throw new Error(`user ${user.username} has no sub attribute`);
  }
  return { ...user, groups: [...user.groups], sub };
}

/**
 * Creates, or finds by name, the local user pool, app clients, groups and demo users in cognito-local.
 * Safe to run on every start: ids and secrets stay the same, and callback/logout URLs follow the arguments.
 */
export async function seedStack(options: SeedOptions): Promise<SeedResult> {
  const client = createLocalCognitoClient(options.cognitoEndpoint);
  try {
    const userPoolId = await ensureUserPool(client);
    // Sequential on purpose: cognito-local persists each pool as one JSON document, so keep writes ordered.
    const webClient = await ensureAppClient(client, userPoolId, WEB_CLIENT_NAME, {
      AllowedOAuthFlows: ['code'],
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthScopes: [...WEB_CLIENT_SCOPES],
      CallbackURLs: options.callbackUrls,
      LogoutURLs: options.logoutUrls,
      SupportedIdentityProviders: ['COGNITO'],
      ExplicitAuthFlows: ['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      EnableTokenRevocation: true,
    });
    const m2mClient = await ensureAppClient(client, userPoolId, M2M_CLIENT_NAME, {
      AllowedOAuthFlows: ['client_credentials'],
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthScopes: [...M2M_CLIENT_SCOPES],
      EnableTokenRevocation: true,
    });
    await ensureGroups(client, userPoolId);
    // Users after groups: AdminAddUserToGroup needs the groups to exist.
    const users: SeededUser[] = [];
    for (const user of DEMO_USERS) {
      users.push(await ensureDemoUser(client, userPoolId, user));
    }
    return {
      userPoolId,
      region: LOCAL_REGION,
      webClient: { ...webClient, callbackUrls: [...options.callbackUrls], logoutUrls: [...options.logoutUrls] },
      m2mClient,
      users,
      groups: [...GROUPS],
    };
  } finally {
    client.destroy();
  }
}
