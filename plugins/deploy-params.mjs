// @ts-check
/**
 * osls plugin: one source of deploy truth. A deployed stage takes its values from its params (`--param`, or a
 * block under the stage's name in serverless.yml), never from the shell; only the local stage reads the
 * shell. A deployed stage refuses to package while a required value is missing, still an example or
 * malformed, or while it sets a value that only the local stack may set, naming each; the local stage is
 * never deployed.
 */

/** The stage of `npm run dev` and the tests (serverless-offline): its params come from the shell. */
export const LOCAL_STAGE = 'dev';

// The same pool-id shape as shared/config/cognito-patterns.ts: the region is the part before the underscore.
const POOL_ID = /^[a-z]{2}(?:-[a-z]+)+-\d_[A-Za-z0-9]+$/;
const CLIENT_ID = /^[\w+]{1,128}$/;
const SSM_NAME = /^\/[a-zA-Z0-9_.\-/]{1,2047}$/;
const KMS_KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z]{2}(?:-[a-z]+)+-\d:\d{12}:key\/[a-zA-Z0-9-]+$/;
// The same host-name shape as shared/m2m/m2m-config.ts's COGNITO_DOMAIN.
const DOMAIN = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/;
const PLACEHOLDER = /example|<|>|\u2026|\.\.\./i;

/** @typedef {(value: string) => string | undefined} Check  a complaint, or undefined when the value is fine */

/** @type {(what: string, pattern: RegExp) => Check} */
const matching = (what, pattern) => (value) => (pattern.test(value) ? undefined : `is not ${what}`);

/** @type {Check} */
function httpsUrl(value) {
  try {
    const url = new URL(value);
    if (url.protocol !== 'https:') return 'is not an https URL';
    if (url.search || url.hash || url.username) return 'must be a plain https URL (no query, fragment or user)';
    return undefined;
  } catch {
    return 'is not an absolute URL';
  }
}

/** @type {Check} */
function httpsOrigins(value) {
  for (const origin of value.split(',').map((item) => item.trim())) {
    if (httpsUrl(origin) !== undefined || new URL(origin).pathname !== '/') return 'is not a list of https origins';
  }
  return undefined;
}

/** @type {Check} */
const clientIds = (value) =>
  value.trim() === '*' || value.split(',').every((id) => CLIENT_ID.test(id.trim()))
    ? undefined
    : 'is not * or a comma-separated list of client ids';

/** @type {Check} */
const positiveNumber = (value) =>
  /^\d+(\.\d+)?$/.test(value) && Number(value) > 0 ? undefined : 'is not a positive number';

/** @type {(...allowed: string[]) => Check} */
const oneOf =
  (...allowed) =>
  (value) =>
    allowed.includes(value) ? undefined : `must be one of ${allowed.join(', ')}`;

/**
 * @typedef {object} ParamSpec
 * @property {'required' | 'optional' | 'local'} use  local: the local stack's stand-ins, which a deployed stage may not set
 * @property {string} means  what to put there, for the error message
 * @property {Check} [check]
 */

