// SPDX-License-Identifier: AGPL-3.0-or-later
import { QueryClient } from '@tanstack/react-query';
import { shouldRetryRead } from './retry';

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { retry: shouldRetryRead, staleTime: 30_000, refetchOnWindowFocus: false },
      // Writes are never retried automatically: a create relies on its Idempotency-Key only
      // when the user repeats it, and an update must not replay with a stale If-Match.
      mutations: { retry: false },
    },
  });
}
