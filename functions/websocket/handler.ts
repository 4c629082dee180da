import { identityOf } from '../../shared/http/request-identity.js';

interface WebSocketEvent {
  requestContext: { eventType?: string; connectionId?: string; authorizer?: Record<string, unknown> | null };
}

/**
 * A sample WebSocket backend: $connect accepts (the authorizer already decided), $disconnect has nothing to
 * clean up, and every message is answered with the identity that the authorizer gave the connection. The answer
 * is the route's response ($default route response), so the sample needs no Management API call and no IAM grant.
 */
export async function handler(event: WebSocketEvent): Promise<{ statusCode: number; body?: string }> {
  if (event.requestContext.eventType !== 'MESSAGE') return { statusCode: 200 };
  return {
    statusCode: 200,
    body: JSON.stringify({
      connectionId: event.requestContext.connectionId,
      identity: identityOf(event) ?? null,
    }),
  };
}
