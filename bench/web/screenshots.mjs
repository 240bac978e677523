// SPDX-License-Identifier: AGPL-3.0-or-later
// Screenshots of the main screens into docs/screenshots/*.png (1280x800, device scale 1), taken
// from the built UI served by a throwaway `contractmgmt serve` on SQLite (web/e2e/harness.mjs)
// and filled by `contractmgmt seed --demo` (dates relative to today, so two runs differ in
// their dates but not in what is shown).
//
// Usage: (cd web && npm run build) && node bench/web/screenshots.mjs
// Environment: CM_SCREENSHOTS_DIR (default docs/screenshots), CM_SCREENSHOTS_ONLY=substring
// (only the shots whose file name contains it), CM_BINARY, CM_CHROMIUM.
import { cp, mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PASSWORD, apiAs, launchBrowser, makePdf, signIn, startServer } from '../../web/e2e/harness.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');
const outDir = path.resolve(process.env.CM_SCREENSHOTS_DIR ?? path.join(repo, 'docs/screenshots'));
const only = process.env.CM_SCREENSHOTS_ONLY;
const ORG = 'Acme Holdings';
const VIEWPORT = { width: 1280, height: 800 };

/** The demo seed prints one line per person: "  email  (role, Name)". */
function peopleFrom(output) {
  const people = {};
  for (const m of output.matchAll(/^\s+(\S+@\S+)\s+\((\w+), ([^)]+)\)/gm)) people[m[2]] = { email: m[1], name: m[3] };
  for (const role of ['admin', 'manager', 'member']) if (!people[role]) throw new Error(`the demo seed named no ${role}:\n${output}`);
  return people;
}

/** Waits until the screen has its heading and nothing on it says "Loading …" any more. */
async function settle(page, heading) {
  if (heading) await page.getByRole('heading', { level: 1, name: heading }).first().waitFor();
  await page.waitForLoadState('networkidle').catch(() => {});
  await page
    .waitForFunction(
      () => ![...document.querySelectorAll('[role="status"]')].some((el) => /^Loading/.test(el.textContent.trim())),
      null,
      { timeout: 15_000 },
    )
    .catch(() => {});
  await page.evaluate(() => document.fonts.ready);
  // Toasts and focus rings are part of a real screen, but a blinking caret is noise.
  await page.waitForTimeout(200);
}

async function shoot(page, name) {
  if (only && !name.includes(only)) return;
  const file = path.join(outDir, `${name}.png`);
  await page.screenshot({ path: file, animations: 'disabled', caret: 'hide' });
  const { size } = await stat(file);
  console.log(`  ${name}.png  ${(size / 1024).toFixed(0)} KB`);
}

async function contextFor(browser, baseUrl, person) {
  const context = await browser.newContext({
    baseURL: baseUrl,
    locale: 'en-US',
    timezoneId: 'UTC',
    viewport: VIEWPORT,
    deviceScaleFactor: 1,
    colorScheme: 'light',
  });
  context.setDefaultTimeout(20_000);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  if (person) await signIn(page, person.email);
  return { context, page, errors };
}

