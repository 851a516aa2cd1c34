/** The companion's API as the page calls it: same origin, at /api or CWA-BD's /request/api. */
export const API_BASE =
  typeof location !== 'undefined' && location.pathname.startsWith('/request') ? '/request/api' : '/api';

/** A refused call, with the companion's `{"error": ...}` words. */
export class ApiError extends Error {
  override name = 'ApiError' as const;
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

let csrfToken = '';
let onUnauthorized: () => void = () => {};

/** The session's CSRF token (from login or `/auth/check`), sent on every state-changing call. */
export function setCsrfToken(token: string | undefined): void {
  csrfToken = token ?? '';
}

/** What to do when the session ended (401): show the sign-in page. */
export function setUnauthorizedHandler(handler: () => void): void {
  onUnauthorized = handler;
}

export interface ApiResponse<T> {
  body: T;
  headers: Headers;
}

/** Calls `path` (under the API base) and returns its JSON body and headers; failures throw {@link ApiError}. */
export async function apiCall<T>(
  path: string,
  init: { method?: string; body?: unknown } = {},
): Promise<ApiResponse<T>> {
  const method = init.method ?? 'GET';
  const headers: Record<string, string> = { 'X-Bookrelay-Protocol': '1' };
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  if (csrfToken && method !== 'GET') headers['X-CSRF-Token'] = csrfToken;
  const res = await fetch(API_BASE + path, {
    method,
    headers,
    credentials: 'same-origin',
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
  const isJson = res.headers.get('content-type')?.includes('json');
  const body = isJson ? ((await res.json().catch(() => undefined)) as unknown) : undefined;
  if (res.status === 401 && path !== '/auth/login') onUnauthorized();
  if (!res.ok) {
    const message = (body as { error?: unknown } | undefined)?.error;
    throw new ApiError(typeof message === 'string' ? message : `${res.status} ${res.statusText}`, res.status);
  }
  return { body: body as T, headers: res.headers };
}

/** {@link apiCall}, body only. */
export async function api<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  return (await apiCall<T>(path, init)).body;
}

/** A failure's words for the user. */
export const errorText = (err: unknown): string => (err instanceof Error ? err.message : String(err));
