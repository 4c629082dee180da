import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { createFloorHandler } from './floor.js';

/**
 * The same floor able to reach Cognito, whose JWKS is https: it loads node:https (and with it tls) at start,
 * as the authorizer does. Reported beside the target's floor, not instead of it.
 */
export const handler = createFloorHandler((url) => (url.startsWith('https:') ? httpsRequest : httpRequest));
