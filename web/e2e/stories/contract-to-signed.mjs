// SPDX-License-Identifier: AGPL-3.0-or-later
// A member uploads and previews the PDF and submits; a manager approves from the inbox in a
// second browser context; the member sends it for signature; an external signer signs through
// the link in a third context with no session; the contract is active with its certificate.
import assert from 'node:assert/strict';
import { expectAccessible, makePdf, signIn, withPage } from '../harness.mjs';

export function contractFromDraftToSigned({ browser, server, member }) {
  return withPage(browser, server.baseUrl, 'contract to signed', async (page) => {
    const title = `Reseller agreement ${Date.now()}`;
    const { json: contract } = await member('POST', '/api/v1/contracts', { title, type: 'msa' });
    await signIn(page, 'member@example.com', { next: `/contracts/${contract.id}/documents` });
    await page.getByRole('heading', { level: 1, name: title }).waitFor();

    // Upload the main document with a progress bar, then preview it in the page.
    await page.getByLabel('File').setInputFiles({ name: 'reseller.pdf', mimeType: 'application/pdf', buffer: makePdf('Reseller agreement') });
    await page.getByLabel('Kind').selectOption('main');
    await page.getByRole('button', { name: 'Upload', exact: true }).click();
    await page.getByRole('cell', { name: 'reseller.pdf', exact: true }).waitFor();
    await expectAccessible(page, 'documents');
    await page.getByRole('link', { name: 'Preview reseller.pdf' }).click();
    await page.getByText('Page 1 of 1').waitFor({ timeout: 20_000 });
    await page.getByRole('img', { name: /^Page 1/ }).waitFor();
    await expectAccessible(page, 'PDF preview');

    // Only the actions the server allows are offered; submit for approval.
    await page.getByRole('button', { name: 'Submit for approval' }).click();
    const submit = page.getByRole('dialog', { name: 'Submit for approval' });
    await expectAccessible(page, 'submit dialog');
    await submit.getByRole('button', { name: 'Submit' }).click();
    await submit.waitFor({ state: 'detached' });
    await page.getByText('In review', { exact: true }).first().waitFor();
    assert.equal(await page.getByRole('button', { name: 'Submit for approval' }).count(), 0);

    // A manager approves from the inbox, in a browser context of their own.
    await withPage(browser, server.baseUrl, 'manager approves', async (managerPage) => {
      await signIn(managerPage, 'manager@example.com', { next: '/approvals' });
      await managerPage.getByRole('heading', { level: 1, name: 'Approvals waiting for you' }).waitFor();
      await expectAccessible(managerPage, 'approvals inbox');
      await managerPage.getByRole('link', { name: title }).click();
      await managerPage.getByRole('form', { name: 'Your decision' }).waitFor();
      await expectAccessible(managerPage, 'approval tab');
      await managerPage.getByLabel('Comment').fill('Terms look fine.');
      await managerPage.getByRole('button', { name: 'Approve' }).click();
      await managerPage.getByText('Approved', { exact: true }).first().waitFor();
      await managerPage.getByText('Terms look fine.').waitFor();
    });

    // The member sends it for signature to an external signer.
    await page.goto(`/contracts/${contract.id}`);
    await page.getByRole('link', { name: 'Send for signature' }).click();
    const form = page.getByRole('form', { name: 'Send for signature' });
    await form.waitFor();
    await form.getByLabel('Name of signer 1').fill('Sam Signer');
    await form.getByLabel('Email of signer 1').fill('sam@partner.example');
    await expectAccessible(page, 'send for signature');
    await form.getByRole('button', { name: 'Send' }).click();
    const link = await page.getByTestId('sign-link').textContent();
    assert.match(link, /\/sign\/[A-Za-z0-9_-]{43}$/);
    await expectAccessible(page, 'signing links');

    // The signer, with no session at all, signs on the server's own page.
    const signerContext = await browser.newContext({ locale: 'en-US' });
    try {
      const signer = await signerContext.newPage();
      await signer.goto(link);
      await signer.getByLabel('Your full name').fill('Sam Signer');
      await signer.getByLabel(/agree to sign it electronically/).check();
      await signer.getByRole('button', { name: 'Sign', exact: true }).click();
      await signer.waitForLoadState();
      assert.match(await signer.content(), /sign/i);
    } finally {
      await signerContext.close();
    }

    // Back in the app: active, with the certificate to download.
    await page.goto(`/contracts/${contract.id}/signatures`);
    await page.getByText('Active', { exact: true }).first().waitFor();
    await page.getByRole('button', { name: 'Download certificate (PDF)' }).waitFor();
    await expectAccessible(page, 'signatures (completed)');
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download certificate (PDF)' }).click();
    assert.match((await download).suggestedFilename(), /\.pdf$/);
    const { json: after } = await member('GET', `/api/v1/contracts/${contract.id}`);
    assert.equal(after.status, 'active');
  });
}
