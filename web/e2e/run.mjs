// SPDX-License-Identifier: AGPL-3.0-or-later
// End-to-end stories against the real server and the built UI, in one headless Chromium.
// Usage: npm run build && npm run e2e   (CM_BINARY, CM_CHROMIUM override the paths;
// CM_E2E_ONLY='a|b' runs the stories whose name contains one of those substrings;
// CM_E2E_DATABASE=postgres runs them on PostgreSQL)
import { after, before, describe, it } from 'node:test';
import { apiAs, launchBrowser, startServer } from './harness.mjs';
import { memberCreatesAndFindsAContract } from './stories/member-creates-contract.mjs';
import { staleEditShowsConflict } from './stories/stale-edit.mjs';
import { viewerSeesNoEditControls } from './stories/viewer-read-only.mjs';
import { longListScrollsAndLoadsMore } from './stories/long-list.mjs';
import { contractFromDraftToSigned } from './stories/contract-to-signed.mjs';
import { obligationAndMention } from './stories/obligation-and-mention.mjs';
import { renewalFromRenewalsPage } from './stories/renewal.mjs';
import { adminCreatesUserAndKeyByKeyboard } from './stories/admin-keyboard.mjs';
import { firstRunSetup } from './stories/first-run-setup.mjs';
import { sessionsSurviveRestartAndEndEverywhere } from './stories/sessions.mjs';
import { everyScreenIsAccessible } from './stories/every-screen.mjs';

const world = {};
const only = process.env.CM_E2E_ONLY?.split('|').filter(Boolean);
const selected = (name) => !only || only.some((part) => name.includes(part));
const story = (name, fn) => (selected(name) ? it(name, fn) : it.skip(name, () => {}));

describe('contractmgmt web UI', { concurrency: false }, () => {
  before(async () => {
    world.server = await startServer();
    await world.server.createUser('admin@example.com', 'admin', 'Ada Admin');
    await world.server.createUser('manager@example.com', 'manager', 'Max Manager');
    await world.server.createUser('member@example.com', 'member', 'Mia Member');
    await world.server.createUser('viewer@example.com', 'viewer', 'Vic Viewer');
    await world.server.seed(450);
    world.admin = await apiAs(world.server.baseUrl, 'admin@example.com');
    world.manager = await apiAs(world.server.baseUrl, 'manager@example.com');
    world.member = await apiAs(world.server.baseUrl, 'member@example.com');
    world.browser = await launchBrowser();
  });

  after(async () => {
    await world.browser?.close();
    await world.server?.stop();
  });

  story('a member signs in, creates a counterparty and a contract, and finds it by filter', () =>
    memberCreatesAndFindsAContract(world));
  story('a stale edit shows that someone else changed the contract', () => staleEditShowsConflict(world));
  story('a viewer sees no edit controls', () => viewerSeesNoEditControls(world));
  story('a long list scrolls with few DOM rows and loads more pages', () => longListScrollsAndLoadsMore(world));
  story('a contract goes from draft through approval to signed by an external signer', () =>
    contractFromDraftToSigned(world));
  story('an obligation is completed and a mention reaches the colleague’s bell', () => obligationAndMention(world));
  story('a contract is renewed from the renewals page', () => renewalFromRenewalsPage(world));
  story('keyboard only: an admin creates a user and an API key', () => adminCreatesUserAndKeyByKeyboard(world));
  story('a session rides out a server restart, and sign-out everywhere ends the other device’s', () =>
    sessionsSurviveRestartAndEndEverywhere(world));
  story('every screen passes axe', () => everyScreenIsAccessible(world));
  story('first-run setup through the setup link', () => firstRunSetup(world));
});
