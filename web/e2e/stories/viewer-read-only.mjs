// SPDX-License-Identifier: AGPL-3.0-or-later
import assert from 'node:assert/strict';
import { expectAccessible, signIn, withPage } from '../harness.mjs';

export function viewerSeesNoEditControls({ browser, server, admin }) {
  return withPage(browser, server.baseUrl, 'viewer read only', async (page) => {
    const { json: contract } = await admin('POST', '/api/v1/contracts', {
      title: 'Read-only NDA',
      type: 'nda',
    });
    await signIn(page, 'viewer@example.com');
    await page.getByRole('heading', { level: 1, name: /Welcome/ }).waitFor();
    await expectAccessible(page, 'home');
    assert.equal(await page.getByRole('link', { name: 'New contract' }).count(), 0);

    await page.goto('/contracts');
    await page.getByRole('heading', { level: 1, name: 'Contracts' }).waitFor();
    await page.getByRole('table', { name: 'Contracts' }).waitFor();
    assert.equal(await page.getByRole('link', { name: 'New contract' }).count(), 0);

    await page.goto(`/contracts/${contract.id}`);
    await page.getByRole('heading', { level: 1, name: 'Read-only NDA' }).waitFor();
    await expectAccessible(page, 'contract overview (viewer)');
    assert.equal(await page.getByRole('button', { name: 'Edit details' }).count(), 0);

    await page.getByRole('link', { name: 'Documents' }).click();
    await page.getByText('No documents yet').waitFor();
    await expectAccessible(page, 'documents (viewer)');
    assert.equal(await page.getByRole('form', { name: 'Upload a document' }).count(), 0);
    assert.equal(await page.getByRole('link', { name: 'Admin' }).count(), 0);
  });
}
