// SPDX-License-Identifier: AGPL-3.0-or-later
// Every screen of the app, visited as an admin and checked with axe; the approval policy
// editor shows the server's path-named errors at their fields.
import assert from 'node:assert/strict';
import { expectAccessible, signIn, withPage } from '../harness.mjs';

const screens = [
  ['/', { level: 1, name: /^Welcome/ }],
  ['/contracts', { level: 1, name: 'Contracts' }],
  ['/contracts/new', { level: 1, name: 'New contract' }],
  ['/approvals', { level: 1, name: 'Approvals waiting for you' }],
  ['/obligations?assignee=all&status=all', { level: 1, name: 'Obligations' }],
  ['/renewals?within=365', { level: 1, name: 'Renewals' }],
  ['/counterparties', { level: 1, name: 'Counterparties' }],
  ['/reports', { level: 1, name: 'Reports' }],
  ['/notifications', { level: 1, name: 'Notifications' }],
  ['/account', { level: 1, name: 'My account' }],
  ['/admin/users', { level: 1, name: 'Admin' }],
  ['/admin/api-keys', { level: 1, name: 'Admin' }],
  ['/admin/organization', { level: 1, name: 'Admin' }],
  ['/admin/approval-policy', { level: 1, name: 'Admin' }],
  ['/admin/audit', { level: 1, name: 'Admin' }],
];

export function everyScreenIsAccessible({ browser, server, admin }) {
  return withPage(browser, server.baseUrl, 'every screen', async (page) => {
    await signIn(page, 'admin@example.com');
    for (const [path, heading] of screens) {
      await page.goto(path);
      await page.getByRole('heading', heading).waitFor();
      await page.locator('[role="status"]:has-text("Loading")').first().waitFor({ state: 'detached' }).catch(() => {});
      await expectAccessible(page, path);
    }

    // A counterparty's page, and every tab of a contract.
    await page.goto('/counterparties');
    await page.getByRole('table', { name: 'Counterparties' }).getByRole('link').first().click();
    await page.getByRole('heading', { level: 2, name: 'Contracts' }).waitFor();
    await expectAccessible(page, 'counterparty page');
    const { json: list } = await admin('GET', '/api/v1/contracts?limit=1');
    const id = list.items[0].id;
    for (const tab of ['', '/documents', '/approval', '/signatures', '/obligations', '/comments', '/activity', '/related']) {
      await page.goto(`/contracts/${id}${tab}`);
      await page.getByRole('navigation', { name: 'Contract sections' }).waitFor();
      await page.locator('[role="status"]:has-text("Loading")').first().waitFor({ state: 'detached' }).catch(() => {});
      await expectAccessible(page, `contract${tab || ' overview'}`);
    }

    // The audit log's chain check, and the policy editor's errors in place.
    await page.goto('/admin/audit');
    await page.getByText(/^Hash chain:/).waitFor();
    assert.match(await page.getByText(/^Hash chain:/).textContent(), /no break/);
    await page.goto('/admin/approval-policy');
    await page.getByRole('form', { name: 'Approval policy' }).waitFor();
    await page.getByLabel('Default stage 1 name').fill('');
    await page.getByRole('button', { name: 'Save policy' }).click();
    const field = page.getByLabel('Default stage 1 name');
    await page.waitForFunction(() => document.querySelector('[aria-invalid="true"]') !== null);
    assert.equal(await field.getAttribute('aria-invalid'), 'true');
    await expectAccessible(page, 'policy editor with errors');
  });
}
