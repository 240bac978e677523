// SPDX-License-Identifier: AGPL-3.0-or-later
import type { RouteObject } from 'react-router';
import { AppShell } from './AppShell';
import { RequireAuth } from './RequireAuth';
import { SignInPage } from '../auth/SignInPage';
import { NotFoundPage } from './NotFoundPage';
import { RouteError } from './RouteError';

// Every screen behind sign-in is its own chunk, loaded when first visited.
export const routes: RouteObject[] = [
  { path: '/sign-in', element: <SignInPage />, errorElement: <RouteError /> },
  {
    path: '/setup',
    errorElement: <RouteError />,
    lazy: async () => ({ Component: (await import('../setup/SetupPage')).SetupPage }),
  },
  {
    path: '/',
    element: (
      <RequireAuth>
        <AppShell />
      </RequireAuth>
    ),
    errorElement: <RouteError />,
    children: [
      { index: true, lazy: async () => ({ Component: (await import('../home/HomePage')).HomePage }) },
      {
        path: 'contracts',
        lazy: async () => ({ Component: (await import('../contracts/ContractsPage')).ContractsPage }),
      },
      {
        path: 'contracts/new',
        lazy: async () => ({ Component: (await import('../contracts/NewContractPage')).NewContractPage }),
      },
      {
        path: 'contracts/:contractId/:tab?',
        lazy: async () => ({ Component: (await import('../contracts/ContractPage')).ContractPage }),
      },
      {
        path: 'approvals',
        lazy: async () => ({ Component: (await import('../approvals/ApprovalsPage')).ApprovalsPage }),
      },
      {
        path: 'obligations',
        lazy: async () => ({ Component: (await import('../obligations/ObligationsPage')).ObligationsPage }),
      },
      {
        path: 'renewals',
        lazy: async () => ({ Component: (await import('../renewals/RenewalsPage')).RenewalsPage }),
      },
      {
        path: 'counterparties',
        lazy: async () => ({
          Component: (await import('../counterparties/CounterpartiesPage')).CounterpartiesPage,
        }),
      },
      {
        path: 'counterparties/:counterpartyId',
        lazy: async () => ({
          Component: (await import('../counterparties/CounterpartiesPage')).CounterpartyPage,
        }),
      },
      { path: 'account', lazy: async () => ({ Component: (await import('../account/AccountPage')).AccountPage }) },
      { path: 'reports', lazy: async () => ({ Component: (await import('../reports/ReportsPage')).ReportsPage }) },
      { path: 'admin/:section?', lazy: async () => ({ Component: (await import('../admin/AdminPage')).AdminPage }) },
      {
        path: 'notifications',
        lazy: async () => ({
          Component: (await import('../notifications/NotificationsPage')).NotificationsPage,
        }),
      },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
];
