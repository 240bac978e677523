// SPDX-License-Identifier: AGPL-3.0-or-later
// Every screen behind sign-in is its own chunk. The main navigation's screens are fetched once
// the browser is idle after the first screen (prefetchScreens), so a first visit is as quick
// as a later one; the rest load when first visited.
export const screens = {
  home: () => import('../home/HomePage'),
  contracts: () => import('../contracts/ContractsPage'),
  contract: () => import('../contracts/ContractPage'),
  approvals: () => import('../approvals/ApprovalsPage'),
  obligations: () => import('../obligations/ObligationsPage'),
  renewals: () => import('../renewals/RenewalsPage'),
  counterparties: () => import('../counterparties/CounterpartiesPage'),
  reports: () => import('../reports/ReportsPage'),
};

/** Fetches the main screens' chunks while nothing else happens; a failure just waits for the visit. */
export function prefetchScreens(): void {
  const idle = (callback: () => void) =>
    'requestIdleCallback' in window ? window.requestIdleCallback(callback, { timeout: 5_000 }) : setTimeout(callback, 2_000);
  idle(() => {
    for (const load of Object.values(screens)) void load().catch(() => undefined);
  });
}
