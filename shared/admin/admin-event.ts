import type { APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { ProxyEvent } from '../http/proxy-event.js';
import type { AdminIdentity } from './admin-identity.js';

/** The admin function serves REST (payload 1.0) and HTTP API (payload 2.0) proxy events. */
export type AdminEvent = ProxyEvent;
export type AdminResult = APIGatewayProxyStructuredResultV2;
/** require-admin.ts puts the checked identity here, as middy's own middlewares put values on the context. */
export type AdminContext = Context & { adminIdentity?: AdminIdentity };
