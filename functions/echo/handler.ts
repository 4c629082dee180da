import middy from '@middy/core';
import { jsonResponse } from '../../shared/http/json-response.js';
import { isV2Event, methodAndPath, type ProxyEvent } from '../../shared/http/proxy-event.js';
import { identityOf } from '../../shared/http/request-identity.js';

/** A sample protected backend, like httpbin's /anything: it shows what the authorizer passed on. */
export const handler = middy<ProxyEvent>().handler(async (event) => {
  const { method, path } = methodAndPath(event);
  return jsonResponse(200, {
    method,
    path,
    api: isV2Event(event) ? 'http' : 'rest',
    identity: identityOf(event) ?? null,
  });
});
