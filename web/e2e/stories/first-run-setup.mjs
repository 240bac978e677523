// SPDX-License-Identifier: AGPL-3.0-or-later
// First run on an empty database: the setup link creates the organization and its admin,
// signs them in, and works only once.
import assert from 'node:assert/strict';
import { expectAccessible, startServer, withPage } from '../harness.mjs';

export async function firstRunSetup({ browser }) {
  const server = await startServer();
  try {
    const { stdout } = await server.cli(['setup-url']);
    const url = new URL(stdout.trim().split(/\s+/).find((w) => w.includes('/setup?token=')));
    const path = `${url.pathname}${url.search}`;
    await withPage(browser, server.baseUrl, 'first-run setup', async (page) => {
      await page.goto('/setup?token=wrong');
      await page.getByRole('heading', { level: 1, name: 'Set up contractmgmt' }).waitFor();
      await page.getByLabel('Organization name').fill('Acme Legal');
      await page.getByLabel('Your name').fill('Olivia Owner');
      await page.getByLabel('Email').fill('olivia@acme.example');
      await page.getByLabel('Password', { exact: true }).fill('correct-horse-battery');
      await page.getByLabel('Repeat the password').fill('correct-horse-battery');
      await page.getByRole('button', { name: 'Create organization' }).click();
      await page.getByText('This setup link is not valid.').waitFor();

      await page.goto(path);
      await expectAccessible(page, 'setup');
      assert.equal(await page.getByLabel('Time zone').inputValue(), 'UTC'); // the browser's zone
      await page.getByLabel('Organization name').fill('Acme Legal');
      await page.getByLabel('Time zone').selectOption('Europe/Berlin');
      await page.getByLabel('Your name').fill('Olivia Owner');
      await page.getByLabel('Email').fill('olivia@acme.example');
      await page.getByLabel('Password', { exact: true }).fill('correct-horse-battery');
      await page.getByLabel('Repeat the password').fill('correct-horse-batter');
      await page.getByRole('button', { name: 'Create organization' }).click();
      await page.getByText('The passwords differ').waitFor();
      await page.getByLabel('Repeat the password').fill('correct-horse-battery');
      await page.getByRole('button', { name: 'Create organization' }).click();
      await page.getByRole('heading', { level: 1, name: 'Welcome, Olivia Owner' }).waitFor();
      await page.getByText('Acme Legal').first().waitFor();

      // The link is spent: another try says so.
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.goto(path);
      await page.getByLabel('Organization name').fill('Again');
      await page.getByLabel('Your name').fill('Mallory');
      await page.getByLabel('Email').fill('mallory@acme.example');
      await page.getByLabel('Password', { exact: true }).fill('correct-horse-battery');
      await page.getByLabel('Repeat the password').fill('correct-horse-battery');
      await page.getByRole('button', { name: 'Create organization' }).click();
      await page.getByRole('alert').filter({ hasText: /already set up|not valid/ }).waitFor();
    });
  } finally {
    await server.stop();
  }
}
