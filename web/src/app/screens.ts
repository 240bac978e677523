// SPDX-License-Identifier: AGPL-3.0-or-later
// Every screen behind sign-in is its own chunk. The main navigation's screens are fetched once
// the browser is idle after the first screen (prefetchScreens), so a first visit is as quick
// as a later one; the rest load when first visited.
import { withRetry } from '../api/retry';

export const screens = {
  home: withRetry(() => import('../home/HomePage')),
  contracts: withRetry(() => import('../contracts/ContractsPage')),
  contract: withRetry(() => import('../contracts/ContractPage')),
  approvals: withRetry(() => import('../approvals/ApprovalsPage')),
  obligations: withRetry(() => import('../obligations/ObligationsPage')),
  renewals: withRetry(() => import('../renewals/RenewalsPage')),
  counterparties: withRetry(() => import('../counterparties/CounterpartiesPage')),
  reports: withRetry(() => import('../reports/ReportsPage')),
};

/** Screens outside the main navigation: loaded on first visit, never prefetched. */
export const otherScreens = {
  setup: withRetry(() => import('../setup/SetupPage')),
  newContract: withRetry(() => import('../contracts/NewContractPage')),
  account: withRetry(() => import('../account/AccountPage')),
  admin: withRetry(() => import('../admin/AdminPage')),
  notifications: withRetry(() => import('../notifications/NotificationsPage')),
};

/** Fetches the main screens' chunks while nothing else happens; a failure just waits for the visit. */
export function prefetchScreens(): void {
  const idle = (callback: () => void) =>
    'requestIdleCallback' in window ? window.requestIdleCallback(callback, { timeout: 5_000 }) : setTimeout(callback, 2_000);
  idle(() => {
    for (const load of Object.values(screens)) void load().catch(() => undefined);
  });
}
