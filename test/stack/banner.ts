import type { LocalStackInfo } from './local-stack.js';

/** The three copy-and-paste commands of the banner; the dev test runs exactly these. */
export function bannerCommands(info: LocalStackInfo): { getToken: string; callApi: string; login: string } {
  const tokenUrl = `${info.hostedUiBaseUrl}/oauth2/token`;
  return {
    getToken:
      `TOKEN=$(curl -s -u '${info.m2mClient.clientId}:${info.m2mClient.clientSecret}' ` +
      `-d grant_type=client_credentials -d scope=cognito-gate/read ${tokenUrl} ` +
      `| node -pe 'JSON.parse(require("fs").readFileSync(0)).access_token')`,
    callApi: `curl -s -H "Authorization: Bearer $TOKEN" ${info.apiBaseUrl}/echo`,
    login: `${info.apiBaseUrl}/auth/login?return_to=/auth/me`,
  };
}

export const BANNER_READY_LINE = 'cognito-gate is running locally';

export function renderBanner(info: LocalStackInfo, startupMs: number): string {
  const commands = bannerCommands(info);
  const users = info.users.map(
    (user) => `    ${user.username.padEnd(8)} ${user.password.padEnd(16)} groups: ${user.groups.join(', ') || '-'}`,
  );
  return [
    '',
    `  ${BANNER_READY_LINE} (up in ${(startupMs / 1000).toFixed(1)} s)`,
    '',
    info.consoleUrl
      ? `  Console (browser)     ${info.consoleUrl}   (sign in as a demo user below)`
      : '  Console               off (CONSOLE=off)',
    `  API (HTTP API)        ${info.apiBaseUrl}`,
    `  API (REST, stage dev) ${info.restBaseUrl}`,
    `  API (WebSocket)       ${info.webSocketUrl}   (connect with ?access_token=<token>)`,
    `  Hosted UI stand-in    ${info.hostedUiBaseUrl}   (issuer ${info.issuer})`,
    `  Cognito stand-in      ${info.cognitoEndpoint}   (pool ${info.userPoolId})`,
    '',
    '  Demo users (username, password):',
    ...users,
    '',
    '  1. Get an M2M token (client_credentials, scope cognito-gate/read):',
    `     ${commands.getToken}`,
    '  2. Call a protected route with it:',
    `     ${commands.callApi}`,
    '  3. Sign in with the browser (then try /echo, /auth/me, /auth/logout):',
    `     ${commands.login}`,
    '',
    '  Ctrl-C stops everything.',
    '',
  ].join('\n');
}
