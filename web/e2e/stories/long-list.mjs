// SPDX-License-Identifier: AGPL-3.0-or-later
import assert from 'node:assert/strict';
import { signIn, withPage } from '../harness.mjs';

export function longListScrollsAndLoadsMore({ browser, server }) {
  return withPage(browser, server.baseUrl, 'long list', async (page) => {
    await signIn(page, 'admin@example.com', { next: '/contracts' });
    await page.getByText('200 contracts shown, more available').waitFor();
    // Only the rows in view are in the DOM, however many are loaded.
    const domRows = await page.locator('table[aria-label="Contracts"] tbody tr').count();
    assert.ok(domRows < 80, `expected a virtualized body, found ${domRows} rows`);

    // Scrolling to the end loads the following pages through nextCursor.
    const scroller = page.locator('table[aria-label="Contracts"]').locator('xpath=..');
    for (let i = 0; i < 10; i++) {
      await scroller.evaluate((el) => el.scrollTo(0, el.scrollHeight));
      if ((await page.getByText(/contracts shown$/).count()) > 0) break;
      await page.waitForTimeout(300);
    }
    await page.getByText(/^4\d\d contracts shown$/).waitFor();
  });
}
