import type { IncomingMessage } from 'node:http';
import type Provider from 'oidc-provider';
import { errors } from 'oidc-provider';
import { BAD_CREDENTIALS, type UserDirectory } from './user-directory.js';

/** The Koa context that oidc-provider's middleware receives. */
export type ProviderContext = Parameters<Parameters<Provider['use']>[0]>[0];

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

/** Cognito's sign-in form: username and password, posted back to the interaction; an error shown above it. */
export function loginPage(uid: string, options: { error?: string; username?: string } = {}): string {
  const error = options.error === undefined ? '' : `<p role="alert" class="error">${escapeHtml(options.error)}</p>`;
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Sign in</title></head>
<body>
<main>
<h1>Sign in with your username and password</h1>
${error}
<form method="post" action="/interaction/${escapeHtml(uid)}/login" autocomplete="off">
<label for="username">Username</label>
<input id="username" name="username" type="text" autocapitalize="none" required value="${escapeHtml(options.username ?? '')}">
<label for="password">Password</label>
<input id="password" name="password" type="password" required>
<button type="submit" name="signInSubmitButton">Sign in</button>
</form>
</main>
</body>
</html>
`;
}

/** A page with one message: an expired sign-in, a bad logout request, an OAuth error with nowhere to go. */
export function messagePage(title: string, message: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>
<body><main><h1>${escapeHtml(title)}</h1><p role="alert">${escapeHtml(message)}</p></main></body></html>
`;
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > 16_384) {
      throw new errors.InvalidRequest('form body too large');
    }
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

export function sendHtml(ctx: ProviderContext, status: number, html: string): void {
  ctx.status = status;
  ctx.type = 'text/html; charset=utf-8';
  ctx.set('Cache-Control', 'no-store');
  ctx.body = html;
}

/**
 * The hosted UI's sign-in: GET shows the form (or approves a consent prompt, as Cognito has none), POST checks
 * the password against the directory and finishes the interaction.
 */
export function createLoginForm(provider: Provider, directory: UserDirectory) {
  const finishInteraction = async (ctx: ProviderContext, result: Parameters<typeof provider.interactionResult>[2]) => {
    const returnTo = await provider.interactionResult(ctx.req, ctx.res, result, { mergeWithLastSubmission: false });
    ctx.status = 303;
    ctx.redirect(returnTo);
  };

  const showInteraction = async (ctx: ProviderContext, uid: string): Promise<void> => {
    const details = await provider.interactionDetails(ctx.req, ctx.res);
    if (details.uid !== uid) {
      throw new errors.SessionNotFound('interaction mismatch');
    }
    if (details.prompt.name === 'login') {
      sendHtml(ctx, 200, loginPage(uid));
      return;
    }
    // Consent only shows up if grantRequested could not cover the request; approve it like Cognito would.
    const accountId = details.session?.accountId;
    const clientId = details.params.client_id;
    if (details.prompt.name !== 'consent' || accountId === undefined || typeof clientId !== 'string') {
      sendHtml(ctx, 400, messagePage('Cannot continue', `Unsupported prompt ${details.prompt.name}.`));
      return;
    }
    const grant =
      (details.grantId === undefined ? undefined : await provider.Grant.find(details.grantId)) ??
      new provider.Grant({ accountId, clientId });
    const promptDetails = details.prompt.details as {
      missingOIDCScope?: string[];
      missingOIDCClaims?: string[];
      missingResourceScopes?: Record<string, string[]>;
    };
    if (promptDetails.missingOIDCScope) {
      grant.addOIDCScope(promptDetails.missingOIDCScope);
    }
    if (promptDetails.missingOIDCClaims) {
      grant.addOIDCClaims(promptDetails.missingOIDCClaims);
    }
    for (const [indicator, scopes] of Object.entries(promptDetails.missingResourceScopes ?? {})) {
      grant.addResourceScope(indicator, scopes);
    }
    await finishInteraction(ctx, { consent: { grantId: await grant.save() } });
  };

  const submitLogin = async (ctx: ProviderContext, uid: string): Promise<void> => {
    const details = await provider.interactionDetails(ctx.req, ctx.res);
    if (details.uid !== uid || details.prompt.name !== 'login') {
      throw new errors.SessionNotFound('interaction mismatch');
    }
    const form = await readForm(ctx.req);
    const username = form.get('username')?.trim() ?? '';
    const password = form.get('password') ?? '';
    const outcome =
      username === '' || password === '' ? BAD_CREDENTIALS : await directory.authenticate(username, password);
    if (typeof outcome === 'string') {
      sendHtml(ctx, 200, loginPage(uid, { error: outcome, username }));
      return;
    }
    await finishInteraction(ctx, { login: { accountId: outcome.sub } });
  };
  return { showInteraction, submitLogin };
}
