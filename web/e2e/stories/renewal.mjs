// SPDX-License-Identifier: AGPL-3.0-or-later
// A contract in force is renewed from the renewals page (the dialogs explain the rules), then
// terminated for cause from its own page: the end of its life, all in the browser.
import assert from 'node:assert/strict';
import { activeContract, expectAccessible, signIn, withPage } from '../harness.mjs';

const inDays = (days) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

export function renewalFromRenewalsPage(world) {
  const { browser, server, admin } = world;
  return withPage(browser, server.baseUrl, 'renewal', async (page) => {
    const title = `Hosting services ${Date.now()}`;
    const expiration = inDays(50);
    const contract = await activeContract(world, {
      title,
      type: 'msa',
      effectiveDate: inDays(-300),
      expirationDate: expiration,
      noticePeriodDays: 30,
      renewalTermMonths: 12,
    });
    await signIn(page, 'admin@example.com', { next: '/renewals' });
    await page.getByRole('heading', { level: 1, name: 'Renewals' }).waitFor();
    await page.getByRole('link', { name: title }).waitFor();
    await expectAccessible(page, 'renewals list');
    await page.getByRole('button', { name: 'Calendar' }).click();
    await page.getByRole('table', { name: /^Renewals calendar/ }).waitFor();
    await expectAccessible(page, 'renewals calendar');
    await page.getByRole('button', { name: 'List' }).click();

    await page.getByRole('button', { name: `Terminate ${title}` }).click();
    const terminate = page.getByRole('dialog', { name: 'Terminate contract' });
    await terminate.getByText(/at least 30 days \(the notice period\)/).waitFor();
    await expectAccessible(page, 'terminate dialog');
    await terminate.getByRole('button', { name: 'Cancel' }).click();

    await page.getByRole('button', { name: `Renew ${title}` }).click();
    const dialog = page.getByRole('dialog', { name: 'Renew contract' });
    await dialog.getByText(/must be after the current one/).waitFor();
    await expectAccessible(page, 'renew dialog');
    await dialog.getByRole('button', { name: 'Renew' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByText('Contract renewed').first().waitFor();
    const { json: after } = await admin('GET', `/api/v1/contracts/${contract.id}`);
    assert.equal(after.status, 'renewed');
    assert.equal(after.renewalCount, 1);
    assert.ok(after.expirationDate > expiration);

    // Renewed a year on, it has left the renewals window; its own page ends it.
    await page.goto(`/contracts/${contract.id}`);
    await page.getByRole('heading', { level: 1, name: title }).waitFor();
    await page.getByRole('button', { name: 'Terminate' }).click();
    const ending = page.getByRole('dialog', { name: 'Terminate contract' });
    await ending.getByLabel('Reason').fill('The supplier breached the service levels three months running.');
    await ending.getByLabel('For cause (the notice period does not apply)').check();
    await ending.getByRole('button', { name: 'Terminate' }).click();
    await ending.waitFor({ state: 'detached' });
    await page.getByText('Contract terminated').first().waitFor();
    const { json: ended } = await admin('GET', `/api/v1/contracts/${contract.id}`);
    assert.equal(ended.status, 'terminated');
    assert.equal(ended.allowedActions.includes('terminate'), false);
  });
}
