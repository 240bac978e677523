// SPDX-License-Identifier: AGPL-3.0-or-later
// Saved views of the contracts list, per user, on the server (/api/v1/views).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { newIdempotencyKey } from '../api/client';
import type { SavedView, SavedViewInput } from '../api/models';
import { queryKeys } from '../api/queryKeys';
import { rawJson } from '../api/rawJson';

export function useViews() {
  return useQuery({
    queryKey: queryKeys.views,
    queryFn: () => rawJson<{ items: SavedView[] }>('GET', '/api/v1/views'),
    staleTime: 60_000,
  });
}

function useRefresh() {
  const queryClient = useQueryClient();
  return () => void queryClient.invalidateQueries({ queryKey: queryKeys.views });
}

export function useCreateView() {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: (body: Required<Pick<SavedViewInput, 'name' | 'query'>> & SavedViewInput) =>
      rawJson<SavedView>('POST', '/api/v1/views', body, { 'Idempotency-Key': newIdempotencyKey() }),
    onSuccess: refresh,
  });
}

export function useUpdateView() {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: SavedViewInput }) =>
      rawJson<SavedView>('PATCH', `/api/v1/views/${encodeURIComponent(id)}`, body),
    onSuccess: refresh,
  });
}

export function useDeleteView() {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: (id: string) => rawJson<void>('DELETE', `/api/v1/views/${encodeURIComponent(id)}`),
    onSuccess: refresh,
  });
}