/** Every param that serverless.yml reads. Keep in step with its `params:` block (a unit test compares them). */
/** @type {Readonly<Record<string, ParamSpec>>} */
export const DEPLOY_PARAMS = Object.freeze({
  userPoolId: {
    use: 'required',
    means: 'the Cognito user pool id, like eu-west-1_AbCdEf123',
    check: matching('a Cognito user pool id (<region>_<id>)', POOL_ID),
  },
  clientIds: {
    use: 'required',
    means: 'the app client ids whose tokens the authorizer accepts, comma-separated',
    check: clientIds,
  },
  webClientId: {
    use: 'required',
    means: "the token service's app client id (a client with a secret and the authorization-code grant)",
    check: matching('an app client id', CLIENT_ID),
  },
  redirectUri: {
    use: 'required',
    means: "https://<the HTTP API's host>/auth/callback, registered as a callback URL of that client",
    check: httpsUrl,
  },
  clientSecretParam: {
    use: 'required',
    means: "the name of the SSM SecureString holding that client's secret, like /cognito-gate/prod/oidc-client-secret",
    check: matching('an SSM parameter name starting with /', SSM_NAME),
  },
  cookieSecretParam: {
    use: 'required',
    means: 'the name of the SSM SecureString holding the cookie secret, like /cognito-gate/prod/cookie-secret',
    check: matching('an SSM parameter name starting with /', SSM_NAME),
  },
  cognitoDomain: {
    use: 'required',
    means: "the user pool's domain, the M2M token endpoint's upstream, like my-app.auth.eu-west-1.amazoncognito.com",
    check: matching('a host name (no scheme, no path)', DOMAIN),
  },
  kmsKeyArn: {
    use: 'optional',
    means: 'the ARN of the customer-managed KMS key of those SecureStrings (leave unset for aws/ssm)',
    check: matching('a KMS key ARN (arn:<partition>:kms:<region>:<account>:key/<id>)', KMS_KEY_ARN),
  },
  hostedUiLogoutEndpoint: { use: 'optional', means: "the hosted UI's /logout URL", check: httpsUrl },
  publicBaseUrl: { use: 'optional', means: "the site's origin, like https://app.example.org", check: httpsUrl },
  csrfAllowedOrigins: {
    use: 'optional',
    means: 'the origins whose pages may refresh and sign out, comma-separated',
    check: httpsOrigins,
  },
  postLoginPaths: { use: 'optional', means: 'path prefixes a login may return to' },
  defaultReturnPath: { use: 'optional', means: 'where a login returns by default' },
  postLogoutPaths: { use: 'optional', means: 'path prefixes a logout may return to' },
  oidcScopes: { use: 'optional', means: 'the scopes the login asks for' },
  oidcClientAuth: {
    use: 'optional',
    means: "how the token service authenticates to Cognito's token endpoint",
    check: oneOf('client_secret_basic', 'client_secret_post'),
  },
  sessionCookieName: { use: 'optional', means: 'the session cookie name' },
  logLevel: { use: 'optional', means: 'the log level', check: oneOf('debug', 'info', 'warn', 'error') },
  adminGroup: { use: 'optional', means: 'the group whose members may use the admin API' },
  adminScope: { use: 'optional', means: 'the scope M2M clients need for the admin API' },
  apiRateLimit: { use: 'optional', means: 'steady requests per second per API stage', check: positiveNumber },
  apiBurstLimit: { use: 'optional', means: 'burst of requests per API stage', check: positiveNumber },
  authRateLimit: { use: 'optional', means: 'steady requests per second on each /auth/* route', check: positiveNumber },
  authBurstLimit: { use: 'optional', means: 'burst of requests on each /auth/* route', check: positiveNumber },
  createApiGatewayLogsRole: {
    use: 'optional',
    means: "true when API Gateway has no CloudWatch role in this account and region yet (README, 'Deploying')",
    check: oneOf('true', 'false'),
  },
  // Its grammar is checked in one place, the authorizer's cold start (shared/authorizer/token-sources-env.ts).
  tokenSources: {
    use: 'optional',
    means: 'where the authorizer reads tokens: bearer, cookie, header:<name>, query:<name>',
  },
  tokenQueryOnHttp: {
    use: 'optional',
    means: 'true lets query sources serve HTTP routes too (tokens in URLs end up in logs)',
    check: oneOf('true', 'false'),
  },
  console: {
    use: 'optional',
    means: 'on or off: the web console at /console/ (off leaves out its function, routes and role)',
    check: oneOf('on', 'off'),
  },
  revocation: {
    use: 'optional',
    means: 'on, or off to turn revocation off in every function',
    check: oneOf('on', 'off'),
  },
  revocationRefreshSeconds: {
    use: 'optional',
    means: "how old an authorizer's revocation list may get before a request refreshes it, in seconds",
    check: positiveNumber,
  },
  revocationStaleSeconds: {
    use: 'optional',
    means: 'how old the list may get before the authorizer reads it again before answering, in seconds',
    check: positiveNumber,
  },
  revocationStale: {
    use: 'optional',
    means: 'what the authorizer does when that read fails: deny (500) or allow (the stale copy)',
    check: oneOf('deny', 'allow'),
  },
  revocationTokenLifetimeSeconds: {
    use: 'optional',
    means: "the longest access/ID token lifetime of the pool's app clients, in seconds: how long entries live",
    check: positiveNumber,
  },
  cognitoIssuer: { use: 'local', means: 'the local issuer (deployed, Cognito is the issuer)' },
  cognitoJwksUri: { use: 'local', means: 'the local JWKS (deployed, the pool publishes it)' },
  cognitoEndpoint: { use: 'local', means: 'cognito-local (deployed, the admin API calls Cognito)' },
  oidcClientSecret: {
    use: 'local',
    means: 'a plain-text client secret (deployed, it comes from SSM: clientSecretParam)',
  },
  cookieSecret: { use: 'local', means: 'a plain-text cookie secret (deployed, it comes from SSM: cookieSecretParam)' },
  cookieSecure: { use: 'local', means: 'cookies without Secure (deployed, cookies are always Secure)' },
  oidcAuthorizationEndpoint: { use: 'local', means: "the stand-in's endpoint (deployed, from Cognito's discovery)" },
  oidcTokenEndpoint: { use: 'local', means: "the stand-in's endpoint (deployed, from Cognito's discovery)" },
  oidcRevocationEndpoint: { use: 'local', means: "the stand-in's endpoint (deployed, derived from the hosted UI)" },
  cognitoTokenEndpoint: { use: 'local', means: "the stand-in's token endpoint (deployed, https://<cognitoDomain>)" },
  dynamodbEndpoint: { use: 'local', means: "dynalite (deployed, the region's DynamoDB)" },
});

