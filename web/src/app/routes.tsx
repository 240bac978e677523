// SPDX-License-Identifier: AGPL-3.0-or-later
import type { RouteObject } from 'react-router';
import { AppShell } from './AppShell';
import { RequireAuth } from './RequireAuth';
import { SignInPage } from '../auth/SignInPage';
import { NotFoundPage } from './NotFoundPage';
import { RouteError } from './RouteError';
import { otherScreens, screens } from './screens';

// Every screen behind sign-in is its own chunk (screens.ts).
export const routes: RouteObject[] = [
  { path: '/sign-in', element: <SignInPage />, errorElement: <RouteError /> },
  {
    path: '/setup',
    errorElement: <RouteError />,
    lazy: async () => ({ Component: (await otherScreens.setup()).SetupPage }),
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
      { index: true, lazy: async () => ({ Component: (await screens.home()).HomePage }) },
      {
        path: 'contracts',
        lazy: async () => ({ Component: (await screens.contracts()).ContractsPage }),
      },
      {
        path: 'contracts/new',
        lazy: async () => ({ Component: (await otherScreens.newContract()).NewContractPage }),
      },
      {
        path: 'contracts/:contractId/:tab?',
        lazy: async () => ({ Component: (await screens.contract()).ContractPage }),
      },
      {
        path: 'approvals',
        lazy: async () => ({ Component: (await screens.approvals()).ApprovalsPage }),
      },
      {
        path: 'obligations',
        lazy: async () => ({ Component: (await screens.obligations()).ObligationsPage }),
      },
      {
        path: 'renewals',
        lazy: async () => ({ Component: (await screens.renewals()).RenewalsPage }),
      },
      {
        path: 'counterparties',
        lazy: async () => ({
          Component: (await screens.counterparties()).CounterpartiesPage,
        }),
      },
      {
        path: 'counterparties/:counterpartyId',
        lazy: async () => ({
          Component: (await screens.counterparties()).CounterpartyPage,
        }),
      },
      { path: 'account', lazy: async () => ({ Component: (await otherScreens.account()).AccountPage }) },
      { path: 'reports', lazy: async () => ({ Component: (await screens.reports()).ReportsPage }) },
      { path: 'admin/:section?', lazy: async () => ({ Component: (await otherScreens.admin()).AdminPage }) },
      {
        path: 'notifications',
        lazy: async () => ({
          Component: (await otherScreens.notifications()).NotificationsPage,
        }),
      },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
];
