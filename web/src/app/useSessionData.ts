// SPDX-License-Identifier: AGPL-3.0-or-later
import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../api/client';
import type { Me } from '../api/models';
import { queryKeys } from '../api/queryKeys';

export function useMe() {
  return useQuery({
    queryKey: queryKeys.me,
    queryFn: () => unwrap(api.GET('/api/v1/me')),
    staleTime: 5 * 60_000,
  });
}

export function useOrganization() {
  return useQuery({
    queryKey: queryKeys.organization,
    queryFn: () => unwrap(api.GET('/api/v1/organization')),
    staleTime: 5 * 60_000,
  });
}

/** Contract creation has no per-caller flag in the API yet: every role but viewer may. */
export function canCreateContracts(me: Me | undefined): boolean {
  return me !== undefined && me.role !== 'viewer';
}
