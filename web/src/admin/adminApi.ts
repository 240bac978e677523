// SPDX-License-Identifier: AGPL-3.0-or-later
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../api/client';
import type { ApiKeyCreate, ApprovalPolicy, OrganizationUpdate, UserCreate, UserUpdate } from '../api/models';
import { queryKeys } from '../api/queryKeys';

export function useApiKeys() {
  return useQuery({
    queryKey: queryKeys.apiKeys,
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/api-keys', { signal })),
  });
}

export function useCreateApiKey() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ body, idempotencyKey }: { body: ApiKeyCreate; idempotencyKey: string }) =>
      unwrap(api.POST('/api/v1/api-keys', { body, headers: { 'Idempotency-Key': idempotencyKey } })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: queryKeys.apiKeys }),
  });
}

export function useRevokeApiKey() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => unwrap(api.DELETE('/api/v1/api-keys/{id}', { params: { path: { id } } })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: queryKeys.apiKeys }),
  });
}

export function useCreateUser() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ body, idempotencyKey }: { body: UserCreate; idempotencyKey: string }) =>
      unwrap(api.POST('/api/v1/users', { body, headers: { 'Idempotency-Key': idempotencyKey } })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: queryKeys.users }),
  });
}

export function useUpdateUser() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: UserUpdate }) =>
      unwrap(api.PATCH('/api/v1/users/{id}', { params: { path: { id } }, body })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: queryKeys.users }),
  });
}

export function useUpdateOrganization() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: OrganizationUpdate) => unwrap(api.PATCH('/api/v1/organization', { body })),
    onSuccess: (organization) => {
      queryClient.setQueryData(queryKeys.organization, organization);
      void queryClient.invalidateQueries({ queryKey: queryKeys.me });
    },
  });
}

export function useApprovalPolicy() {
  return useQuery({
    queryKey: queryKeys.approvalPolicy,
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/approval-policies', { signal })),
  });
}

export function useSaveApprovalPolicy() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: ApprovalPolicy) => unwrap(api.PUT('/api/v1/approval-policies', { body })),
    onSuccess: (saved) => queryClient.setQueryData(queryKeys.approvalPolicy, saved),
  });
}