/**
 * @typedef {object} ParamSources
 * @property {Record<string, unknown>} defaults  serverless.yml's `params.default`
 * @property {Record<string, unknown>} stage  serverless.yml's block for this stage
 * @property {Record<string, string>} cli  `--param="name=value"`
 */

/**
 * osls's own order: --param beats the stage's block, which beats the default block.
 * @param {{ configParams: Record<string, Record<string, unknown> | undefined> | undefined, stage: string, cliParams: readonly string[] | undefined }} input
 * @returns {ParamSources}
 */
export function paramSources({ configParams, stage, cliParams }) {
  /** @type {Record<string, string>} */
  const cli = {};
  for (const item of cliParams ?? []) {
    const at = item.indexOf('=');
    if (at > 0) cli[item.slice(0, at)] = item.slice(at + 1).trimEnd();
  }
  return { defaults: configParams?.default ?? {}, stage: configParams?.[stage] ?? {}, cli };
}

/**
 * Everything wrong with a deployed stage's params, one line per param; empty when it may be packaged.
 * @param {ParamSources} sources
 * @param {Readonly<Record<string, ParamSpec>>} [specs]
 * @returns {string[]}
 */
export function deployParamProblems({ defaults, stage, cli }, specs = DEPLOY_PARAMS) {
  /** @type {string[]} */
  const problems = [];
  for (const [name, spec] of Object.entries(specs)) {
    const chosen = cli[name] ?? stage[name];
    const value = String(chosen ?? defaults[name] ?? '').trim();
    if (spec.use === 'local') {
      if (chosen !== undefined) problems.push(`${name}: only the local stack may set it (${spec.means})`);
      continue;
    }
    if (value === '') {
      if (spec.use === 'required') problems.push(`${name}: missing; ${spec.means}`);
      continue;
    }
    if (chosen !== undefined && PLACEHOLDER.test(value)) {
      problems.push(`${name}: still an example value; ${spec.means}`);
      continue;
    }
    const complaint = spec.check?.(value);
    if (complaint) problems.push(`${name}: ${complaint}; ${spec.means}`);
  }
  return problems;
}

/** @typedef {{ getProvider(name: 'aws'): { getStage(): string }, configurationInput?: { params?: Record<string, Record<string, unknown>> }, classes: { Error: new (message: string) => Error } }} Serverless */

export default class DeployParamsPlugin {
  /**
   * @param {Serverless} serverless
   * @param {{ param?: string[] }} options
   */
  constructor(serverless, options) {
    const stageName = () => serverless.getProvider('aws').getStage();
    const check = () => {
      const stage = stageName();
      if (stage === LOCAL_STAGE) return;
      const sources = paramSources({
        configParams: serverless.configurationInput?.params,
        stage,
        cliParams: options.param,
      });
      const problems = deployParamProblems(sources);
      if (problems.length > 0) {
        throw new serverless.classes.Error(
          `Stage "${stage}" cannot be packaged. Set each of these with --param="name=value" (README, "Deploying"):\n` +
            problems.map((problem) => `  - ${problem}`).join('\n'),
        );
      }
    };
    const refuseLocalStage = () => {
      if (stageName() === LOCAL_STAGE) {
        throw new serverless.classes.Error(
          `Stage "${LOCAL_STAGE}" is the local stack and takes its values from the shell: it is never deployed. Deploy a named stage, like --stage prod, with its params.`,
        );
      }
    };
    this.hooks = {
      'before:package:initialize': check,
      'before:deploy:deploy': refuseLocalStage,
      'before:deploy:function:initialize': () => {
        refuseLocalStage();
        check();
      },
    };
  }
}
