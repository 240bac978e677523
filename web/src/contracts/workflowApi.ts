// SPDX-License-Identifier: AGPL-3.0-or-later
// What happens to a contract after it is written: transitions, approval, signatures,
// obligations, comments, renewal and termination, and its related contracts.
import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { api, newIdempotencyKey, unwrap } from '../api/client';
import type {
  CommentInput,
  Contract,
  ContractAction,
  DecisionInput,
  ObligationInput,
  RenewalTerms,
  SignatureRequestInput,
  Termination,
  TransitionInput,
} from '../api/models';
import { queryKeys } from '../api/queryKeys';

/**
 * Whether the caller may take `action` now, as the server computed it (`allowedActions`). A
 * server that does not send the field yet allows nothing extra.
 */
export function allows(contract: Pick<Contract, 'allowedActions'>, action: ContractAction): boolean {
  return contract.allowedActions?.includes(action) ?? false;
}

/** After any change to a contract: its page, its lists and the cross-contract screens. */
export function refreshContract(queryClient: QueryClient, id: string) {
  void queryClient.invalidateQueries({ queryKey: queryKeys.contracts.detail(id) });
  void queryClient.invalidateQueries({ queryKey: ['contracts', 'list'] });
  void queryClient.invalidateQueries({ queryKey: queryKeys.approvals.mine });
  void queryClient.invalidateQueries({ queryKey: queryKeys.obligations.all });
  void queryClient.invalidateQueries({ queryKey: ['renewals'] });
  void queryClient.invalidateQueries({ queryKey: queryKeys.report });
}

const path = (id: string) => ({ params: { path: { id } } });

export function useTransition(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: TransitionInput) =>
      unwrap(api.POST('/api/v1/contracts/{id}/transitions', { ...path(id), body })),
    onSuccess: () => refreshContract(queryClient, id),
  });
}

export function useArchive(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/contracts/{id}/archive', path(id))),
    onSuccess: () => refreshContract(queryClient, id),
  });
}

export function useDeleteContract(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(api.DELETE('/api/v1/contracts/{id}', path(id))),
    onSuccess: () => {
      queryClient.removeQueries({ queryKey: queryKeys.contracts.detail(id) });
      void queryClient.invalidateQueries({ queryKey: ['contracts', 'list'] });
    },
  });
}

export function useRenew(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: RenewalTerms) =>
      unwrap(api.POST('/api/v1/contracts/{id}/renew', { ...path(id), body })),
    onSuccess: () => refreshContract(queryClient, id),
  });
}

export function useTerminate(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: Termination) =>
      unwrap(api.POST('/api/v1/contracts/{id}/terminate', { ...path(id), body })),
    onSuccess: () => refreshContract(queryClient, id),
  });
}

// --- approval

export function useApproval(id: string, enabled = true) {
  return useQuery({
    queryKey: queryKeys.contracts.approval(id),
    enabled,
    queryFn: ({ signal }) =>
      unwrap(api.GET('/api/v1/contracts/{id}/approval', { ...path(id), signal })),
  });
}

export function useDecide(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: DecisionInput) =>
      unwrap(api.POST('/api/v1/contracts/{id}/approval/decisions', { ...path(id), body })),
    onSuccess: (approval) => {
      queryClient.setQueryData(queryKeys.contracts.approval(id), approval);
      refreshContract(queryClient, id);
    },
  });
}

export function useMyApprovals() {
  return useQuery({
    queryKey: queryKeys.approvals.mine,
    queryFn: ({ signal }) =>
      unwrap(api.GET('/api/v1/approvals', { params: { query: { assignee: 'me' } }, signal })),
  });
}

// --- signatures

export function useSignatureRequests(id: string) {
  return useQuery({
    queryKey: queryKeys.contracts.signatures(id),
    queryFn: ({ signal }) =>
      unwrap(api.GET('/api/v1/contracts/{id}/signature-requests', { ...path(id), signal })),
  });
}

export function useSendForSignature(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    // No Idempotency-Key: the answer holds the signing links, which the server never stores.
    mutationFn: (body: SignatureRequestInput) =>
      unwrap(api.POST('/api/v1/contracts/{id}/signature-requests', { ...path(id), body })),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.contracts.signatures(id) });
      refreshContract(queryClient, id);
    },
  });
}

