import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkRules, routesOfService } from '../../../scripts/rules-check.js';

const SERVICE = `
functions:
  api:
    handler: h.handler
    events:
      - http: { method: get, path: orders, authorizer: { name: authorizer } }
      - http: { method: post, path: 'orders/{id}', authorizer: authorizer }
      - httpApi: { method: '*', path: '/files/{proxy+}', authorizer: { name: gate } }
      - httpApi: 'GET /health'
`;

function runRulesCheck(rules: unknown) {
  return spawnSync(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(new URL('../../../scripts/rules-check.ts', import.meta.url))],
    {
      env: { ...process.env, AUTH_RULES: JSON.stringify(rules) },
      cwd: fileURLToPath(new URL('../../../', import.meta.url)),
      encoding: 'utf8',
    },
  );
}

describe('rules:check', () => {
  it('reads REST and HTTP API routes of a serverless.yml in rule syntax', () => {
    expect(routesOfService(SERVICE, 's.yml').map(({ route, protectedBy }) => [route, protectedBy])).toEqual([
      ['GET /orders', 'authorizer'],
      ['POST /orders/{id}', 'authorizer'],
      ['ANY /files/{proxy+}', 'gate'],
      ['GET /health', undefined],
    ]);
  });

  it('reports a protected route that no rule covers', () => {
    const rules = {
      rules: [{ route: 'GET /orders' }, { route: 'ANY /files/{proxy+}' }, { route: 'GET /health', public: true }],
    };
    const report = checkRules(rules, 'rules.json', routesOfService(SERVICE, 's.yml'), ['authorizer', 'gate']);
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
    expect(checkRules(rules, 'rules.json', routesOfService(SERVICE, 's.yml'), ['authorizer', 'gate']).unused).toEqual([
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
    expect(checkRules(rules, 'r', [], []).cacheWarnings.length).toBeGreaterThan(0);
  });

  it('exits 1 and names the problem when run on a service with an uncovered route', () => {
    // Act
    const result = runRulesCheck({ rules: [{ route: 'GET /echo', scopes: ['s'] }] });
    // Assess
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('uncovered: POST /echo');
  });

  it('exits 1 with the field at fault for an invalid rule document', () => {
    const result = runRulesCheck({ rules: [{ route: 'GET /echo', scope: ['s'] }] });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('AUTH_RULES rules[0]: unknown key "scope"');
  });
});
