import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEPLOY_PARAMS } from '../../plugins/deploy-params.mjs';
import { DEADLINE_MARGIN_MS } from '../../shared/lambda/deadline.js';
import { EmfDecisionMetrics, METRICS_NAMESPACE } from '../../shared/metrics/decision-metrics.js';
import { type CfnTemplate, stringsIn, Template, US_EAST_1 } from '../support/cloudformation.js';

/**
 * `sls package --stage prod` as README's "Deploying" section says to deploy, with sample values in place of its
 * placeholders, offline and without AWS credentials, into a temp dir; then the CloudFormation template, read as
 * CloudFormation would read it in us-east-1 (the pool is in eu-west-1 on purpose). One package per param set.
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SLS = join(ROOT, 'node_modules/serverless/bin/serverless.js');
const scratch = mkdtempSync(join(tmpdir(), 'cg-deploy-'));

/** What an operator fills in for README's placeholders. */
const SAMPLES: Record<string, string> = {
  region: 'us-east-1',
  userPoolId: 'eu-west-1_AbCdEf123',
  clientIds: '1h2j3k4l5m6n7o8p9q0r1s2t3u,7v8w9x0y1z2a3b4c5d6e7f8g9h',
  webClientId: '4w5e6b7c8l9i0e1n2t3i4d5f6g',
  redirectUri: 'https://api.acme.test/auth/callback',
  cognitoDomain: 'acme-prod.auth.eu-west-1.amazoncognito.com',
};
const KMS_KEY_ARN = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
/**
 * A deployer's shell that must not reach the template: every variable serverless.yml names (the build's own
 * GATE_* folders and ports aside), each set to a value of its own, and the secrets of a local stack.
 */
const SHELL: Record<string, string> = {
  ...Object.fromEntries(
    [...readFileSync(join(ROOT, 'serverless.yml'), 'utf8').matchAll(/\$\{env:(\w+)/g)]
      .map(([, name]) => name!)
      .filter((name) => !name.startsWith('GATE_'))
      .map((name) => [name, `from-the-shell-${name.toLowerCase()}`]),
  ),
  OIDC_CLIENT_SECRET: 'shell-client-secret-must-not-deploy',
  COOKIE_SECRET: 'shell-cookie-secret-must-not-deploy-0123456789',
  COGNITO_USER_POOL_ID: 'us-east-1_FromShell',
  COOKIE_SECURE: 'false',
};

/** README's deploy command: its options, placeholders filled in from SAMPLES. */
function readmeDeployCommand(): { stage: string; region: string; params: string[] } {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(
    readme.indexOf('## Deploying'),
    readme.indexOf('\n## ', readme.indexOf('## Deploying') + 1),
  );
  const block = /```bash\n(npx sls deploy[^`]*)```/.exec(section)?.[1];
  if (!block) throw new Error('README\'s "Deploying" section has no bash block starting with npx sls deploy');
  const command = block.replace(/\\\n\s*/g, ' ');
  const fill = (name: string, value: string) => {
    if (!/[<>]/.test(value)) return value;
    const sample = SAMPLES[name];
    if (!sample)
      throw new Error(`README's deploy command has a placeholder for ${name}, which this test has no sample for`);
    return sample;
  };
  const params = [...command.matchAll(/--param="([^=]+)=([^"]*)"/g)].map(
    ([, name, value]) => `${name}=${fill(name!, value!)}`,
  );
  return {
    stage: /--stage (\S+)/.exec(command)?.[1] ?? '',
    region: fill('region', /--region (\S+)/.exec(command)?.[1] ?? ''),
    params,
  };
}

interface Packaged {
  readonly status: number | null;
  readonly output: string;
  readonly template?: CfnTemplate;
}

/** What `sls package` reads: the service is copied, so that parallel runs (and the repository) share no folder. */
const SERVICE_FILES = [
  'serverless.yml',
  'package.json',
  'tsconfig.json',
  'rules.json',
  'plugins',
  'functions',
  'shared',
  // The console plugin builds console/ with scripts/console-build.ts before bundling.
  'console',
  'scripts',
];