export function useCancelSignatureRequest(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (requestId: string) =>
      unwrap(
        api.POST('/api/v1/contracts/{id}/signature-requests/{requestId}/cancel', {
          params: { path: { id, requestId } },
        }),
      ),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.contracts.signatures(id) });
      refreshContract(queryClient, id);
    },
  });
}

export function useReissueLink(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ requestId, signerId }: { requestId: string; signerId: string }) =>
      unwrap(
        api.POST('/api/v1/contracts/{id}/signature-requests/{requestId}/signers/{signerId}/reissue', {
          params: { path: { id, requestId, signerId } },
        }),
      ),
    onSuccess: () =>
      void queryClient.invalidateQueries({ queryKey: queryKeys.contracts.signatures(id) }),
  });
}

// --- obligations

export function useContractObligations(id: string) {
  return useQuery({
    queryKey: queryKeys.contracts.obligations(id),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET('/api/v1/contracts/{id}/obligations', {
          params: { path: { id }, query: { limit: '200' } },
          signal,
        }),
      ),
  });
}

export function useCreateObligation(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ body, idempotencyKey }: { body: ObligationInput; idempotencyKey: string }) =>
      unwrap(
        api.POST('/api/v1/contracts/{id}/obligations', {
          ...path(id),
          body,
          headers: { 'Idempotency-Key': idempotencyKey },
        }),
      ),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.contracts.obligations(id) });
      void queryClient.invalidateQueries({ queryKey: queryKeys.obligations.all });
    },
  });
}

/** Completes or waives an open obligation (of any contract). */
export function useCloseObligation() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({
      contractId,
      obligationId,
      how,
    }: {
      contractId: string;
      obligationId: string;
      how: 'complete' | 'waive';
    }) => {
      const params = { params: { path: { id: contractId, obligationId } } };
      return unwrap(
        how === 'complete'
          ? api.POST('/api/v1/contracts/{id}/obligations/{obligationId}/complete', params)
          : api.POST('/api/v1/contracts/{id}/obligations/{obligationId}/waive', params),
      );
    },
    onSuccess: (_, { contractId }) => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.contracts.obligations(contractId) });
      void queryClient.invalidateQueries({ queryKey: queryKeys.obligations.all });
      void queryClient.invalidateQueries({ queryKey: queryKeys.report });
    },
  });
}

export function useObligations(filters: { assignee?: string; status?: string; dueBefore?: string }) {
  const query: Record<string, string> = { limit: '200' };
  for (const [k, v] of Object.entries(filters)) if (v) query[k] = v;
  return useQuery({
    queryKey: queryKeys.obligations.list(query),
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/obligations', { params: { query }, signal })),
  });
}

// --- comments

export function useComments(id: string) {
  return useQuery({
    queryKey: queryKeys.contracts.comments(id),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET('/api/v1/contracts/{id}/comments', {
          params: { path: { id }, query: { limit: '200' } },
          signal,
        }),
      ),
  });
}

export function useCreateComment(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ body, idempotencyKey }: { body: CommentInput; idempotencyKey: string }) =>
      unwrap(
        api.POST('/api/v1/contracts/{id}/comments', {
          ...path(id),
          body,
          headers: { 'Idempotency-Key': idempotencyKey },
        }),
      ),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.contracts.comments(id) });
      void queryClient.invalidateQueries({ queryKey: queryKeys.contracts.activity(id) });
    },
  });
}

export function useDeleteComment(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (commentId: string) =>
      unwrap(
        api.DELETE('/api/v1/contracts/{id}/comments/{commentId}', {
          params: { path: { id, commentId } },
        }),
      ),
    onSuccess: () =>
      void queryClient.invalidateQueries({ queryKey: queryKeys.contracts.comments(id) }),
  });
}

// --- related

export function useRelated(id: string) {
  return useQuery({
    queryKey: queryKeys.contracts.related(id),
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/contracts/{id}/related', { ...path(id), signal })),
  });
}

export { newIdempotencyKey };
