import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { checkRules, type GateIdentity, main, routesOfService } from '../../../scripts/rules-check.js';

const GATE: GateIdentity = { service: 'cognito-gate', functionName: 'authorizer', extraNames: [] };

/** This service, as its own serverless.yml attaches the authorizer. */
const GATE_SERVICE = `
service: cognito-gate
provider:
  httpApi:
    authorizers:
      gate: { type: request, functionName: authorizer }
functions:
  authorizer:
    handler: functions/authorizer/handler.handler
  api:
    handler: h.handler
    events:
      - http: { method: get, path: orders, authorizer: { name: authorizer, type: request } }
      - http: { method: post, path: 'orders/{id}', authorizer: authorizer }
      - httpApi: { method: '*', path: '/files/{proxy+}', authorizer: { name: gate } }
      - httpApi: 'GET /health'
`;

/** Another service attaching the authorizer in every form README shows or CloudFormation allows. */
const ORDERS_SERVICE = `
service: orders
provider:
  httpApi:
    authorizers:
      cognitoGate:
        type: request
        functionArn: \${cf:cognito-gate-\${sls:stage}.AuthorizerFunctionArn}
        identitySource: [$request.header.Authorization, $context.routeKey]
      byImport:
        type: request
        functionArn: !ImportValue cognito-gate-prod-authorizer-arn
      ordersJwt:
        type: jwt
        identitySource: $request.header.Authorization
        issuerUrl: https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Other
        audience: [abc]
functions:
  orders:
    handler: orders.handler
    events:
      - http:
          method: GET
          path: /orders
          authorizer:
            arn: \${cf:cognito-gate-\${sls:stage}.AuthorizerFunctionArn}
            type: request
      - http:
          method: DELETE
          path: '/orders/{id}'
          authorizer: { arn: { 'Fn::ImportValue': 'cognito-gate-prod-authorizer-arn' }, type: request }
      - http: { method: PUT, path: '/orders/{id}', authorizer: 'arn:aws:lambda:eu-west-1:111122223333:function:cognito-gate-prod-authorizer' }
      - http: { method: PATCH, path: '/orders/{id}', authorizer: { type: CUSTOM, authorizerId: !Ref GateAuthorizer } }
      - http: { method: GET, path: /invoices, authorizer: 'arn:aws:lambda:eu-west-1:111122223333:function:billing-prod-auth' }
      - httpApi: { method: GET, path: /carts, authorizer: { name: cognitoGate } }
      - httpApi: { method: POST, path: /carts, authorizer: { name: byImport } }
      - httpApi: { method: GET, path: /reports, authorizer: { name: ordersJwt } }
      - httpApi: { method: GET, path: /legacy, authorizer: { id: abc123 } }
resources:
  Resources:
    GateAuthorizer:
      Type: AWS::ApiGateway::Authorizer
      Properties:
        Type: REQUEST
        RestApiId: !Ref ApiGatewayRestApi
        AuthorizerUri: !Sub
          - arn:\${AWS::Partition}:apigateway:\${AWS::Region}:lambda:path/2015-03-31/functions/\${Arn}/invocations
          - Arn: !ImportValue cognito-gate-prod-authorizer-arn
`;

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'rules-check-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The script's main() in this process, as its command line runs it (one test below spawns the command itself). */
function runRulesCheck(rules: unknown, files: string[] = [], env: Record<string, string> = {}) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((line: string) => void stdout.push(`${line}\n`));
  const error = vi.spyOn(console, 'error').mockImplementation((line: string) => void stderr.push(`${line}\n`));
  try {
    const status = main(files, { ...process.env, AUTH_RULES: JSON.stringify(rules), ...env });
    return { status, stdout: stdout.join(''), stderr: stderr.join('') };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}
function scratchFile(name: string, text: string): string {
  const file = join(scratch, name);
  writeFileSync(file, text);
  return file;
}
const gatedRoutes = (yaml: string) =>
  routesOfService(yaml, 's.yml', GATE)
    .routes.filter((route) => route.gated)
    .map((route) => route.route);

