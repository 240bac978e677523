// SPDX-License-Identifier: AGPL-3.0-or-later
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../api/client';
import type { Notification, NotificationPreferences } from '../api/models';
import { queryKeys } from '../api/queryKeys';

export function useNotifications(unreadOnly: boolean, limit = 50) {
  return useInfiniteQuery({
    queryKey: [...queryKeys.notifications.list(unreadOnly), limit],
    queryFn: ({ pageParam, signal }) =>
      unwrap(
        api.GET('/api/v1/notifications', {
          params: {
            query: {
              limit: String(limit),
              ...(unreadOnly ? { unread: 'true' } : {}),
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

function useRefreshNotifications() {
  const queryClient = useQueryClient();
  return () => void queryClient.invalidateQueries({ queryKey: queryKeys.notifications.all });
}

export function useMarkRead() {
  const refresh = useRefreshNotifications();
  return useMutation({
    mutationFn: (notificationId: string) =>
      unwrap(api.POST('/api/v1/notifications/{notificationId}/read', { params: { path: { notificationId } } })),
    onSuccess: refresh,
  });
}

export function useMarkAllRead() {
  const refresh = useRefreshNotifications();
  return useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/notifications/read-all')),
    onSuccess: refresh,
  });
}

export function usePreferences() {
  return useQuery({
    queryKey: queryKeys.notifications.preferences,
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/notifications/preferences', { signal })),
  });
}

export function useSavePreferences() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: NotificationPreferences) =>
      unwrap(api.PUT('/api/v1/notifications/preferences', { body })),
    onSuccess: (saved) => queryClient.setQueryData(queryKeys.notifications.preferences, saved),
  });
}

/** Where a notification leads: its contract (and the tab that concerns it). */
export function notificationLink(n: Notification): string | undefined {
  const data = (n.data ?? {}) as Record<string, unknown>;
  const contractId =
    typeof data.contractId === 'string' ? data.contractId : n.entityType === 'contract' ? n.entityId : undefined;
  if (!contractId) return undefined;
  const tab: Partial<Record<Notification['kind'], string>> = {
    mention: 'comments',
    comment: 'comments',
    approval_requested: 'approval',
    approval_decided: 'approval',
    signature: 'signatures',
    obligation_due: 'obligations',
  };
  const t = tab[n.kind];
  return `/contracts/${contractId}${t ? `/${t}` : ''}`;
}

export const kindLabels: Record<Notification['kind'], string> = {
  mention: 'Mentions of me',
  comment: 'Comments on contracts I follow',
  approval_requested: 'Approvals requested from me',
  approval_decided: 'Decisions on my approvals',
  signature: 'Signatures',
  obligation_due: 'Obligations due',
  renewal: 'Renewals and notice deadlines',
};
