// SPDX-License-Identifier: AGPL-3.0-or-later
import assert from 'node:assert/strict';
import { expectAccessible, signIn, withPage } from '../harness.mjs';

export function memberCreatesAndFindsAContract({ browser, server, member }) {
  return withPage(browser, server.baseUrl, 'member creates contract', async (page) => {
    // A deep link while signed out goes to sign-in and comes back afterwards.
    await page.goto('/contracts/new');
    await page.waitForURL(/\/sign-in\?next=%2Fcontracts%2Fnew$/);
    await expectAccessible(page, 'sign-in');
    await signIn(page, 'member@example.com');
    await page.waitForURL(/\/contracts\/new$/);
    await page.getByRole('heading', { level: 1, name: 'New contract' }).waitFor();
    await expectAccessible(page, 'new contract');

    const title = `Northwind supply agreement ${Date.now()}`;
    // Submitting empty shows the client-side message at the title.
    await page.getByRole('button', { name: 'Create contract' }).click();
    await page.getByText('Enter a title').waitFor();

    await page.getByLabel('Title').fill(title);
    await page.getByLabel('Type').selectOption('msa');
    await page.getByLabel('Amount').fill('125000.00');
    await page.getByLabel('Currency').fill('EUR');
    await page.getByLabel('Effective date').fill('2026-01-01');
    await page.getByLabel('Expiration date').fill('2027-12-31');
    await page.getByLabel('Tags').fill('supply, priority');

    await page.getByRole('button', { name: 'Add party' }).click();
    await page.getByRole('button', { name: 'New counterparty…' }).click();
    const dialog = page.getByRole('dialog', { name: 'New counterparty' });
    await dialog.waitFor();
    await expectAccessible(page, 'new counterparty dialog');
    const counterpartyName = `Northwind Traders ${Date.now()}`;
    await dialog.getByLabel('Name').fill(counterpartyName);
    await dialog.getByLabel('Country').fill('DE');
    await dialog.getByRole('button', { name: 'Create counterparty' }).click();
    await dialog.waitFor({ state: 'detached' });
    const selected = await page.getByLabel('Counterparty 1').evaluate(
      (select) => select.selectedOptions[0]?.textContent,
    );
    assert.equal(selected, counterpartyName);
    await page.getByLabel('Role of party 1').fill('supplier');

    // A double click submits once (the button is busy, and the Idempotency-Key is the same).
    await page.getByRole('button', { name: 'Create contract' }).dblclick();
    await page.getByRole('heading', { level: 1, name: title }).waitFor();
    await page.getByText('Draft', { exact: true }).first().waitFor();
    await expectAccessible(page, 'contract overview');
    const created = await member('GET', `/api/v1/contracts?q=${encodeURIComponent(title)}`);
    assert.equal(created.json.items.length, 1, 'exactly one contract was created');
    assert.deepEqual(created.json.items[0].value, { amount: '125000.00', currency: 'EUR' });

    // Find it in the list by text and status; the URL holds the filter.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Contracts' }).click();
    await page.getByRole('heading', { level: 1, name: 'Contracts' }).waitFor();
    await expectAccessible(page, 'contracts list');
    await page.getByLabel('Search titles').fill('Northwind supply');
    await page.waitForURL(/[?&]q=Northwind\+supply/);
    await page.getByRole('button', { name: /^Status filter/ }).click();
    await page.getByRole('menuitemcheckbox', { name: 'Draft' }).click();
    await page.keyboard.press('Escape');
    await page.waitForURL(/status=draft/);
    const row = page.getByRole('link', { name: title });
    await row.waitFor();
    const url = new URL(page.url());
    assert.equal(url.searchParams.get('q'), 'Northwind supply');
    assert.equal(url.searchParams.get('status'), 'draft');

    // A shared link opens the same filtered list.
    await page.goto(url.pathname + url.search);
    await row.waitFor();
    assert.equal(await page.getByLabel('Search titles').inputValue(), 'Northwind supply');

    // Into the contract and back: the filtered list is restored.
    await row.click();
    await page.getByRole('heading', { level: 1, name: title }).waitFor();
    await page.getByRole('link', { name: 'Activity' }).click();
    await page.waitForURL(/\/activity$/);
    await page.getByText('Contract created').waitFor();
    await expectAccessible(page, 'contract activity');
    await page.goBack();
    await page.goBack();
    await page.waitForURL(/\/contracts\?/);
    await row.waitFor();
    assert.equal(new URL(page.url()).searchParams.get('status'), 'draft');

    // Back again undoes the status filter.
    await page.goBack();
    await page.waitForURL((u) => !u.searchParams.has('status'));
    assert.equal(await page.getByLabel('Search titles').inputValue(), 'Northwind supply');
  });
}
