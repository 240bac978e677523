// SPDX-License-Identifier: AGPL-3.0-or-later
// JSON calls to endpoints the checked-in spec does not describe yet (saved views); the same
// session, refresh and problem handling as the typed client. Replace each use by `api.*` once
// `npm run api:types` brings the endpoint in.
import { authorizedFetch } from './client';
import { problemFrom } from './problem';

export async function rawJson<T>(
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<T> {
  const response = await authorizedFetch(
    new Request(new URL(path, location.origin), {
      method,
      headers: {
        Accept: 'application/json',
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    }),
  );
  const text = await response.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = text;
  }
  if (!response.ok) throw problemFrom(response.status, json);
  return json as T;
}
