import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import assets from '#console-assets';
import { loadConsoleConfig } from '../../shared/console/console-config.js';
import { type ConsoleAsset, createStaticSite, staticRequestOf } from '../../shared/console/static-site.js';

// Cold start: config (throws naming the variable) and the files, with their ETags, for the container's life.
const config = loadConsoleConfig(process.env);
const settings: ConsoleAsset = {
  path: 'settings.json',
  contentType: 'application/json; charset=utf-8',
  body: JSON.stringify({ adminGroup: config.adminGroup }),
  immutable: false,
};
const serve = createStaticSite([...assets, settings]);

/** The web console's files, public: the page holds no secret, and its data calls go through the authorizer. */
export const handler = middy<APIGatewayProxyEventV2>().handler(async (event) => serve(staticRequestOf(event)));
