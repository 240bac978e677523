// SPDX-License-Identifier: AGPL-3.0-or-later
import assert from 'node:assert/strict';
import { expectAccessible, signIn, withPage } from '../harness.mjs';

/**
 * One person on two devices. The server restarts (a deploy) while they work: the app rides it
 * out without signing in again. Then "sign out everywhere" on one device ends the other's
 * session too, whose next step leads to sign-in and back to where it was.
 */
export async function sessionsSurviveRestartAndEndEverywhere({ browser, server }) {
  await server.createUser('sam@example.com', 'member', 'Sam Sessions');
  await withPage(browser, server.baseUrl, 'sessions laptop', async (laptop) => {
    await signIn(laptop, 'sam@example.com', { next: '/renewals' });
    await laptop.getByRole('heading', { level: 1, name: 'Renewals' }).waitFor();

    await withPage(browser, server.baseUrl, 'sessions phone', async (phone) => {
      await signIn(phone, 'sam@example.com', { next: '/contracts' });
      await phone.getByRole('heading', { level: 1, name: 'Contracts' }).waitFor();

      // The server goes down for a moment; the person clicks on meanwhile, to a screen whose
      // code the app has not fetched yet (My account is never prefetched).
      await server.restart({
        downMs: 1500,
        whileDown: () => phone.getByRole('link', { name: /My account/ }).click(),
      });
      await phone.getByRole('heading', { level: 1, name: 'My account' }).waitFor({ timeout: 30_000 });
      await phone.getByText('sam@example.com').waitFor({ timeout: 30_000 });
      // A reload after the restart resumes the session from its cookie.
      await phone.reload();
      await phone.getByRole('heading', { level: 1, name: 'My account' }).waitFor();
      assert.ok(!phone.url().includes('/sign-in'), `signed out by the restart: ${phone.url()}`);
      await phone.getByText('sam@example.com').waitFor();
      await expectAccessible(phone, 'my account');
      await phone.getByRole('button', { name: 'Sign out everywhere' }).click();
      await phone.getByRole('dialog').getByRole('button', { name: 'Sign out everywhere' }).click();
      await phone.getByText('You were signed out on every device.').waitFor();
    });

    // The laptop still shows its page, but its session is gone: the next step asks to sign in,
    // and signing in comes back to that step.
    await laptop.getByRole('link', { name: 'Obligations' }).click();
    await laptop.waitForURL(/\/sign-in\?next=%2Fobligations/);
    await laptop.getByText('Your session has ended. Sign in to continue.').waitFor();
    await signIn(laptop, 'sam@example.com');
    await laptop.getByRole('heading', { level: 1, name: 'Obligations' }).waitFor();
  });
}
