// SPDX-License-Identifier: AGPL-3.0-or-later
// Keyboard only, from sign-in to a new user and an API key: every step is Tab, typing, Enter,
// Space or arrows; no click.
import assert from 'node:assert/strict';
import { PASSWORD, expectAccessible, tabTo, withPage } from '../harness.mjs';

export function adminCreatesUserAndKeyByKeyboard({ browser, server }) {
  return withPage(browser, server.baseUrl, 'admin keyboard', async (page) => {
    await page.goto('/sign-in');
    await page.getByRole('heading', { level: 1 }).waitFor();
    await tabTo(page, 'Email');
    await page.keyboard.type('admin@example.com');
    await page.keyboard.press('Tab');
    await page.keyboard.type(PASSWORD);
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Sign out' }).waitFor();

    // Skip link first, then the main navigation.
    await tabTo(page, 'Admin');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Admin' }).waitFor();
    await page.getByRole('table', { name: 'Users' }).waitFor();
    await expectAccessible(page, 'admin users');
    await tabTo(page, 'Invite user');
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Invite user' });
    await dialog.waitFor();
    // Focus moved into the dialog: its first field is a Tab away at most.
    await tabTo(page, 'Name', { max: 5 });
    await page.keyboard.type('Kim Keyboard');
    await page.keyboard.press('Tab');
    await page.keyboard.type('kim@example.com');
    await page.keyboard.press('Tab');
    await page.keyboard.press('ArrowDown'); // the role select: member → viewer, by arrow key
    await page.keyboard.press('Tab');
    await page.keyboard.type('a-long-initial-password');
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('cell', { name: 'kim@example.com', exact: true }).waitFor();

    await tabTo(page, 'API keys');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 2, name: 'API keys' }).waitFor();
    await tabTo(page, 'Key name');
    await page.keyboard.type('Nightly export');
    await page.keyboard.press('Enter');
    const secret = (await page.getByTestId('api-key-secret').textContent()).trim();
    await expectAccessible(page, 'API key secret');
    await tabTo(page, 'Copy the secret');
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Copy the secret' }).getByText('Copied').waitFor();

    // The key works, with the role it was given.
    const me = await fetch(`${server.baseUrl}/api/v1/me`, { headers: { Authorization: `Bearer ${secret}` } });
    assert.equal(me.status, 200);
    const create = await fetch(`${server.baseUrl}/api/v1/contracts`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${secret}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ title: 'Written by a viewer key', type: 'nda' }),
    });
    assert.equal(create.status, 403, 'a viewer key cannot create a contract');
  });
}
