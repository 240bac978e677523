// SPDX-License-Identifier: AGPL-3.0-or-later
import assert from 'node:assert/strict';
import { expectAccessible, signIn, withPage } from '../harness.mjs';

export function staleEditShowsConflict({ browser, server, admin }) {
  return withPage(browser, server.baseUrl, 'stale edit', async (page) => {
    const { json: contract } = await admin('POST', '/api/v1/contracts', {
      title: 'Office lease',
      type: 'lease',
    });
    await signIn(page, 'admin@example.com', { next: `/contracts/${contract.id}` });
    await page.getByRole('heading', { level: 1, name: 'Office lease' }).waitFor();
    await page.getByRole('button', { name: 'Edit details' }).click();
    await expectAccessible(page, 'contract edit form');

    // Meanwhile someone else saves the contract through the API.
    const current = await admin('GET', `/api/v1/contracts/${contract.id}`);
    await admin('PATCH', `/api/v1/contracts/${contract.id}`, { title: 'Office lease (renegotiated)' }, {
      'If-Match': current.etag,
    });

    await page.getByLabel('Title').fill('Office lease, 3rd floor');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('alert').getByText('This contract was changed by someone else').waitFor();
    await expectAccessible(page, 'edit conflict');

    // Nothing was overwritten; reloading shows the other person's change.
    const after = await admin('GET', `/api/v1/contracts/${contract.id}`);
    assert.equal(after.json.title, 'Office lease (renegotiated)');
    await page.getByRole('button', { name: 'Reload contract' }).click();
    await page.getByRole('heading', { level: 1, name: 'Office lease (renegotiated)' }).waitFor();
  });
}
