import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DEPLOY_PARAMS, deployParamProblems, LOCAL_STAGE, paramSources } from '../../../plugins/deploy-params.mjs';
import { poolRegion } from '../../../shared/config/cognito-patterns.js';

const SERVICE_YAML = fileURLToPath(new URL('../../../serverless.yml', import.meta.url));
const configParams = (parse(readFileSync(SERVICE_YAML, 'utf8'), { logLevel: 'silent' }) as { params: any })
  .params as Record<string, Record<string, unknown>>;

/** The values README's deploy command asks for, filled in as an operator would. */
const COMPLETE = [
  'userPoolId=eu-west-1_AbCdEf123',
  'clientIds=1h2j3k4l5m6n7o8p9q0r1s2t3u,7v8w9x0y1z2a3b4c5d6e7f8g9h',
  'webClientId=4w5e6b7c8l9i0e1n2t3i4d5f6g',
  'redirectUri=https://api.acme.test/auth/callback',
  'clientSecretParam=/cognito-gate/prod/oidc-client-secret',
  'cookieSecretParam=/cognito-gate/prod/cookie-secret',
  'cognitoDomain=acme-prod.auth.eu-west-1.amazoncognito.com',
];

const problemsOf = (cliParams: string[], stageBlock: Record<string, unknown> = {}) =>
  deployParamProblems(paramSources({ configParams: { ...configParams, prod: stageBlock }, stage: 'prod', cliParams }));

describe('deploy params', () => {
  it('names every required value when a deployed stage has none', () => {
    // Act
    const problems = problemsOf([]);
    // Assess
    expect(problems.map((problem) => problem.split(':')[0])).toEqual([
      'userPoolId',
      'clientIds',
      'webClientId',
      'redirectUri',
      'clientSecretParam',
      'cookieSecretParam',
      'cognitoDomain',
    ]);
    expect(problems.every((problem) => problem.includes('missing'))).toBe(true);
  });

  it('accepts the complete set of README values', () => {
    expect(problemsOf(COMPLETE)).toEqual([]);
  });

  it('accepts clientIds=* (any app client of the pool, README) and refuses * among client ids', () => {
    const withClients = (value: string) =>
      COMPLETE.map((param) => (param.startsWith('clientIds=') ? `clientIds=${value}` : param));
    expect(problemsOf(withClients('*'))).toEqual([]);
    expect(problemsOf(withClients('*,abc'))).toEqual([
      expect.stringMatching(/^clientIds: .*is not \* or a comma-separated list/),
    ]);
  });

  it('refuses values still holding an example or a README placeholder', () => {
    // Prepare
    const params = COMPLETE.map((param) =>
      param.startsWith('redirectUri=')
        ? 'redirectUri=https://api.example.com/auth/callback'
        : param.startsWith('webClientId=')
          ? 'webClientId=<web client id>'
          : param,
    );
    // Act
    const problems = problemsOf(params);
    // Assess
    expect(problems).toEqual([
      expect.stringMatching(/^webClientId: still an example value/),
      expect.stringMatching(/^redirectUri: still an example value/),
    ]);
  });

  it('refuses an example value set in the stage block of serverless.yml as well', () => {
    expect(problemsOf(COMPLETE.slice(1), { userPoolId: 'us-east-1_EXAMPLE' })).toEqual([
      expect.stringMatching(/^userPoolId: still an example value/),
    ]);
  });

  it.each([
    ['userPoolId=AbCdEf123', /^userPoolId: is not a Cognito user pool id/],
    ['redirectUri=http://api.acme.test/auth/callback', /^redirectUri: is not an https URL/],
    ['clientSecretParam=cognito-gate/prod/oidc-client-secret', /^clientSecretParam: is not an SSM parameter name/],
    ['kmsKeyArn=alias/aws/ssm', /^kmsKeyArn: is not a KMS key ARN/],
    ['apiRateLimit=-5', /^apiRateLimit: is not a positive number/],
    ['csrfAllowedOrigins=https://app.acme.test/path', /^csrfAllowedOrigins: is not a list of https origins/],
  ])('refuses the malformed value %s', (param, expected) => {
    // Prepare
    const name = param.split('=')[0]!;
    const params = [...COMPLETE.filter((other) => !other.startsWith(`${name}=`)), param];
    // Act, Assess
    expect(problemsOf(params)).toEqual([expect.stringMatching(expected)]);
  });

  it('refuses a plain-text secret or a local stand-in on a deployed stage, without echoing the value', () => {
    // Act
    const problems = problemsOf([...COMPLETE, 'oidcClientSecret=s3cr3t-value', 'cookieSecure=false']);
    // Assess
    expect(problems).toEqual([
      expect.stringMatching(/^oidcClientSecret: only the local stack may set it/),
      expect.stringMatching(/^cookieSecure: only the local stack may set it/),
    ]);
    expect(problems.join('\n')).not.toContain('s3cr3t-value');
  });

  it('takes --param over the stage block over the default block, as osls does', () => {
    // Act
    const sources = paramSources({
      configParams: { default: { logLevel: 'info' }, prod: { logLevel: 'warn' } },
      stage: 'prod',
      cliParams: ['logLevel=debug', 'redirectUri=https://h.test/auth/callback?x=a=b'],
    });
    // Assess
    expect(sources.cli).toEqual({ logLevel: 'debug', redirectUri: 'https://h.test/auth/callback?x=a=b' });
    expect(sources.stage).toEqual({ logLevel: 'warn' });
  });

  it('knows exactly the params that serverless.yml declares, and the local stage sets no others', () => {
    expect(Object.keys(DEPLOY_PARAMS).sort()).toEqual(Object.keys(configParams.default!).sort());
    const localKeys = Object.keys(configParams[LOCAL_STAGE]!);
    expect(localKeys.filter((name) => !(name in DEPLOY_PARAMS))).toEqual([]);
  });

  it('gives no deployed value a default that is an example', () => {
    expect(deployParamProblems(paramSources({ configParams, stage: 'prod', cliParams: COMPLETE }))).toEqual([]);
    for (const value of Object.values(configParams.default!)) expect(String(value)).not.toMatch(/example/i);
  });

  it('reads the pool id as the runtime does: a region, an underscore, an id', () => {
    for (const poolId of ['eu-west-1_AbCdEf123', 'us-gov-west-1_Xy9', 'ap-southeast-2_z', 'local_1234', 'eu-west-1']) {
      const accepted = problemsOf([...COMPLETE.slice(1), `userPoolId=${poolId}`]).length === 0;
      expect(accepted, poolId).toBe(poolRegion(poolId) !== undefined);
    }
  });
});
