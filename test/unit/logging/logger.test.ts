import { describe, expect, it } from 'vitest';
import { createLogger, traceIdOf } from '../../../shared/logging/logger.js';
import { loadEvent } from '../../support/fixtures.js';

/** Lambda's trace header as the runtime sets it in _X_AMZN_TRACE_ID (the X-Ray docs' sample). */
const TRACE_HEADER = 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1';

function capture({ traceHeader }: { traceHeader: string | undefined } = { traceHeader: TRACE_HEADER }) {
  const lines: string[] = [];
  const logger = createLogger('authorizer', {
    level: 'debug',
    write: (line) => lines.push(line),
    traceHeader: () => traceHeader,
  });
  return { logger, parsed: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

describe('the logger', () => {
  it("puts Lambda's request id, API Gateway's request id and the X-Ray trace id on every line of an invocation", () => {
    // Prepare
    const { logger, parsed } = capture();
    const event = loadEvent('authorizer-rest-request.powertools-ts');
    // Act
    logger.startInvocation(event, { awsRequestId: '8f5e3a0c-9d1b-4b7e-a2f1-000000000001' });
    logger.warn('denied', { reason: 'token_expired' });
    logger.debug('policy cached');
    // Assess
    for (const line of parsed()) {
      expect(line).toMatchObject({
        requestId: '8f5e3a0c-9d1b-4b7e-a2f1-000000000001',
        apiRequestId: '141d6671-99b4-40ca-9997-7a22f01eac74',
        traceId: '1-5759e988-bd862e3fe1be46a994272793',
      });
    }
    expect(parsed()).toHaveLength(2);
  });

  it("reads API Gateway's request id from an HTTP API v2 event as well", () => {
    const { logger, parsed } = capture();
    logger.startInvocation(loadEvent('authorizer-http-v2.powertools-ts'), { awsRequestId: 'l-2' });
    logger.info('allowed');
    expect(parsed()[0]).toMatchObject({ requestId: 'l-2', apiRequestId: 'ZhNHJhhLjoEEPiw=' });
  });

  it("moves to the next invocation's ids, and has none before the first", () => {
    // Prepare
    const { logger, parsed } = capture({ traceHeader: undefined });
    // Act
    logger.info('cold start');
    logger.startInvocation(loadEvent('http-payload-v2.aws-docs'), { awsRequestId: 'first' });
    logger.info('one');
    logger.startInvocation(loadEvent('offline-rest-request-authorizer'), { awsRequestId: 'second' });
    logger.info('two');
    // Assess
    const [cold, one, two] = parsed();
    expect(Object.keys(cold!)).toEqual(['level', 'service', 'message', 'time']);
    expect(one).toMatchObject({ requestId: 'first', apiRequestId: 'id' });
    expect(two).toMatchObject({ requestId: 'second', apiRequestId: 'random-request-id' });
    expect(two).not.toHaveProperty('traceId');
  });

  it('keeps the ids when a caller passes a field of the same name', () => {
    const { logger, parsed } = capture();
    logger.startInvocation({ requestContext: { requestId: 'api-1' } }, { awsRequestId: 'lambda-1' });
    logger.info('spoof', { requestId: 'forged', apiRequestId: 'forged' });
    expect(parsed()[0]).toMatchObject({ requestId: 'lambda-1', apiRequestId: 'api-1' });
  });

  it('still redacts anything shaped like a JWT', () => {
    const { logger, parsed } = capture();
    logger.error('oops', { header: 'Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl' });
    expect(parsed()[0]!.header).toBe('Bearer [redacted-jwt]');
  });

  it('takes the Root of a trace header, wherever it stands', () => {
    expect(traceIdOf('Parent=53995c3f42cd8ad8;Root=1-abc-def;Sampled=0')).toBe('1-abc-def');
    expect(traceIdOf('Sampled=0')).toBeUndefined();
    expect(traceIdOf('')).toBeUndefined();
  });
});
