// SPDX-License-Identifier: AGPL-3.0-or-later
// Every TanStack Query key of the app, so invalidations can't drift from the queries.
import type { ContractListQuery } from '../contracts/contractListUrl';

export const queryKeys = {
  me: ['me'] as const,
  organization: ['organization'] as const,
  unreadCount: ['notifications', 'unread-count'] as const,
  notifications: {
    all: ['notifications'] as const,
    list: (unread: boolean) => ['notifications', 'list', unread] as const,
    preferences: ['notifications', 'preferences'] as const,
  },
  users: ['users'] as const,
  apiKeys: ['api-keys'] as const,
  approvalPolicy: ['approval-policy'] as const,
  audit: (filters: Record<string, string>) => ['audit', filters] as const,
  approvals: { mine: ['approvals', 'mine'] as const },
  obligations: {
    all: ['obligations'] as const,
    list: (filters: Record<string, string>) => ['obligations', 'list', filters] as const,
  },
  renewals: (within: number) => ['renewals', within] as const,
  report: ['reports', 'summary'] as const,
  views: ['views'] as const,
  counterparties: {
    all: ['counterparties'] as const,
    list: (q: string) => ['counterparties', 'list', q] as const,
    detail: (id: string) => ['counterparties', 'detail', id] as const,
  },
  contracts: {
    all: ['contracts'] as const,
    list: (query: ContractListQuery) => ['contracts', 'list', query] as const,
    detail: (id: string) => ['contracts', 'detail', id] as const,
    documents: (id: string) => ['contracts', 'detail', id, 'documents'] as const,
    activity: (id: string) => ['contracts', 'detail', id, 'activity'] as const,
    approval: (id: string) => ['contracts', 'detail', id, 'approval'] as const,
    signatures: (id: string) => ['contracts', 'detail', id, 'signatures'] as const,
    obligations: (id: string) => ['contracts', 'detail', id, 'obligations'] as const,
    comments: (id: string) => ['contracts', 'detail', id, 'comments'] as const,
    related: (id: string) => ['contracts', 'detail', id, 'related'] as const,
    compare: (id: string, docId: string, a: number, b: number) =>
      ['contracts', 'detail', id, 'compare', docId, a, b] as const,
  },
};
