// SPDX-License-Identifier: AGPL-3.0-or-later
// Starts a throwaway contractmgmt server (fresh SQLite database and DATA_DIR on a free port,
// serving the built UI from web/dist) and a headless Chromium, for the stories in stories/.
// CM_E2E_DATABASE=postgres runs the server on a throwaway PostgreSQL 15 instead (initdb in a
// temporary directory, as the postgres user when run as root; CM_PG_BINDIR names the binaries).
import { spawn, execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm, writeFile, chmod, access } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { chromium } from 'playwright-core';
import AxeBuilder from '@axe-core/playwright';

const run = promisify(execFile);
const webDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const artifactsDir = path.join(webDir, 'e2e', 'artifacts');
export const PASSWORD = 'long-password-123';
export const ORG = 'E2E Org';

const chromiumPath = process.env.CM_CHROMIUM ?? '/usr/bin/chromium';
const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitForReady(baseUrl, child, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}`);
    try {
      const response = await fetch(`${baseUrl}/ready`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the server did not become ready within ${timeoutMs} ms`);
}

const pgBinDir = process.env.CM_PG_BINDIR ?? '/usr/lib/postgresql/15/bin';

/** A throwaway PostgreSQL on a free loopback port, without fsync; stop() deletes it. */
async function startPostgres() {
  const dir = await mkdtemp(path.join(tmpdir(), 'cm-web-e2e-pg-'));
  const asRoot = process.getuid?.() === 0;
  if (asRoot) await run('chown', ['postgres', dir]);
  const pg = (tool, args) =>
    asRoot
      ? run('runuser', ['-u', 'postgres', '--', path.join(pgBinDir, tool), ...args], { timeout: 120_000 })
      : run(path.join(pgBinDir, tool), args, { timeout: 120_000 });
  const port = await freePort();
  const data = path.join(dir, 'data');
  await pg('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-sync']);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off`;
  await pg('pg_ctl', ['-D', data, '-l', path.join(dir, 'server.log'), '-w', '-o', options, 'start']);
  return {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    async stop() {
      await pg('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(() => {});
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Starts the server; the binary is copied first so a rebuild meanwhile cannot disturb it.
 * `webRoot` serves another copy of the built UI (the benchmarks serve a snapshot of dist/);
 * `logFile` is where stop() keeps the server's log (default e2e/artifacts/server.log).
 */
export async function startServer({ webRoot = path.join(webDir, 'dist'), logFile } = {}) {
  const binary = path.resolve(webDir, process.env.CM_BINARY ?? '../build/src/contractmgmt');
  await access(binary).catch(() => {
    throw new Error(`no server binary at ${binary}: build it or set CM_BINARY`);
  });
  await access(path.join(webRoot, 'index.html')).catch(() => {
    throw new Error(`${webRoot} has no index.html: run \`npm run build\` first`);
  });
  const root = await mkdtemp(path.join(tmpdir(), 'cm-web-e2e-'));
  const copy = path.join(root, 'contractmgmt');
  await copyFile(binary, copy);
  await chmod(copy, 0o755);
  await mkdir(path.join(root, 'data'));
  const postgres = process.env.CM_E2E_DATABASE === 'postgres' ? await startPostgres() : null;
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const env = {
    ...process.env,
    APP_ENV: 'development',
    PORT: String(port),
    DATA_DIR: path.join(root, 'data'),
    DATABASE_URL: postgres ? postgres.url : `sqlite://${path.join(root, 'db.sqlite')}`,
    WEB_ROOT: webRoot,
    // Any free operations port, so a developer's own server on 9464 does not collide.
    METRICS_PORT: '0',
  };
  const cli = (args, extraEnv = {}) =>
    run(copy, args, { env: { ...env, ...extraEnv }, timeout: 60_000 });
  await cli(['migrate']);

  const log = [];
  const serve = async () => {
    const started = spawn(copy, ['serve'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    started.stdout.on('data', (d) => log.push(d));
    started.stderr.on('data', (d) => log.push(d));
    await waitForReady(baseUrl, started).catch(async (error) => {
      started.kill('SIGKILL');
      await postgres?.stop();
      const tail = Buffer.concat(log).toString().split('\n').slice(-10).join('\n');
      throw new Error(`${error.message}; its last output:\n${tail}`);
    });
    return started;
  };
  const terminate = (running) =>
    new Promise((resolve) => {
      if (running.exitCode !== null) return resolve();
      const timer = setTimeout(() => running.kill('SIGKILL'), 10_000);
      running.on('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      running.kill('SIGTERM');
    });
  let child = await serve();

  return {
    baseUrl,
    cli,
    /** What the server printed so far (e.g. the first-run setup URL). */
    output: () => Buffer.concat(log).toString(),
    async createUser(email, role, name) {
      const { stdout } = await cli(
        ['user', 'create', '--org', ORG, '--email', email, '--role', role, '--name', name],
        { CM_PASSWORD: PASSWORD },
      );
      return stdout.trim();
    },
    seed: (contracts) =>
      cli(['seed', '--org', ORG, '--contracts', String(contracts), '--counterparties', '20']),
    /**
     * Stops the server, waits `downMs` with nothing listening, and starts it again on the same
     * port, database and DATA_DIR (a deploy or a crash-restart in the middle of a session).
     * `whileDown` starts once the old process has exited.
     */
    async restart({ downMs = 0, whileDown } = {}) {
      await terminate(child);
      // What the person does while nothing answers; it goes on while the server comes back.
      const acting = whileDown?.();
      await new Promise((r) => setTimeout(r, downMs));
      child = await serve();
      await acting;
    },
    async stop() {
      await terminate(child);
      const logPath = logFile ?? path.join(artifactsDir, 'server.log');
      await mkdir(path.dirname(logPath), { recursive: true });
      await writeFile(logPath, Buffer.concat(log));
      await postgres?.stop();
      await rm(root, { recursive: true, force: true });
    },
  };
}

/** A small API client for arranging a story's data and for acting "elsewhere" in it. */
export async function apiAs(baseUrl, email) {
  const login = await fetch(`${baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email, password: PASSWORD }),
  });
  if (!login.ok) throw new Error(`login of ${email} failed: ${login.status}`);
  const { accessToken } = await login.json();
  async function call(method, pathname, body, headers = {}) {
    const response = await fetch(`${baseUrl}${pathname}`, {
      method,
      headers: {
        Authorization: `Bearer ${accessToken}`,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    const json = text ? JSON.parse(text) : undefined;
    if (!response.ok) throw new Error(`${method} ${pathname}: ${response.status} ${text}`);
    return { json, etag: response.headers.get('ETag') };
  }
  /** Uploads a file (multipart) to a contract. */
  call.upload = async (contractId, filename, bytes, kind = 'main') => {
    const form = new FormData();
    form.append('file', new Blob([bytes], { type: 'application/pdf' }), filename);
    form.append('kind', kind);
    const response = await fetch(`${baseUrl}/api/v1/contracts/${contractId}/documents`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${accessToken}` },
      body: form,
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`upload ${filename}: ${response.status} ${text}`);
    return JSON.parse(text);
  };
  return call;
}