describe('rules:check', () => {
  it("reads this service's REST and HTTP API routes in rule syntax, and which the authorizer protects", () => {
    expect(
      routesOfService(GATE_SERVICE, 's.yml', GATE).routes.map(({ route, authorizer, gated }) => [
        route,
        authorizer,
        gated,
      ]),
    ).toEqual([
      ['GET /orders', 'authorizer', true],
      ['POST /orders/{id}', 'authorizer', true],
      ['ANY /files/{proxy+}', 'gate', true],
      ['GET /health', undefined, false],
    ]);
  });

  it("finds another service's routes that use the authorizer by ARN, export, authorizerId or any name", () => {
    expect(gatedRoutes(ORDERS_SERVICE)).toEqual([
      'GET /orders',
      'DELETE /orders/{id}',
      'PUT /orders/{id}',
      'PATCH /orders/{id}',
      'GET /carts',
      'POST /carts',
    ]);
  });

  it("leaves out another authorizer's routes, and names an authorizer it cannot place", () => {
    // Act
    const reading = routesOfService(ORDERS_SERVICE, 'orders.yml', GATE);
    // Assess
    expect(reading.routes.filter((route) => !route.gated).map((route) => route.route)).toEqual([
      'GET /invoices',
      'GET /reports',
      'GET /legacy',
    ]);
    expect(reading.unresolved).toEqual(['orders.yml functions.orders GET /legacy: HTTP API authorizer id "abc123"']);
  });

  it('counts an authorizer named in RULES_CHECK_AUTHORIZERS as this one', () => {
    const gate = { ...GATE, extraNames: ['ordersJwt'] };
    expect(routesOfService(ORDERS_SERVICE, 's.yml', gate).routes.find((r) => r.route === 'GET /reports')?.gated).toBe(
      true,
    );
  });

  it('does not take a function called "authorizer" in another service for this one', () => {
    const other = GATE_SERVICE.replace('service: cognito-gate', 'service: orders');
    expect(gatedRoutes(other)).toEqual([]);
  });

  describe('a WebSocket API', () => {
    const WEBSOCKET_SERVICE = `
service: cognito-gate
functions:
  authorizer:
    handler: functions/authorizer/handler.handler
  chat:
    handler: h.handler
    events:
      - websocket: { route: $connect, authorizer: { name: authorizer, identitySource: [route.request.querystring.access_token] } }
      - websocket: { route: $default, routeResponseSelectionExpression: $default }
      - websocket: $disconnect
`;
    const routes = () => routesOfService(WEBSOCKET_SERVICE, 's.yml', GATE).routes;

    it('reads $connect, the one WebSocket route an authorizer guards, and nothing else of it', () => {
      expect(routes().map(({ route, gated }) => [route, gated])).toEqual([['$connect', true]]);
    });

    it('reports a guarded $connect without a rule, which "ANY /" does not cover', () => {
      const report = checkRules({ rules: [{ route: 'ANY /', public: true }] }, 'rules.json', routes());
      expect(report.uncovered.map((route) => route.route)).toEqual(['$connect']);
      expect(report.unused).toEqual(['ANY /']);
    });

    it('accepts a $connect rule for it, and reports a $connect rule where no service has a WebSocket API', () => {
      const rules = { rules: [{ route: '$connect', scopes: ['chat/connect'] }] };
      expect(checkRules(rules, 'rules.json', routes())).toMatchObject({ uncovered: [], unused: [] });
      expect(checkRules(rules, 'rules.json', []).unused).toEqual(['$connect']);
    });
  });

  it('reports a protected route that no rule covers', () => {
    const rules = {
      rules: [{ route: 'GET /orders' }, { route: 'ANY /files/{proxy+}' }, { route: 'GET /health', public: true }],
    };
    const report = checkRules(rules, 'rules.json', routesOfService(GATE_SERVICE, 's.yml', GATE).routes);
    expect(report.uncovered.map((route) => route.route)).toEqual(['POST /orders/{id}']);
    expect(report.unused).toEqual([]);
  });

  it('reports a rule that matches no route', () => {
    const rules = {
      rules: [
        { route: 'GET /orders' },
        { route: 'POST /orders/{id}' },
        { route: 'ANY /files/{proxy+}' },
        { route: 'GET /ordres' },
      ],
    };
    expect(checkRules(rules, 'rules.json', routesOfService(GATE_SERVICE, 's.yml', GATE).routes).unused).toEqual([
      'GET /ordres',
    ]);
  });

  it('warns about a rule set whose REST policies cannot be cached safely', () => {
    const rules = {
      rules: [
        { route: 'GET /files/{proxy+}', public: true },
        { route: 'GET /files/{id}', scopes: ['x'] },
      ],
    };
    expect(checkRules(rules, 'r', []).cacheWarnings.length).toBeGreaterThan(0);
  });

  it('passes on the repository as shipped: serverless.yml and rules.json', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts/rules-check.ts')], {
      env: { ...process.env, AUTH_RULES: '' },
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(result.stdout).toContain('rules.json is valid and covers every protected route');
    expect(result.status).toBe(0);
  });

  it('exits 1 and names the route of another service that the authorizer protects under another name', () => {
    // Prepare
    const orders = scratchFile('orders.yml', ORDERS_SERVICE);
    const rules = {
      rules: [
        { route: 'GET /orders', scopes: ['orders/read'] },
        { route: 'ANY /orders/{id}', scopes: ['orders/write'] },
        { route: 'POST /carts', scopes: ['carts/write'] },
      ],
    };
    // Act
    const result = runRulesCheck(rules, [orders]);
    // Assess
    expect(result.status).toBe(1);
    expect(result.stdout).toContain(`uncovered: GET /carts (${orders} functions.orders (HTTP API))`);
    expect(result.stdout).toContain('warning: ');
  });

  it('exits 1 and names the problem when run on a service with an uncovered route', () => {
    const result = runRulesCheck({ rules: [{ route: 'GET /echo', scopes: ['s'] }] });
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('uncovered: POST /echo');
  });

  it('exits 2 with file, line and column for a serverless.yml that does not parse, reporting nothing else', () => {
    // Prepare
    const broken = scratchFile(
      'broken.yml',
      'service: orders\nfunctions:\n  orders:\n    events: [\n      - http: GET /orders\n',
    );
    // Act
    const result = runRulesCheck({ rules: [{ route: 'GET /orders' }] }, [broken]);
    // Assess
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(new RegExp(`^rules:check: ${broken}:\\d+:\\d+: `));
    expect(result.stdout).not.toContain('unused');
  });

  it('exits 2 for a duplicate key, which osls would refuse too', () => {
    const duplicate = scratchFile('dup.yml', 'service: orders\nfunctions: {}\nfunctions: {}\n');
    const result = runRulesCheck({ rules: [{ route: 'GET /orders' }] }, [duplicate]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`${duplicate}:3:1: Map keys must be unique`);
  });

  it('exits 2 for a file that does not exist', () => {
    const result = runRulesCheck({ rules: [{ route: 'GET /orders' }] }, ['no/such/serverless.yml']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('no/such/serverless.yml: cannot read it (ENOENT)');
  });

  it('exits 2 with the field at fault for an invalid rule document', () => {
    const result = runRulesCheck({ rules: [{ route: 'GET /echo', scope: ['s'] }] });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('AUTH_RULES rules[0]: unknown key "scope"');
  });
});
