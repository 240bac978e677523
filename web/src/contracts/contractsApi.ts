// SPDX-License-Identifier: AGPL-3.0-or-later
// Reads and writes of contracts and what hangs off them, as TanStack Query hooks.
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap, unwrapVersioned, type Versioned } from '../api/client';
import type { Contract, ContractInput } from '../api/models';
import { queryKeys } from '../api/queryKeys';
import type { ContractListQuery } from './contractListUrl';

export type { ContractInput };

/** Rows per request: large enough that scrolling 10,000 rows takes few requests. */
export const CONTRACT_PAGE_SIZE = 200;

export function useContractList(query: ContractListQuery) {
  return useInfiniteQuery({
    queryKey: queryKeys.contracts.list(query),
    queryFn: ({ pageParam, signal }) =>
      unwrap(
        api.GET('/api/v1/contracts', {
          params: {
            query: {
              ...query,
              limit: String(CONTRACT_PAGE_SIZE),
              ...(pageParam ? { cursor: pageParam } : {}),
            },
          },
          signal,
        }),
      ),
    initialPageParam: '',
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export function useContract(id: string) {
  return useQuery({
    queryKey: queryKeys.contracts.detail(id),
    queryFn: ({ signal }) =>
      unwrapVersioned<Contract>(
        api.GET('/api/v1/contracts/{id}', { params: { path: { id } }, signal }),
      ),
  });
}

export function useCreateContract() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ body, idempotencyKey }: { body: ContractInput; idempotencyKey: string }) =>
      unwrap(
        api.POST('/api/v1/contracts', { body, headers: { 'Idempotency-Key': idempotencyKey } }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.contracts.all }),
  });
}

/** Saves changes only if nobody changed the contract since `etag` was read (else 412). */
export function useUpdateContract(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ changes, etag }: { changes: ContractInput; etag: string }) =>
      unwrapVersioned(
        api.PATCH('/api/v1/contracts/{id}', {
          params: { path: { id } },
          body: changes,
          headers: { 'If-Match': etag },
        }),
      ),
    onSuccess: (saved: Versioned<Contract>) => {
      queryClient.setQueryData(queryKeys.contracts.detail(id), saved);
      void queryClient.invalidateQueries({ queryKey: ['contracts', 'list'] });
      void queryClient.invalidateQueries({ queryKey: queryKeys.contracts.activity(id) });
    },
  });
}

export function useDocuments(contractId: string) {
  return useQuery({
    queryKey: queryKeys.contracts.documents(contractId),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET('/api/v1/contracts/{id}/documents', {
          params: { path: { id: contractId }, query: { limit: '200' } },
          signal,
        }),
      ),
  });
}

/** The contract's audit trail, newest first (the server's order), a page at a time. */
export function useActivity(contractId: string) {
  return useInfiniteQuery({
    queryKey: queryKeys.contracts.activity(contractId),
    queryFn: ({ pageParam, signal }) =>
      unwrap(
        api.GET('/api/v1/audit', {
          params: {
            query: { entityId: contractId, limit: '50', ...(pageParam ? { cursor: pageParam } : {}) },
          },
          signal,
        }),
      ),
    initialPageParam: '',
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}
