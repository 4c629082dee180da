import { pathToFileURL } from 'node:url';
import { lambdaContext } from '../lib/fixtures.js';
import type { BenchRevocationTable } from '../lib/revocation.js';
import { createFloor, createJoseAuthorizer, createJsonwebtokenAuthorizer, type Decide } from '../lib/variants.js';
import { REVOKED_ENTRIES } from '../settings.js';
import type { Bundles } from './bundles.js';
import type { Workload } from './workload.js';

type Handler = (event: unknown, context?: unknown) => Promise<unknown>;

/** Everything timed warm, in this process: the production bundle imported as Lambda imports it, and the others. */
export interface WarmVariants {
  readonly floorVerify: (token: string) => unknown;
  readonly floor: Decide;
  readonly authorizer: Decide;
  /** The same bundle imported a second time, as a second container, with revocation on. */
  readonly authorizerRevocation: Decide;
  readonly bare: Decide;
  readonly jsonwebtoken: Decide;
  readonly jose: Decide;
  /** Each with its name in the correctness table. */
  readonly named: readonly (readonly [string, Decide])[];
}

/**
 * Imports the bundles with the authorizer's env in process.env (their config is read at import). The revocation
 * variant's list is read from `revocationTable` in dynalite, all of it, before its first decision.
 */
export async function loadWarmVariants(
  workload: Workload,
  bundles: Bundles,
  revocationTable: BenchRevocationTable,
): Promise<WarmVariants> {
  const context = lambdaContext();
  Object.assign(process.env, workload.authorizerEnv);
  const production = await importHandler(pathToFileURL(bundles.authorizer.file).href);
  const bareHandler = await importHandler(pathToFileURL(bundles.bare.file).href);
  Object.assign(process.env, revocationTable.env);
  const withRevocation = await importHandler(`${pathToFileURL(bundles.authorizer.file).href}?revocation=on`);
  delete process.env.REVOCATION_TABLE;
  delete process.env.DYNAMODB_ENDPOINT;

  const floorVerify = createFloor(workload.key.publicJwk);
  const floor: Decide = async (event) => {
    floorVerify(String(event.headers.Authorization).slice(7));
    return { isAuthorized: true };
  };
  const authorizer: Decide = (event) => production(event, context);
  const authorizerRevocation: Decide = (event) => withRevocation(event, context);
  const bare: Decide = (event) => bareHandler(event);
  const jsonwebtoken = createJsonwebtokenAuthorizer(workload.server.url, workload.issuer);
  const jose = createJoseAuthorizer(workload.server.url, workload.issuer);
  return {
    floorVerify,
    floor,
    authorizer,
    authorizerRevocation,
    bare,
    jsonwebtoken,
    jose,
    named: [
      ['floor', floor],
      ['cognito-gate authorizer (production bundle)', authorizer],
      [`the same bundle, revocation on (${REVOKED_ENTRIES.toLocaleString('en')} entries)`, authorizerRevocation],
      ['the core without the handler', bare],
      ['jsonwebtoken + jwks-rsa', jsonwebtoken],
      ['jose', jose],
    ],
  };
}

async function importHandler(url: string): Promise<Handler> {
  return ((await import(url)) as { handler: Handler }).handler;
}