/** One `sls package` of a copy of the service, in a clean environment (PATH and a fresh HOME, plus `extraEnv`). */
function slsPackage(name: string, args: string[], extraEnv: Record<string, string> = {}): Promise<Packaged> {
  const service = join(scratch, name, 'service');
  const out = join(scratch, name, 'package');
  mkdirSync(service, { recursive: true });
  for (const file of SERVICE_FILES) cpSync(join(ROOT, file), join(service, file), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules'), join(service, 'node_modules'), 'dir');
  const home = join(scratch, name, 'home');
  mkdirSync(home);
  const child = spawn(process.execPath, [SLS, 'package', ...args, '--package', out], {
    cwd: service,
    env: { PATH: process.env.PATH ?? '', HOME: home, SLS_TELEMETRY_DISABLED: '1', ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk));
  return new Promise((resolve) => {
    child.on('close', (status) => {
      const file = join(out, 'cloudformation-template-update-stack.json');
      resolve({
        status,
        output,
        ...(existsSync(file) ? { template: JSON.parse(readFileSync(file, 'utf8')) as CfnTemplate } : {}),
      });
    });
  });
}

const README = readmeDeployCommand();
const readmeArgs = ['--stage', README.stage, '--region', README.region, ...README.params.map((p) => `--param=${p}`)];
let asDocumented: Packaged;
let withOptions: Packaged;
let fromHostileShell: Packaged;
let withoutParams: Packaged;
let template: Template;
let optional: Template;

beforeAll(async () => {
  [asDocumented, withOptions, fromHostileShell, withoutParams] = await Promise.all([
    slsPackage('readme', readmeArgs),
    slsPackage('options', [...readmeArgs, `--param=kmsKeyArn=${KMS_KEY_ARN}`, '--param=createApiGatewayLogsRole=true']),
    slsPackage('shell', readmeArgs, SHELL),
    slsPackage('none', ['--stage', 'prod']),
  ]);
  for (const run of [asDocumented, withOptions, fromHostileShell])
    if (!run.template) throw new Error(`sls package failed (${run.status}):\n${run.output}`);
  template = new Template(asDocumented.template!);
  optional = new Template(withOptions.template!);
}, 240_000);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The statements of a role's inline policies, intrinsics evaluated. */
function statementsOf(role: string, at: Template = template): Array<Record<string, any>> {
  const policies = at.resolve(at.resource(role).Properties!.Policies) as Array<{
    PolicyDocument: { Statement: any[] };
  }>;
  return policies.flatMap((policy) => policy.PolicyDocument.Statement);
}
const asList = (value: unknown): unknown[] => (Array.isArray(value) ? value : [value]);
const functions = () => template.ofType('AWS::Lambda::Function');
const envOf = (fn: { Properties?: Record<string, any> }) =>
  (fn.Properties?.Environment?.Variables ?? {}) as Record<string, string>;

/** An access-log format as the JSON it becomes: every $context variable stands for a value. */
function accessLogFields(format: string): Record<string, string> {
  const json = format
    .replace(/\$context\.error\.messageString/g, '"message"')
    .replace(/\$context\.[\w.]+/g, (variable) => `<${variable}>`);
  return JSON.parse(json) as Record<string, string>;
}

describe("the prod template, packaged with README's deploy command", () => {
  it("is README's command for stage prod, with every required param and only known ones", () => {
    const names = README.params.map((param) => param.split('=')[0]!);
    const required = Object.entries(DEPLOY_PARAMS).filter(([, spec]) => spec.use === 'required');
    expect(README.stage).toBe('prod');
    expect(names.sort()).toEqual(required.map(([name]) => name).sort());
    expect(asDocumented.status).toBe(0);
  });

  it("lets the admin role call Cognito on the one pool, in the pool's region and the stack's partition", () => {
    // Act
    const [statement, ...others] = statementsOf('AdminRole').filter((s) =>
      asList(s.Action).some((a) => String(a).startsWith('cognito-idp:')),
    );
    const inChina = new Template(asDocumented.template!, { ...US_EAST_1, partition: 'aws-cn', region: 'cn-north-1' });
    // Assess
    expect(others).toEqual([]);
    expect(statement!.Resource).toBe('arn:aws:cognito-idp:eu-west-1:111122223333:userpool/eu-west-1_AbCdEf123');
    expect(statementsOf('AdminRole', inChina).find((s) => s.Action.includes('cognito-idp:ListUsers'))!.Resource).toBe(
      'arn:aws-cn:cognito-idp:eu-west-1:111122223333:userpool/eu-west-1_AbCdEf123',
    );
    expect(statement!.Action).toHaveLength(15);
    expect(envOf(template.resource('AdminLambdaFunction')).COGNITO_USER_POOL_ID).toBe('eu-west-1_AbCdEf123');
  });

  it('lets the token service read exactly its two SSM parameters, in the stack region', () => {
    const ssm = statementsOf('AuthRole').filter((s) => asList(s.Action).some((a) => String(a).startsWith('ssm:')));
    expect(ssm).toEqual([
      {
        Effect: 'Allow',
        Action: 'ssm:GetParameter',
        Resource: [
          'arn:aws:ssm:us-east-1:111122223333:parameter/cognito-gate/prod/oidc-client-secret',
          'arn:aws:ssm:us-east-1:111122223333:parameter/cognito-gate/prod/cookie-secret',
        ],
      },
    ]);
  });

  it('grants kms:Decrypt on the kmsKeyArn key, through SSM only, and on no key without it', () => {
    const kms = (at: Template) => statementsOf('AuthRole', at).filter((s) => asList(s.Action).includes('kms:Decrypt'));
    expect(kms(optional)).toEqual([
      {
        Effect: 'Allow',
        Action: 'kms:Decrypt',
        Resource: KMS_KEY_ARN,
        Condition: { StringEquals: { 'kms:ViaService': 'ssm.us-east-1.amazonaws.com' } },
      },
    ]);
    expect(kms(template)).toEqual([]);
    expect(JSON.stringify(template.resolve(template.json.Resources))).not.toContain('kms:');
  });

  it("lets the authorizer write its own log group and read the revocation list, nothing else, and every role only its functions' groups", () => {
    // Prepare
    const rolesOfFunctions = new Map<string, string[]>();
    for (const [id, fn] of functions()) {
      const role = fn.Properties!.Role['Fn::GetAtt'][0] as string;
      rolesOfFunctions.set(role, [...(rolesOfFunctions.get(role) ?? []), id.replace(/LambdaFunction$/, 'LogGroup')]);
    }
    // Assess
    expect(statementsOf('AuthorizerRole')).toEqual([
      { Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: '<AuthorizerLogGroup.Arn>' },
      { Effect: 'Allow', Action: 'dynamodb:Query', Resource: '<RevocationTable.Arn>' },
    ]);
    expect(template.resource('AuthorizerLogGroup').Properties!.LogGroupName).toBe(
      '/aws/lambda/cognito-gate-prod-authorizer',
    );
    for (const [role, logGroups] of rolesOfFunctions) {
      expect(template.resource(role).Properties!.ManagedPolicyArns, role).toBeUndefined();
      const logs = statementsOf(role).filter((s) => asList(s.Action).some((a) => String(a).startsWith('logs:')));
      expect(logs.flatMap((s) => asList(s.Resource)).sort(), role).toEqual(logGroups.map((g) => `<${g}.Arn>`).sort());
    }
    const everyResource = [...rolesOfFunctions.keys()]
      .flatMap((role) => statementsOf(role))
      .flatMap((s) => asList(s.Resource));
    expect(everyResource).not.toContain('*');
  });

  it('lets the authorizer only Query the revocation table, the token service and the admin API only PutItem into it', () => {
    // Prepare
    const onTable = (role: string) =>
      statementsOf(role).filter((s) => asList(s.Resource).includes('<RevocationTable.Arn>'));
    const put = [{ Effect: 'Allow', Action: 'dynamodb:PutItem', Resource: '<RevocationTable.Arn>' }];
    // Assess
    expect(onTable('AuthorizerRole')).toEqual([
      { Effect: 'Allow', Action: 'dynamodb:Query', Resource: '<RevocationTable.Arn>' },
    ]);
    expect(onTable('AuthRole')).toEqual(put);
    expect(onTable('AdminRole')).toEqual(put);
    expect(onTable('BasicLambdaRole')).toEqual([]);
    expect(template.resource('RevocationTable').Properties).toMatchObject({
      TableName: 'cognito-gate-prod-revocations',
      BillingMode: 'PAY_PER_REQUEST',
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    });
    for (const [id, fn] of functions()) {
      const env = envOf(fn);
      // Only the functions that verify tokens or revoke them read the table.
      if (!['AuthorizerLambdaFunction', 'AuthLambdaFunction', 'AdminLambdaFunction'].includes(id)) continue;
      expect(env, id).toMatchObject({ REVOCATION: 'on', REVOCATION_TABLE: 'cognito-gate-prod-revocations' });
    }
  });

  it('hard-codes no arn:aws: partition anywhere', () => {
    expect(stringsIn(asDocumented.template).filter(([, text]) => text.includes('arn:aws:'))).toEqual([]);
  });

  it('throttles the HTTP API stage, and every /auth/* route more strictly', () => {
    // Prepare
    const stage = template.resource('HttpApiStage');
    const authRoutes = template
      .ofType('AWS::ApiGatewayV2::Route')
      .filter(([, route]) => / \/auth\//.test(route.Properties!.RouteKey))
      .map(([id, route]) => [id, route.Properties!.RouteKey as string] as const);
    const { DefaultRouteSettings, RouteSettings } = stage.Properties!;
    // Assess
    expect(DefaultRouteSettings).toMatchObject({ ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200 });
    expect(Object.keys(RouteSettings).sort()).toEqual(authRoutes.map(([, key]) => key).sort());
    expect(authRoutes).toHaveLength(6);
    for (const settings of Object.values(RouteSettings) as Array<Record<string, number>>) {
      expect(settings.ThrottlingRateLimit).toBeLessThan(DefaultRouteSettings.ThrottlingRateLimit);
      expect(settings.ThrottlingBurstLimit).toBeLessThan(DefaultRouteSettings.ThrottlingBurstLimit);
    }
    expect(stage.DependsOn).toEqual(expect.arrayContaining(authRoutes.map(([id]) => id)));
  });

  it('throttles the REST stage, which is its own resource tied to the one deployment', () => {
    const [[deploymentId, deployment]] = template.ofType('AWS::ApiGateway::Deployment') as [[string, any]];
    const [[stageId, stage]] = template.ofType('AWS::ApiGateway::Stage') as [[string, any]];
    expect(stageId).toBe('ApiGatewayStage');
    expect(deployment.Properties.StageName).toBeUndefined();
    expect(stage.Properties).toMatchObject({
      StageName: 'prod',
      DeploymentId: { Ref: deploymentId },
      MethodSettings: [{ HttpMethod: '*', ResourcePath: '/*', ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200 }],
    });
  });

  it("writes JSON access logs for both APIs, with the authorizer's status, latency and error", () => {
    // Prepare
    const http = template.resource('HttpApiStage').Properties!.AccessLogSettings;
    const rest = template.resource('ApiGatewayStage').Properties!.AccessLogSetting;
    // Act
    const httpFields = accessLogFields(http.Format);
    const restFields = accessLogFields(rest.Format);
    // Assess
    for (const fields of [httpFields, restFields]) {
      expect(fields).toMatchObject({
        requestId: '<$context.requestId>',
        integrationRequestId: '<$context.integration.requestId>',
        authorizerStatus: '<$context.authorizer.status>',
        authorizerLatency: '<$context.authorizer.latency>',
        authorizerError: '<$context.authorizer.error>',
      });
    }
    expect(restFields.authorizerRequestId).toBe('<$context.authorizer.requestId>');
    expect(template.resolve(http.DestinationArn)).toBe('<HttpApiLogGroup.Arn>');
    expect(template.resolve(rest.DestinationArn)).toBe('<RestApiAccessLogGroup.Arn>');
    for (const group of ['HttpApiLogGroup', 'RestApiAccessLogGroup'])
      expect(template.resource(group).Properties!.RetentionInDays).toBe(30);
  });

  it("sets API Gateway's CloudWatch role only with createApiGatewayLogsRole, and keeps that role", () => {
    expect(template.creates('ApiGatewayAccount')).toBe(false);
    expect(optional.creates('ApiGatewayAccount')).toBe(true);
    expect(optional.resource('ApiGatewayLogsRole').DeletionPolicy).toBe('Retain');
    expect(optional.resolve(optional.resource('ApiGatewayStage').Metadata)).toEqual({
      LogsRoleFirst: '<Ref:ApiGatewayAccount>',
    });
  });

  it("puts no secret and no local stand-in in any function's environment", () => {
    for (const [id, fn] of functions()) {
      const env = envOf(fn);
      for (const [name, value] of Object.entries(env)) {
        if (/SECRET$/.test(name)) expect(value, `${id} ${name}`).toBe('');
        if (/SECRET_PARAM$/.test(name)) expect(value, `${id} ${name}`).toMatch(/^\/cognito-gate\/prod\//);
      }
      for (const local of ['COGNITO_ISSUER', 'COGNITO_JWKS_URI', 'COGNITO_ENDPOINT'])
        expect(env[local] ?? '', `${id} ${local}`).toBe('');
      if ('COOKIE_SECURE' in env) expect(env.COOKIE_SECURE).toBe('true');
    }
    expect(envOf(template.resource('AuthLambdaFunction')).OIDC_CLIENT_SECRET_PARAM).toBe(
      '/cognito-gate/prod/oidc-client-secret',
    );
  });

  it("is the same template whatever the deployer's shell holds", () => {
    // Prepare: the deployment's logical id and the artifacts' folder carry the time of packaging
    // (osls adds some outputs in the order their code hashes finish: compared as objects, not as text)
    const normalised = (json: CfnTemplate | undefined) =>
      JSON.parse(
        JSON.stringify(json)
          .replace(/ApiGatewayDeployment\d+/g, 'ApiGatewayDeployment')
          .replace(/serverless\/cognito-gate\/prod\/[^/"]+\//g, 'serverless/cognito-gate/prod/<packaged at>/'),
      );
    // Assess
    expect(normalised(fromHostileShell.template)).toEqual(normalised(asDocumented.template));
    for (const value of Object.values(SHELL).filter((v) => v.length > 8))
      expect(JSON.stringify(fromHostileShell.template)).not.toContain(value);
  });

  it("exports the authorizer's ARN for other services", () => {
    expect(template.json.Outputs!.AuthorizerFunctionArn).toEqual({
      Description: expect.any(String),
      Value: { 'Fn::GetAtt': ['AuthorizerLambdaFunction', 'Arn'] },
      Export: { Name: 'cognito-gate-prod-authorizer-arn' },
    });
  });

  it("shows on its dashboard every metric the authorizer writes, for the authorizer's function", () => {
    // Prepare: the metric names as the authorizer's EMF lines carry them
    const lines: string[] = [];
    const metrics = new EmfDecisionMetrics({
      functionName: 'f',
      flushEvery: 1e6,
      flushIntervalMs: 3_600_000,
      write: (l) => lines.push(l),
    });
    metrics.allowed();
    metrics.denied('no_rule');
    metrics.jwksFetched(false);
    metrics.flush();
    const written = new Set(
      lines.flatMap((l) => JSON.parse(l)._aws.CloudWatchMetrics[0].Metrics.map((m: { Name: string }) => m.Name)),
    );
    // Act
    const body = JSON.parse(template.resolve(template.resource('Dashboard').Properties!.DashboardBody)) as {
      widgets: any[];
    };
    const rows = body.widgets.flatMap((widget) => widget.properties.metrics as unknown[][]);
    const shown = new Set(rows.filter((row) => row[0] === METRICS_NAMESPACE).map((row) => row[1]));
    // Assess
    expect(shown).toEqual(written);
    for (const row of rows.filter((r) => r[0] === METRICS_NAMESPACE))
      expect(row.slice(2, 4)).toEqual(['FunctionName', '<Ref:AuthorizerLambdaFunction>']);
    expect(JSON.stringify(body)).toContain('{CognitoGate,FunctionName,Reason} MetricName=\\"Denied\\"');
    expect(body.widgets.every((widget) => widget.properties.region === 'us-east-1')).toBe(true);
  });

  it('gives every function a timeout its deadline fits in, and the token service room for a cold callback', () => {
    for (const [id, fn] of functions()) expect(fn.Properties!.Timeout * 1000, id).toBeGreaterThan(DEADLINE_MARGIN_MS);
    expect(template.resource('AuthLambdaFunction').Properties!.Timeout).toBe(10);
  });

  it('is not packaged without params, and the refusal names every missing value', () => {
    expect(withoutParams.status).not.toBe(0);
    expect(withoutParams.template).toBeUndefined();
    for (const [name] of Object.entries(DEPLOY_PARAMS).filter(([, spec]) => spec.use === 'required'))
      expect(withoutParams.output).toContain(`${name}: missing`);
  });

  it("passes cfn-lint with no error and no warning but osls's own (skipped where cfn-lint, a PyPI package, is not installed)", (context) => {
    // The template with both optional params: cfn-lint checks each condition both ways, so this covers the other.
    for (const name of ['options']) {
      const file = join(scratch, name, 'package', 'cloudformation-template-update-stack.json');
      const result = spawnSync('cfn-lint', ['--format', 'parseable', file], { encoding: 'utf8' });
      // Asked here rather than with a --version run first (a Python start-up, 2 s of CPU under pyenv): not on PATH,
      // or a shim whose active Python lacks it, which answers 127 as a shell does for a missing command.
      if ((result.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT' || result.status === 127)
        return context.skip('cfn-lint, a PyPI package, is not installed');
      const findings = result.stdout.split('\n').filter(Boolean);
      // W3005: osls writes DependsOn next to a Ref or GetAtt that already orders the two resources.
      expect(
        findings.filter((line) => !/:W3005:/.test(line)),
        name,
      ).toEqual([]);
      expect(result.status! & 2, `${name}: cfn-lint's error bit`).toBe(0);
    }
  }, 60_000);
});