async function main() {
  await mkdir(outDir, { recursive: true });
  // Serve a snapshot of dist/: a rebuild meanwhile must not pull files from under the browser.
  const root = await mkdtemp(path.join(tmpdir(), 'cm-screenshots-'));
  await cp(path.join(repo, 'web/dist'), path.join(root, 'dist'), { recursive: true });
  const server = await startServer({ webRoot: path.join(root, 'dist'), logFile: path.join(root, 'server.log') });
  let browser;
  try {
    const { stdout } = await server.cli(['seed', '--demo', '--org', ORG], { CM_PASSWORD: PASSWORD });
    const people = peopleFrom(stdout);
    const admin = await apiAs(server.baseUrl, people.admin.email);

    const manager = await apiAs(server.baseUrl, people.manager.email);

    // The contract shown on its page: one waiting for the manager's decision (so the approval
    // tab shows the decision form), with a PDF to preview; else any contract in review.
    const { json: waiting } = await manager('GET', '/api/v1/approvals?assignee=me');
    const { json: inReview } = await admin('GET', '/api/v1/contracts?status=in_review&limit=50');
    const candidates = [
      ...waiting.items.map((a) => a.contractId ?? a.contract?.id).filter(Boolean),
      ...inReview.items.map((c) => c.id),
    ];
    let contract;
    let doc;
    for (const id of candidates) {
      const { json: docs } = await admin('GET', `/api/v1/contracts/${id}/documents`);
      doc = docs.items.find((d) => /\.pdf$/i.test(d.name));
      if (doc) {
        contract = (await admin('GET', `/api/v1/contracts/${id}`)).json;
        break;
      }
    }
    if (!contract) {
      // No demo contract in review carries a PDF: give the first candidate one.
      contract = (await admin('GET', `/api/v1/contracts/${candidates[0]}`)).json;
      doc = await admin.upload(contract.id, 'agreement.pdf', makePdf(contract.title));
    }
    const docVersion = doc.latestVersion ?? doc.version ?? 1;
    browser = await launchBrowser();
    console.log(`screenshots of ${server.baseUrl} into ${path.relative(repo, outDir) || outDir}:`);

    // Signed out.
    {
      const { context, page } = await contextFor(browser, server.baseUrl);
      await page.goto('/sign-in');
      await page.getByLabel('Email').waitFor();
      await settle(page);
      await shoot(page, 'sign-in');
      await context.close();
    }

    // As the admin.
    {
      const { context, page, errors } = await contextFor(browser, server.baseUrl, people.admin);
      const screens = [
        ['home', '/', /^Welcome/],
        ['contracts', '/contracts', 'Contracts'],
        ['contract-new', '/contracts/new', 'New contract'],
        ['contract-overview', `/contracts/${contract.id}`, contract.title],
        ['contract-documents', `/contracts/${contract.id}/documents`, contract.title],
        ['contract-activity', `/contracts/${contract.id}/activity`, contract.title],
        ['renewals-calendar', '/renewals?view=calendar&within=90', 'Renewals'],
        ['obligations', '/obligations?assignee=all&status=all', 'Obligations'],
        ['counterparties', '/counterparties', 'Counterparties'],
        ['reports', '/reports', 'Reports'],
        ['admin-users', '/admin/users', 'Admin'],
        ['admin-approval-policy', '/admin/approval-policy', 'Admin'],
        ['admin-audit', '/admin/audit', 'Admin'],
      ];
      for (const [name, url, heading] of screens) {
        if (only && !name.includes(only)) continue;
        await page.goto(url);
        await settle(page, heading);
        if (name === 'admin-audit') await page.getByText(/^Hash chain:/).waitFor();
        await shoot(page, name);
      }
      if (!only || 'contract-preview'.includes(only)) {
        const query = new URLSearchParams({ doc: doc.id, v: String(docVersion), name: doc.name });
        await page.goto(`/contracts/${contract.id}/preview?${query}`);
        await page.getByRole('img', { name: /^Page 1/ }).waitFor({ timeout: 30_000 });
        await settle(page, contract.title);
        await shoot(page, 'contract-preview');
      }
      if (errors.length) throw new Error(`errors in the page:\n${errors.join('\n')}`);
      await context.close();
    }

    // As the manager: the inbox, and the contract's approval tab with the decision form.
    {
      const { context, page, errors } = await contextFor(browser, server.baseUrl, people.manager);
      await page.goto('/approvals');
      await settle(page, 'Approvals waiting for you');
      await shoot(page, 'approvals');
      await page.goto(`/contracts/${contract.id}/approval`);
      await settle(page, contract.title);
      await shoot(page, 'contract-approval');
      if (errors.length) throw new Error(`errors in the page:\n${errors.join('\n')}`);
      await context.close();
    }
  } finally {
    await browser?.close();
    await server.stop();
    await rm(root, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
