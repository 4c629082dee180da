import { request } from 'node:http';
import { createFloorHandler } from './floor.js';

/** The floor the targets are measured against: the JWKS with node:http, as the local JWKS server speaks. */
export const handler = createFloorHandler(() => request);
