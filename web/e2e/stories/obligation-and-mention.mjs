// SPDX-License-Identifier: AGPL-3.0-or-later
// An obligation is added and completed; a comment mentioning a colleague (picked from the
// @ autocomplete) reaches that colleague's bell.
import assert from 'node:assert/strict';
import { expectAccessible, signIn, withPage } from '../harness.mjs';

export function obligationAndMention({ browser, server, admin }) {
  return withPage(browser, server.baseUrl, 'obligation and mention', async (page) => {
    const title = `Maintenance contract ${Date.now()}`;
    const { json: contract } = await admin('POST', '/api/v1/contracts', { title, type: 'msa' });
    await signIn(page, 'admin@example.com', { next: `/contracts/${contract.id}/obligations` });
    await page.getByRole('heading', { level: 1, name: title }).waitFor();

    await page.getByRole('button', { name: 'Add obligation' }).click();
    const form = page.getByRole('form', { name: 'New obligation' });
    await form.getByLabel('Title').fill('Quarterly service report');
    await form.getByLabel('Due date').fill('2027-03-31');
    await form.getByLabel('Kind').selectOption('reporting');
    await form.getByLabel('Repeats', { exact: true }).selectOption('quarterly');
    await expectAccessible(page, 'new obligation');
    await form.getByRole('button', { name: 'Add obligation' }).click();
    await page.getByRole('cell', { name: 'Quarterly service report (quarterly)', exact: true }).first().waitFor();
    await page.getByRole('button', { name: 'Complete Quarterly service report' }).first().click();
    await page.getByText('Next occurrence due').first().waitFor();
    await page.getByText('Done', { exact: true }).waitFor();
    await expectAccessible(page, 'obligations');
    const { json: obligations } = await admin('GET', `/api/v1/contracts/${contract.id}/obligations`);
    assert.deepEqual(obligations.items.map((o) => o.status).sort(), ['done', 'open']);

    // A comment with a mention chosen from the autocomplete.
    await page.getByRole('link', { name: 'Comments' }).click();
    const box = page.getByRole('combobox', { name: 'New comment' });
    await box.click();
    await box.pressSequentially('Max, please review the SLA @Max');
    await page.getByRole('option', { name: /Max Manager/ }).waitFor();
    await expectAccessible(page, 'comment with mention suggestions');
    await page.keyboard.press('Enter');
    assert.equal(await box.inputValue(), 'Max, please review the SLA @manager@example.com ');
    await page.getByRole('button', { name: 'Post comment' }).click();
    await page.getByText('Max, please review the SLA @manager@example.com').waitFor();
    await expectAccessible(page, 'comments');

    await withPage(browser, server.baseUrl, 'mentioned colleague', async (other) => {
      await signIn(other, 'manager@example.com');
      const bell = other.getByRole('link', { name: /^Notifications, \d+ unread$/ });
      await bell.waitFor();
      await bell.click();
      await other.getByRole('heading', { level: 1, name: 'Notifications' }).waitFor();
      await expectAccessible(other, 'notifications');
      await other.getByRole('link', { name: /mentioned|mention/i }).first().click();
      await other.waitForURL(new RegExp(`/contracts/${contract.id}/comments$`));
      await other.getByText('Max, please review the SLA').waitFor();
    });
  });
}
