// SPDX-License-Identifier: AGPL-3.0-or-later
// The signed-in session: the access token lives in this module's memory only (never in
// localStorage), so a script injected into the page cannot read it from storage and a closed
// tab forgets it. A browser session survives reloads through the `cm_refresh` HttpOnly cookie:
// on start and shortly before expiry we trade it for a new access token.
import type { TokenResponse } from './models';
import { networkProblem, problemFrom, type ApiProblem } from './problem';

export type SessionState =
  | { status: 'restoring' }
  | { status: 'signedOut'; reason: 'signedOut' | 'expired' | 'none' }
  | { status: 'signedIn'; accessToken: string; cookieSession: boolean };

const CSRF_COOKIE = 'cm_csrf';
/** Refresh this long before the token expires, so requests never race the expiry. */
const REFRESH_AHEAD_MS = 60_000;
const MIN_REFRESH_DELAY_MS = 5_000;

let state: SessionState = { status: 'restoring' };
const listeners = new Set<() => void>();
let refreshTimer: ReturnType<typeof setTimeout> | undefined;
let refreshInFlight: Promise<boolean> | undefined;

function setState(next: SessionState) {
  state = next;
  for (const listener of listeners) listener();
}

export function subscribeSession(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export const getSession = (): SessionState => state;

export function getAccessToken(): string | undefined {
  return state.status === 'signedIn' ? state.accessToken : undefined;
}

function readCookie(name: string): string | undefined {
  for (const part of document.cookie.split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return decodeURIComponent(rest.join('='));
  }
  return undefined;
}

/** The double-submit CSRF token for cookie-authenticated requests (refresh, logout). */
export const csrfToken = (): string | undefined => readCookie(CSRF_COOKIE);

async function postJson(path: string, body: unknown, headers: Record<string, string> = {}) {
  try {
    return await fetch(path, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', ...headers },
      body: JSON.stringify(body),
    });
  } catch {
    throw networkProblem();
  }
}

async function problemOf(response: Response): Promise<ApiProblem> {
  const body: unknown = await response.json().catch(() => undefined);
  return problemFrom(response.status, body);
}

function startSession(tokens: TokenResponse, cookieSession: boolean) {
  setState({ status: 'signedIn', accessToken: tokens.accessToken, cookieSession });
  clearTimeout(refreshTimer);
  // Without a cookie there is nothing to refresh with: the session ends with the token.
  if (!cookieSession) return;
  const delay = Math.max(tokens.expiresIn * 1000 - REFRESH_AHEAD_MS, MIN_REFRESH_DELAY_MS);
  refreshTimer = setTimeout(() => void refreshAccessToken(), delay);
}

/** Signs in; throws ApiProblem (401 wrong credentials, 429 locked, ...). */
export async function signIn(email: string, password: string): Promise<void> {
  let response = await postJson('/api/v1/auth/login', { email, password, session: 'cookie' });
  let cookieSession = true;
  if (response.status === 400) {
    // A server without cookie sessions rejects the unknown `session` field: sign in plainly
    // and keep only the access token (the session then ends when the token expires).
    const problem = await problemOf(response);
    if (!problem.errors.some((e) => e.field === 'session')) throw problem;
    response = await postJson('/api/v1/auth/login', { email, password });
    cookieSession = false;
  }
  if (!response.ok) throw await problemOf(response);
  const tokens = (await response.json()) as TokenResponse;
  startSession(tokens, cookieSession && tokens.refreshToken === undefined);
}

/**
 * Trades the refresh cookie for a new access token. Concurrent callers share one request,
 * because the server rotates the cookie and a second use of the old one would end the session.
 */
export function refreshAccessToken(): Promise<boolean> {
  refreshInFlight ??= (async () => {
    const csrf = csrfToken();
    if (!csrf) return false;
    try {
      const response = await postJson('/api/v1/auth/refresh', {}, { 'X-CSRF-Token': csrf });
      if (!response.ok) return false;
      startSession((await response.json()) as TokenResponse, true);
      return true;
    } catch {
      return false;
    }
  })().finally(() => {
    refreshInFlight = undefined;
  });
  return refreshInFlight;
}

/** On app start: resume the browser session from the refresh cookie, if there is one. */
export async function restoreSession(): Promise<void> {
  if (state.status !== 'restoring') return;
  const restored = await refreshAccessToken();
  if (!restored) setState({ status: 'signedOut', reason: 'none' });
}

/** The server refused our token and it could not be refreshed: sign-in is needed. */
export function expireSession(): void {
  clearTimeout(refreshTimer);
  if (state.status !== 'signedOut') setState({ status: 'signedOut', reason: 'expired' });
}

export async function signOut(): Promise<void> {
  const token = getAccessToken();
  clearTimeout(refreshTimer);
  setState({ status: 'signedOut', reason: 'signedOut' });
  if (!token) return;
  const csrf = csrfToken();
  // Best effort: the token is already forgotten here, whatever the server answers.
  await postJson(
    '/api/v1/auth/logout',
    {},
    { Authorization: `Bearer ${token}`, ...(csrf ? { 'X-CSRF-Token': csrf } : {}) },
  ).catch(() => undefined);
}

/**
 * Ends every session of the account on every device, this one included. Unlike signOut it
 * waits for the server and throws its problem: someone who lost a laptop must know whether
 * it worked.
 */
export async function signOutEverywhere(): Promise<void> {
  const attempt = () => {
    const csrf = csrfToken();
    return postJson(
      '/api/v1/auth/logout',
      { everywhere: true },
      { Authorization: `Bearer ${getAccessToken() ?? ''}`, ...(csrf ? { 'X-CSRF-Token': csrf } : {}) },
    );
  };
  let response = await attempt();
  if (response.status === 401 && (await refreshAccessToken())) response = await attempt();
  if (!response.ok) throw await problemOf(response);
  clearTimeout(refreshTimer);
  setState({ status: 'signedOut', reason: 'signedOut' });
}

/** For tests: back to the state of a fresh page load. */
export function resetSessionForTests(next: SessionState = { status: 'restoring' }) {
  clearTimeout(refreshTimer);
  refreshInFlight = undefined;
  setState(next);
}
