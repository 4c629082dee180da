/**
 * Every call the console makes: same origin, the session cookie sent by the browser (the page never holds a
 * token), JSON in and out. A failure becomes one shape, whatever answered: the admin API and the token
 * service send `{error: {code, message, field?}}`, API Gateway's authorizer refusals send `{message}`.
 */
export interface ApiError {
  readonly code: string;
  readonly message: string;
  /** The input at fault, as the admin API names it (`username`, `groups[0]`, …). */
  readonly field?: string;
}

export type ApiResult<T> =
  | { readonly ok: true; readonly status: number; readonly data: T }
  | { readonly ok: false; readonly status: number; readonly error: ApiError; readonly body: unknown };

export interface ApiRequest {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** From the API's root, e.g. `/admin/users`. */
  readonly path: string;
  readonly query?: Readonly<Record<string, string | number | undefined>>;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

type RefusalListener = (status: number) => void;
const refusalListeners: RefusalListener[] = [];
let apiRoot = '';

/** The API's root path: `` when the console is at `/console/`, `/prod` when it is at `/prod/console/`. */
export function setApiRoot(root: string): void {
  apiRoot = root.replace(/\/+$/, '');
}

/** Told about every 401, so the page can say that the session has ended wherever it happened. */
export function onUnauthorized(listener: RefusalListener): void {
  refusalListeners.push(listener);
}

export function requestUrl(request: Pick<ApiRequest, 'path' | 'query'>): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(request.query ?? {})) {
    if (value !== undefined && value !== '') query.set(name, String(value));
  }
  const text = query.toString();
  return `${apiRoot}${request.path}${text ? `?${text}` : ''}`;
}

export async function callApi<T>(request: ApiRequest): Promise<ApiResult<T>> {
  let response: Response;
  try {
    response = await fetch(requestUrl(request), {
      method: request.method,
      // The cookie goes only to this origin; a same-origin fetch also sends the Origin and Sec-Fetch-Site
      // headers that the CSRF checks of the token service and the authorizer look for.
      credentials: 'same-origin',
      cache: 'no-store',
      headers: {
        accept: 'application/json',
        ...(request.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...request.headers,
      },
      ...(request.body !== undefined ? { body: JSON.stringify(request.body) } : {}),
    });
  } catch {
    return {
      ok: false,
      status: 0,
      error: { code: 'network_error', message: 'The API could not be reached. Check the connection and try again.' },
      body: undefined,
    };
  }
  const body = parseJson(await response.text());
  if (response.ok) return { ok: true, status: response.status, data: body as T };
  if (response.status === 401) for (const listener of refusalListeners) listener(response.status);
  return { ok: false, status: response.status, error: apiErrorOf(response.status, body), body };
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

const GATEWAY_MESSAGES: Readonly<Record<number, ApiError>> = {
  401: {
    code: 'unauthorized',
    message: 'The authorizer refused the call (401): nobody is signed in, or the session is no longer valid.',
  },
  403: {
    code: 'forbidden',
    message: "The authorizer refused the call (403): the session is valid, but the route's rule does not allow it.",
  },
  404: { code: 'not_found', message: 'There is no such route (404).' },
  429: { code: 'too_many_requests', message: 'Too many requests (429); wait a moment and try again.' },
};

/** The error of a failed call, from whichever shape the body has. */
export function apiErrorOf(status: number, body: unknown): ApiError {
  const error = (body as { error?: unknown } | undefined)?.error;
  if (error && typeof error === 'object') {
    const { code, message, field } = error as Record<string, unknown>;
    if (typeof code === 'string' && typeof message === 'string') {
      return { code, message, ...(typeof field === 'string' && field ? { field } : {}) };
    }
  }
  return (
    GATEWAY_MESSAGES[status] ?? {
      code: status >= 500 ? 'server_error' : 'request_failed',
      message:
        status >= 500
          ? `The service could not complete this (${status}); try again later.`
          : `The request failed (${status}).`,
    }
  );
}
