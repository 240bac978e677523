// SPDX-License-Identifier: AGPL-3.0-or-later
// The one typed API client. Paths, parameters, request and response bodies are checked against
// the generated OpenAPI types (schema.d.ts).
import createClient from 'openapi-fetch';
import type { paths } from './schema';
import { expireSession, getAccessToken, getSession, refreshAccessToken } from './session';
import { networkProblem, problemFrom } from './problem';

function withToken(request: Request, token: string | undefined): Request {
  const headers = new Headers(request.headers);
  if (token) headers.set('Authorization', `Bearer ${token}`);
  return new Request(request, { headers });
}

/**
 * fetch with the bearer token. A 401 is answered once by refreshing the session and
 * replaying the request; if that fails the session is over and the app asks to sign in.
 */
export async function authorizedFetch(request: Request): Promise<Response> {
  const replay = request.clone();
  let response: Response;
  try {
    response = await fetch(withToken(request, getAccessToken()));
    if (response.status === 401) {
      const session = getSession();
      const canRefresh = session.status === 'signedIn' && session.cookieSession;
      if (canRefresh && (await refreshAccessToken())) {
        response = await fetch(withToken(replay, getAccessToken()));
      }
    }
  } catch {
    throw networkProblem();
  }
  if (response.status === 401) expireSession();
  return response;
}

const origin = typeof location === 'undefined' ? 'http://localhost' : location.origin;

export const api = createClient<paths>({ baseUrl: origin, fetch: authorizedFetch });

interface FetchResult<D> {
  data?: D;
  error?: unknown;
  response: Response;
}

/** Resolves to the response body (its type inferred from the spec) or throws ApiProblem. */
export async function unwrap<D>(call: Promise<FetchResult<D>>): Promise<D> {
  const { data, error, response } = await call;
  if (!response.ok) throw problemFrom(response.status, error);
  return data as D;
}

export interface Versioned<T> {
  data: T;
  /** The `ETag` as sent (`"3"`), to be echoed in `If-Match`. */
  etag: string;
}

/** Like unwrap, for resources updated with If-Match: keeps the ETag alongside the body. */
export async function unwrapVersioned<T extends { version: number }>(
  call: Promise<FetchResult<T>>,
): Promise<Versioned<T>> {
  const { data, error, response } = await call;
  if (!response.ok) throw problemFrom(response.status, error);
  const body = data as T;
  return { data: body, etag: response.headers.get('ETag') ?? `"${body.version}"` };
}

/** A fresh key for one create; reuse it for retries of the same submit. */
export function newIdempotencyKey(): string {
  // crypto.randomUUID exists only in secure contexts; a plain-http deployment still needs keys.
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
