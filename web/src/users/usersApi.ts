// SPDX-License-Identifier: AGPL-3.0-or-later
import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../api/client';
import type { Me } from '../api/models';
import { queryKeys } from '../api/queryKeys';

/**
 * The organization's directory (GET /users: every member reads it, admins change it): names
 * owners, approvers, signers and @mentions. Waits for the signed-in account.
 */
export function useUsers(me: Me | undefined) {
  return useQuery({
    queryKey: queryKeys.users,
    enabled: me !== undefined,
    queryFn: ({ signal }) =>
      unwrap(api.GET('/api/v1/users', { params: { query: { limit: '200' } }, signal })),
    staleTime: 5 * 60_000,
  });
}

export function useUserName(me: Me | undefined) {
  const users = useUsers(me);
  return (id: string | null | undefined): string => {
    if (!id) return '—';
    if (me && id === me.id) return `${me.name} (you)`;
    return users.data?.items.find((u) => u.id === id)?.name ?? 'Another user';
  };
}
