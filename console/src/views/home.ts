import { announce } from '../announcer.js';
import { type ApiResult, callApi } from '../api.js';
import { h, replaceChildren } from '../elements.js';
import { formatEpochTime, listOrNone } from '../format.js';
import { selectField, submitButton, whileBusy } from '../forms.js';
import { refreshSession, signInUrl } from '../session.js';
import { describeRemaining } from '../session-clock.js';
import type { ConsoleContext, View } from '../view.js';

/** Routes of the sample backend (functions/echo) to call with the session: one each that rules.json allows
 * a signed-in user by scope, refuses without the write scope, and allows only to the admins group. */
const TRY_ROUTES = [
  ['GET /echo', 'GET /echo'],
  ['POST /echo', 'POST /echo'],
  ['GET /echo/admin/status', 'GET /echo/admin/status'],
] as const;

interface EchoBody {
  readonly method?: string;
  readonly path?: string;
  readonly identity?: Readonly<Record<string, unknown>> | null;
}

export function homeView(ctx: ConsoleContext): View {
  const me = ctx.me;
  if (!me) {
    return {
      title: 'Sign in',
      content: h(
        'div',
        { class: 'stack' },
        h(
          'p',
          null,
          'Nobody is signed in here. Signing in goes through the Cognito hosted UI; this page never sees a token, ',
          'only the session the token service keeps in HttpOnly cookies.',
        ),
        h('p', null, h('a', { class: 'button', href: signInUrl(ctx.consolePath) }, 'Sign in')),
      ),
    };
  }

  const ends = h('dd', null);
  const drawSession = () => {
    const current = ctx.me;
    if (!current) return;
    replaceChildren(
      ends,
      h('time', { datetime: new Date(current.expiresAt * 1000).toISOString() }, formatEpochTime(current.expiresAt)),
      ` (${describeRemaining(current.expiresAt, Date.now())}; renewed automatically before then)`,
    );
  };
  drawSession();
  const timer = window.setInterval(drawSession, 15_000);

  const renewStatus = h('p', { class: 'result', role: 'status' });
  const renewForm = h('form', { class: 'inline' }, submitButton('Renew the session now'));
  renewForm.addEventListener('submit', (event) => {
    event.preventDefault();
    void whileBusy(renewForm, async () => {
      const renewed = await refreshSession();
      if (renewed.ok) {
        await ctx.reloadSession();
        drawSession();
        renewStatus.textContent = `Session renewed: it now ends at ${formatEpochTime(renewed.data.expiresAt)}.`;
      } else {
        renewStatus.textContent = `Not renewed (${renewed.status}): ${renewed.error.message}`;
      }
    });
  });

  const answer = h('div', { class: 'answer', id: 'api-answer' });
  const tryForm = h(
    'form',
    { 'aria-describedby': 'try-intro' },
    selectField({ label: 'Route', name: 'route', choices: TRY_ROUTES }),
    submitButton('Call the API'),
  );
  tryForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const [method, path] = String(new FormData(tryForm).get('route')).split(' ') as ['GET' | 'POST', string];
    void whileBusy(tryForm, async () => {
      replaceChildren(answer, h('p', null, `Calling ${method} ${path}…`));
      const result = await callApi<EchoBody>({ method, path, ...(method === 'POST' ? { body: {} } : {}) });
      replaceChildren(answer, ...describeAnswer(method, path, result));
    });
  });

  return {
    title: 'Who am I',
    content: h(
      'div',
      { class: 'stack' },
      h(
        'dl',
        { class: 'facts' },
        h('dt', null, 'Username'),
        h('dd', null, me.username ?? '–'),
        h('dt', null, 'Email'),
        h('dd', null, me.email ?? '–'),
        h('dt', null, 'Groups'),
        h('dd', null, listOrNone(me.groups)),
        h('dt', null, 'Session ends'),
        ends,
      ),
      renewForm,
      renewStatus,
      h(
        'section',
        { 'aria-labelledby': 'try-heading', class: 'stack' },
        h('h2', { id: 'try-heading' }, 'Try the API'),
        h(
          'p',
          { id: 'try-intro' },
          'Calls a route of the sample backend with this session. The authorizer decides from the session cookie ',
          "and the route's rule; the backend answers with the identity the authorizer passed on.",
        ),
        tryForm,
        answer,
      ),
    ),
    dispose: () => window.clearInterval(timer),
  };
}

function describeAnswer(method: string, path: string, result: ApiResult<EchoBody>): Node[] {
  const call = `${method} ${path}`;
  if (!result.ok) {
    announce(`${call}: refused with status ${result.status}`);
    return [
      h('p', { class: 'verdict refused' }, h('strong', null, `${result.status}`), ` ${call}: refused`),
      h('p', null, result.error.message),
    ];
  }
  announce(`${call}: allowed, status ${result.status}`);
  const identity = result.data?.identity ?? null;
  return [
    h('p', { class: 'verdict allowed' }, h('strong', null, `${result.status}`), ` ${call}: allowed`),
    h('p', null, 'The identity the backend received from the authorizer:'),
    identity
      ? h(
          'dl',
          { class: 'facts' },
          Object.entries(identity).map(([name, value]) => [
            h('dt', null, name),
            h('dd', null, Array.isArray(value) ? listOrNone(value.map(String)) : String(value)),
          ]),
        )
      : h('p', null, 'none'),
    h('details', null, h('summary', null, 'Response body'), h('pre', null, JSON.stringify(result.data, null, 2))),
  ];
}