/** A small valid one-page PDF showing `text` (for uploads, previews and signing). */
export function makePdf(text) {
  const escaped = text.replace(/[\\()]/g, (c) => `\\${c}`);
  const content = `BT /F1 18 Tf 72 720 Td (${escaped}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${Buffer.byteLength(content)} >>\nstream\n${content}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let pdf = '%PDF-1.4\n';
  const offsets = [];
  objects.forEach((body, i) => {
    offsets.push(Buffer.byteLength(pdf));
    pdf += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(pdf);
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) pdf += `${String(o).padStart(10, '0')} 00000 n \n`;
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(pdf, 'latin1');
}

/**
 * Brings a new contract to `active` through the real workflow: main document, submit, a
 * manager's approval, a signature by its owner as internal signer.
 */
export async function activeContract({ admin, manager }, fields) {
  const { json: contract } = await admin('POST', '/api/v1/contracts', fields);
  await admin.upload(contract.id, 'contract.pdf', makePdf(fields.title));
  await admin('POST', `/api/v1/contracts/${contract.id}/transitions`, { to: 'in_review' });
  await manager('POST', `/api/v1/contracts/${contract.id}/approval/decisions`, { decision: 'approve' });
  const me = (await admin('GET', '/api/v1/me')).json;
  const { json: request } = await admin('POST', `/api/v1/contracts/${contract.id}/signature-requests`, {
    signers: [{ userId: me.id }],
  });
  await admin('POST', `/api/v1/contracts/${contract.id}/signature-requests/${request.id}/sign`, {
    action: 'sign',
    fullName: me.name,
    consent: true,
    documentSha256: request.document.sha256,
  });
  const { json: active } = await admin('GET', `/api/v1/contracts/${contract.id}`);
  if (active.status !== 'active') throw new Error(`contract is ${active.status}, not active`);
  return active;
}

/**
 * Presses Tab (at most `max` times) until the focused element has this accessible text, as a
 * keyboard user moves through the page. Fails when it is never reached.
 */
export async function tabTo(page, name, { max = 80, role } = {}) {
  for (let i = 0; i <= max; i += 1) {
    // The element focused now counts (a dialog focuses its first field by itself).
    if (i > 0) await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const el = document.activeElement;
      if (!el) return null;
      const labelled = el.getAttribute('aria-label');
      const labels = 'labels' in el && el.labels ? Array.from(el.labels).map((l) => l.textContent.trim()) : [];
      return { text: (labelled ?? el.textContent ?? '').trim(), labels, tag: el.tagName.toLowerCase(), role: el.getAttribute('role') };
    });
    if (!focused) continue;
    const matches = (t) => (name instanceof RegExp ? name.test(t) : t === name);
    if ((matches(focused.text) || focused.labels.some(matches)) && (!role || focused.tag === role || focused.role === role)) return;
  }
  throw new Error(`Tab never reached ${name}`);
}

export async function launchBrowser() {
  await access(chromiumPath).catch(() => {
    throw new Error(`no Chromium at ${chromiumPath}: apt-get install -y chromium (or set CM_CHROMIUM)`);
  });
  return chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
}

/**
 * Runs axe on the page as it is now and fails on serious or critical violations, naming each
 * rule and the elements it found.
 */
export async function expectAccessible(page, screen) {
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
    .analyze();
  const blocking = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  if (blocking.length > 0) {
    const lines = blocking.map(
      (v) => `${v.impact} ${v.id}: ${v.help}\n    ${v.nodes.map((n) => n.target.join(' ')).slice(0, 5).join('\n    ')}`,
    );
    throw new Error(`accessibility violations on ${screen}:\n  ${lines.join('\n  ')}`);
  }
  return result.violations.length;
}

/** A browser context per story, traced; the trace and a screenshot are kept when it fails. */
export async function withPage(browser, baseUrl, name, body) {
  const context = await browser.newContext({ baseURL: baseUrl, locale: 'en-US', timezoneId: 'UTC' });
  context.setDefaultTimeout(10_000);
  await context.tracing.start({ screenshots: true, snapshots: true });
  const page = await context.newPage();
  const consoleErrors = [];
  page.on('pageerror', (error) => consoleErrors.push(String(error)));
  // The server's strict CSP must hold: any violation the browser reports fails the story.
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy/i.test(message.text()))
      consoleErrors.push(message.text());
  });
  try {
    await body(page);
    if (consoleErrors.length > 0) throw new Error(`uncaught errors in the page:\n${consoleErrors.join('\n')}`);
    await context.tracing.stop();
  } catch (error) {
    const slug = name.replace(/[^a-z0-9]+/gi, '-').toLowerCase();
    await mkdir(artifactsDir, { recursive: true });
    await page.screenshot({ path: path.join(artifactsDir, `${slug}.png`), fullPage: true }).catch(() => {});
    await context.tracing.stop({ path: path.join(artifactsDir, `${slug}-trace.zip`) }).catch(() => {});
    throw error;
  } finally {
    await context.close();
  }
}

export async function signIn(page, email, { next } = {}) {
  if (next) await page.goto(next);
  else if (!new URL(page.url()).pathname.startsWith('/sign-in')) await page.goto('/sign-in');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}
