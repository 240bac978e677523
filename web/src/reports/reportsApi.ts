// SPDX-License-Identifier: AGPL-3.0-or-later
import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../api/client';
import { queryKeys } from '../api/queryKeys';

export function useSummaryReport() {
  return useQuery({
    queryKey: queryKeys.report,
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/reports/summary', { signal })),
    staleTime: 60_000,
  });
}
