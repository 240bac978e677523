// SPDX-License-Identifier: AGPL-3.0-or-later
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../api/client';
import type { Counterparty, CounterpartyInput, CounterpartyRequestBody } from '../api/models';
import { queryKeys } from '../api/queryKeys';

export type { CounterpartyInput };

/**
 * Up to this many counterparties are loaded for pickers and for naming a contract's parties.
 * Contracts carry only counterparty ids, so the list needs the names from here.
 */
const MAX_COUNTERPARTIES = 1000;

async function loadCounterparties(signal: AbortSignal): Promise<Counterparty[]> {
  const all: Counterparty[] = [];
  let cursor: string | undefined;
  do {
    const page = await unwrap(
      api.GET('/api/v1/counterparties', {
        params: { query: { limit: '200', ...(cursor ? { cursor } : {}) } },
        signal,
      }),
    );
    all.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor && all.length < MAX_COUNTERPARTIES);
  return all;
}

export function useCounterparties() {
  return useQuery({
    queryKey: queryKeys.counterparties.all,
    queryFn: ({ signal }) => loadCounterparties(signal),
    staleTime: 60_000,
  });
}

export function useCounterpartyNames(): Map<string, string> {
  const { data } = useCounterparties();
  const names = new Map<string, string>();
  for (const c of data ?? []) names.set(c.id, c.name);
  return names;
}

export function useCreateCounterparty() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ body, idempotencyKey }: { body: CounterpartyInput; idempotencyKey: string }) =>
      unwrap(
        api.POST('/api/v1/counterparties', {
          // The spec names the response schema as this request body (server gap): the cast
          // goes once the request schema is its own.
          body: body as unknown as CounterpartyRequestBody,
          headers: { 'Idempotency-Key': idempotencyKey },
        }),
      ),
    onSuccess: (created) => {
      queryClient.setQueryData<Counterparty[]>(queryKeys.counterparties.all, (current) =>
        current ? [...current, created].sort((a, b) => a.name.localeCompare(b.name)) : current,
      );
      void queryClient.invalidateQueries({ queryKey: queryKeys.counterparties.all });
    },
  });
}
