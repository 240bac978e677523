// SPDX-License-Identifier: AGPL-3.0-or-later
// Web UI performance figures, read from Chromium's own performance APIs (Resource/Navigation/
// Paint Timing, PerformanceObserver 'longtask' and 'long-animation-frame', requestAnimationFrame)
// in the real UI served by a throwaway `contractmgmt serve` (web/e2e/harness.mjs). Not a test:
// it prints the figures next to the bars of the issue and exits 0 unless something broke.
//
// Usage: (cd web && npm run build) && node bench/web/run.mjs
// Environment: BENCH_RUNS (cold loads, default 7), BENCH_ROUTE_ROUNDS (default 5),
// BENCH_CONTRACTS (default 10000), BENCH_JSON=file (also write the figures as JSON),
// BENCH_ONLY=load,routes,scroll (a subset), BENCH_PROFILE=1 (CPU profile of the scroll passes),
// BENCH_VERBOSE=1 (the request waterfall of the first cold load),
// CM_BINARY, CM_CHROMIUM (as for the e2e stories).
import { cp, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir, cpus, loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { apiAs, launchBrowser, makePdf, signIn, startServer } from '../../web/e2e/harness.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const webDir = path.resolve(here, '../../web');
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const ROUTE_ROUNDS = Number(process.env.BENCH_ROUTE_ROUNDS ?? 5);
const PROFILE = process.env.BENCH_PROFILE === '1';
const VERBOSE = process.env.BENCH_VERBOSE === '1';
const ONLY = new Set((process.env.BENCH_ONLY ?? 'load,routes,scroll').split(','));
const CONTRACTS = Number(process.env.BENCH_CONTRACTS ?? 10_000);
const ADMIN = 'admin@example.com';
const VIEWPORT = { width: 1280, height: 800 };

const BARS = { initialJsGzipKB: 200, fcpMs: 1000, routeChangeMs: 100, longTasks: 0 };

// ---------------------------------------------------------------------------------------------
// Small helpers

const kb = (bytes) => bytes / 1024;
const fmtKB = (bytes) => `${kb(bytes).toFixed(1)} KB`;
const ms = (x) => (x === undefined || x === null ? '—' : `${Math.round(x)} ms`);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const percentile = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};
const stats = (xs) => ({ n: xs.length, median: median(xs), min: Math.min(...xs), max: Math.max(...xs) });
const verdict = (ok) => (ok ? 'met' : 'MISSED');
const log = (...args) => console.log(...args);

/** gzip as a server or CDN would send it (level 9; Vite's build report uses the same idea). */
const gzipSize = (buffer) => gzipSync(buffer, { level: 9 }).length;

async function newestMtime(dir) {
  let newest = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    // Type declarations and tests do not change what the build emits.
    if (!entry.isFile() || /\.d\.ts$|\.test\.tsx?$/.test(entry.name)) continue;
    const s = await stat(path.join(entry.parentPath ?? entry.path, entry.name));
    newest = Math.max(newest, s.mtimeMs);
  }
  return newest;
}

/** A fresh browser context, signed in through the sign-in page like a person would. */
async function signedInContext(browser, baseUrl, next) {
  const context = await browser.newContext({ baseURL: baseUrl, locale: 'en-US', timezoneId: 'UTC', viewport: VIEWPORT });
  context.setDefaultTimeout(30_000);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await signIn(page, ADMIN, next ? { next } : {});
  return { context, page, errors };
}

// ---------------------------------------------------------------------------------------------
// (a) The bundle as built: what index.html makes the browser fetch, and every chunk's gzip size.

async function bundleFigures(root) {
  const html = await readFile(path.join(root, 'index.html'), 'utf8');
  const initial = [];
  for (const m of html.matchAll(/<script[^>]*\bsrc="([^"]+)"|<link[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g))
    initial.push(m[1] ?? m[2]);
  const css = [...html.matchAll(/<link[^>]*rel="stylesheet"[^>]*href="([^"]+)"/g)].map((m) => m[1]);
  const chunks = [];
  for (const name of await readdir(path.join(root, 'assets'))) {
    if (!/\.(m?js|css)$/.test(name)) continue;
    const bytes = await readFile(path.join(root, 'assets', name));
    chunks.push({ url: `/assets/${name}`, raw: bytes.length, gzip: gzipSize(bytes) });
  }
  chunks.sort((a, b) => b.gzip - a.gzip);
  const byUrl = new Map(chunks.map((c) => [c.url, c]));
  const initialJs = initial.map((u) => byUrl.get(u)).filter(Boolean);
  return {
    initialFromHtml: initialJs,
    initialCss: css.map((u) => byUrl.get(u)).filter(Boolean),
    initialJsGzip: initialJs.reduce((s, c) => s + c.gzip, 0),
    chunks,
    byUrl,
  };
}

// ---------------------------------------------------------------------------------------------
// (b) Cold loads of /contracts: a new signed-in context, the HTTP cache cleared and disabled
// through CDP, then a hard navigation. Marks for the h1 and the first table row come from a
// MutationObserver installed before any script of the page runs.

const markScript = () => {
  const seen = {};
  const observer = new MutationObserver(() => {
    if (!seen.heading) {
      const h1 = document.querySelector('main h1');
      if (h1 && h1.textContent.trim() === 'Contracts') {
        seen.heading = true;
        performance.mark('cm:heading');
      }
    }
    if (!seen.rows && document.querySelector('table[aria-label="Contracts"] tbody tr td')) {
      seen.rows = true;
      performance.mark('cm:rows');
      observer.disconnect();
    }
  });
  observer.observe(document, { childList: true, subtree: true });
  // LCP entries are only reachable through an observer.
  window.__cmLcp = 0;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__cmLcp = e.startTime;
  }).observe({ type: 'largest-contentful-paint', buffered: true });
};

async function readTimings(page) {
  await page.waitForFunction(() => performance.getEntriesByName('cm:rows').length > 0, null, { timeout: 30_000 });
  // One more frame so the paint of those rows is recorded too.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 50))));
  return page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0];
    const paint = Object.fromEntries(performance.getEntriesByType('paint').map((e) => [e.name, e.startTime]));
    const mark = (n) => performance.getEntriesByName(n)[0]?.startTime;
    return {
      ttfb: nav.responseStart,
      domContentLoaded: nav.domContentLoadedEventEnd,
      load: nav.loadEventStart,
      firstPaint: paint['first-paint'],
      fcp: paint['first-contentful-paint'],
      lcp: window.__cmLcp,
      heading: mark('cm:heading'),
      rows: mark('cm:rows'),
      resources: performance.getEntriesByType('resource').map((r) => ({
        url: new URL(r.name).pathname,
        initiatorType: r.initiatorType,
        startTime: r.startTime,
        responseEnd: r.responseEnd,
        transferSize: r.transferSize,
        encodedBodySize: r.encodedBodySize,
        decodedBodySize: r.decodedBodySize,
      })),
    };
  });
}

async function coldLoad(browser, baseUrl) {
  const { context, page: signInPage, errors } = await signedInContext(browser, baseUrl);
  try {
    await signInPage.close();
    const page = await context.newPage();
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.addInitScript(markScript);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.clearBrowserCache');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    await page.goto('/contracts', { waitUntil: 'load' });
    const cold = await readTimings(page);

    // A repeat visit with the HTTP cache on (hashed assets are cached forever): prime, measure.
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: false });
    await page.goto('/contracts', { waitUntil: 'load' });
    await readTimings(page);
    await page.goto('/contracts', { waitUntil: 'load' });
    const warm = await readTimings(page);
    if (errors.length) throw new Error(`errors in the page:\n${errors.join('\n')}`);
    return { cold, warm };
  } finally {
    await context.close();
  }
}

/** Opens a PDF preview client-side after a cold load and lists the JS fetched for it. */
async function previewLoads(browser, baseUrl, contractId) {
  const { context, page: first } = await signedInContext(browser, baseUrl);
  try {
    await first.close();
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.clearBrowserCache');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    await page.goto(`/contracts/${contractId}/documents`, { waitUntil: 'load' });
    await page.getByRole('link', { name: /^Preview / }).first().waitFor();
    const before = await page.evaluate(() => performance.getEntriesByType('resource').length);
    await page.getByRole('link', { name: /^Preview / }).first().click();
    await page.getByRole('img', { name: /^Page 1/ }).waitFor({ timeout: 30_000 });
    return page.evaluate(
      (n) =>
        performance
          .getEntriesByType('resource')
          .slice(n)
          .map((r) => new URL(r.name).pathname)
          .filter((u) => /\.m?js$/.test(u)),
      before,
    );
  } finally {
    await context.close();
  }
}

// ---------------------------------------------------------------------------------------------
// (c) Client-side route changes: from the trusted click on a main-navigation link (the click
// event's timeStamp) to the new screen's h1 in the DOM, to the next frame after it (painted),
// and to "settled" (no "Loading …" status left in <main>).

const installRouteProbe = () => {
  window.__cmArm = (expected) => {
    const pattern = new RegExp(expected);
    window.__cmNav = new Promise((resolve, reject) => {
      let clickAt;
      let domAt;
      let paintAt;
      const timer = setTimeout(() => reject(new Error(`no h1 matching ${expected} within 15 s`)), 15_000);
      document.addEventListener('click', (e) => (clickAt = e.timeStamp), { capture: true, once: true });
      const loading = () =>
        [...document.querySelectorAll('main [role="status"]')].some((el) => /^Loading/.test(el.textContent.trim()));
      const finish = () => {
        clearTimeout(timer);
        observer.disconnect();
        resolve({ dom: domAt - clickAt, paint: paintAt - clickAt, settled: performance.now() - clickAt });
      };
      const check = () => {
        if (clickAt === undefined) return;
        if (domAt === undefined) {
          const h1 = document.querySelector('main h1');
          if (!h1 || !pattern.test(h1.textContent.trim())) return;
          domAt = performance.now();
          // rAF runs before the frame's paint; the task after it runs once that frame is out.
          requestAnimationFrame(() =>
            setTimeout(() => {
              paintAt = performance.now();
              if (!loading()) finish();
            }),
          );
          return;
        }
        if (paintAt !== undefined && !loading()) finish();
      };
      const observer = new MutationObserver(check);
      observer.observe(document.body, { childList: true, subtree: true, characterData: true });
    });
  };
};

const screens = [
  { link: 'Contracts', heading: '^Contracts$' },
  { link: 'Home', heading: '^Welcome' },
  { link: 'Renewals', heading: '^Renewals$' },
  { link: 'Counterparties', heading: '^Counterparties$' },
];

async function routeChanges(browser, baseUrl) {
  // Start elsewhere (Reports), so each of the four screens has a true first visit.
  const { context, page, errors } = await signedInContext(browser, baseUrl, '/reports');
  try {
    await page.getByRole('heading', { level: 1, name: 'Reports' }).waitFor();
    await page.waitForTimeout(500);
    await page.evaluate(installRouteProbe);
    const nav = page.getByRole('navigation', { name: 'Main' });
    const results = [];
    for (let round = 0; round <= ROUTE_ROUNDS; round += 1) {
      for (const screen of screens) {
        await page.evaluate((h) => window.__cmArm(h), screen.heading);
        await nav.getByRole('link', { name: screen.link, exact: true }).click();
        const t = await page.evaluate(() => window.__cmNav);
        results.push({ ...screen, visit: round === 0 ? 'first' : 'cached', ...t });
        // Someone reading the screen for a moment: let background refetches finish.
        await page.waitForTimeout(300);
      }
    }
    if (errors.length) throw new Error(`errors in the page:\n${errors.join('\n')}`);
    return results;
  } finally {
    await context.close();
  }
}

// ---------------------------------------------------------------------------------------------
// (d) 10,000 loaded rows: load every page by scrolling (the table prefetches the next page
// near the end), then scroll the virtualized body top to bottom at a fixed number of pixels
// per animation frame, with observers on long tasks and long animation frames.

const scrollPass = async (step) => {
  const scroller = document.querySelector('table[aria-label="Contracts"]').parentElement;
  const longTasks = [];
  const loafs = [];
  const lt = new PerformanceObserver((l) => longTasks.push(...l.getEntries().map((e) => e.duration)));
  lt.observe({ type: 'longtask' });
  const lo = new PerformanceObserver((l) =>
    loafs.push(...l.getEntries().map((e) => ({ duration: e.duration, blocking: e.blockingDuration }))),
  );
  try {
    lo.observe({ type: 'long-animation-frame' });
  } catch {
    // older Chromium: no LoAF
  }
  const gaps = [];
  let domRowsMax = 0;
  let domRowsMin = Infinity;
  let blankFrames = 0;
  let sampled = 0;
  const worst = [];
  const rowsIn = () => scroller.querySelectorAll('tbody tr[aria-rowindex]');
  const started = performance.now();
  await new Promise((resolve) => {
    let last;
    const box = scroller.getBoundingClientRect();
    let n = 0;
    const frame = (t) => {
      if (last !== undefined) {
        gaps.push(t - last);
        if (t - last > 50) worst.push({ gap: t - last, scrollTop: scroller.scrollTop });
      }
      last = t;
      const rows = rowsIn();
      domRowsMax = Math.max(domRowsMax, rows.length);
      domRowsMin = Math.min(domRowsMin, rows.length);
      // Every 10th frame (it forces a layout): is there a rendered row under the viewport's
      // top, or would the user see a blank flash?
      if (n++ % 10 === 5) {
        const hit = document.elementFromPoint(box.left + 20, box.top + 60);
        sampled += 1;
        if (!hit?.closest('tr[aria-rowindex]')) blankFrames += 1;
      }
      if (scroller.scrollTop + scroller.clientHeight >= scroller.scrollHeight - 1) return resolve();
      scroller.scrollTop += step;
      requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  });
  const elapsed = performance.now() - started;
  await new Promise((r) => setTimeout(r, 500)); // let the observers deliver
  lt.disconnect();
  lo.disconnect();
  const lastRow = Math.max(...[...rowsIn()].map((r) => Number(r.getAttribute('aria-rowindex'))));
  return {
    step,
    distance: scroller.scrollTop,
    elapsed,
    frames: gaps.length,
    gaps,
    longTasks,
    loafs,
    domRowsMax,
    domRowsMin,
    blankFrames,
    sampled,
    worst: worst.sort((a, b) => b.gap - a.gap).slice(0, 5),
    lastRowIndex: lastRow - 1, // aria-rowindex counts the header row as 1
  };
};

/** The functions with the most self time in a V8 CPU profile (BENCH_PROFILE=1). */
function topSelfTime(profile, count = 15) {
  const byNode = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  profile.samples.forEach((id, i) => {
    const node = byNode.get(id);
    const f = node.callFrame;
    const where = f.url ? `${path.basename(new URL(f.url, 'http://x').pathname)}:${f.lineNumber + 1}:${f.columnNumber + 1}` : '';
    const key = `${f.functionName || '(anonymous)'} ${where}`.trim();
    self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  return { totalMs: total, top: [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, count) };
}

async function scrolling(browser, baseUrl, expected) {
  const { context, page, errors } = await signedInContext(browser, baseUrl, '/contracts');
  try {
    const status = page.locator('[role="status"]', { hasText: 'contracts shown' });
    await status.waitFor();
    const scroller = page.locator('table[aria-label="Contracts"]').locator('xpath=..');
    const started = Date.now();
    const wanted = `${expected.toLocaleString('en-US')} contracts shown`;
    let requests = 0;
    page.on('request', (r) => {
      if (new URL(r.url()).pathname === '/api/v1/contracts') requests += 1;
    });
    while ((await status.textContent()).trim() !== wanted) {
      if (Date.now() - started > 300_000) throw new Error(`still "${await status.textContent()}" after 5 minutes`);
      await scroller.evaluate((el) => el.scrollTo(0, el.scrollHeight));
      await page.waitForTimeout(50);
    }
    const loadAllMs = Date.now() - started;
    await scroller.evaluate((el) => el.scrollTo(0, 0));
    await page.waitForTimeout(1000);
    const heap = await page.evaluate(() => performance.memory?.usedJSHeapSize);
    const domRowsLoaded = await page.locator('table[aria-label="Contracts"] tbody tr[aria-rowindex]').count();
    const cdp = PROFILE ? await context.newCDPSession(page) : undefined;
    const passes = [];
    for (const step of [400, 4000]) {
      await scroller.evaluate((el) => el.scrollTo(0, 0));
      await page.waitForTimeout(1000);
      if (cdp) {
        await cdp.send('Profiler.enable');
        await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
        await cdp.send('Profiler.start');
      }
      const pass = await page.evaluate(scrollPass, step);
      if (cdp) pass.profile = topSelfTime((await cdp.send('Profiler.stop')).profile);
      passes.push(pass);
    }
    // What the same browser manages on a page that does nothing, as a yardstick for this machine.
    const idle = await context.newPage();
    await idle.setContent('<p>idle</p>');
    const idleFps = await idle.evaluate(
      () =>
        new Promise((resolve) => {
          let frames = 0;
          let first;
          const frame = (t) => {
            first ??= t;
            frames += 1;
            if (t - first >= 2000) resolve(((frames - 1) / (t - first)) * 1000);
            else requestAnimationFrame(frame);
          };
          requestAnimationFrame(frame);
        }),
    );
    if (errors.length) throw new Error(`errors in the page:\n${errors.join('\n')}`);
    return { loadAllMs, requests, heap, domRowsLoaded, passes, idleFps };
  } finally {
    await context.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Reports: each runs its measurement, prints the figures next to the bar, adds them to `figures`.

async function reportLoad(browser, server, snapshot, figures) {
  // One contract with a PDF, to show that the PDF viewer is fetched only when opened.
  const admin = await apiAs(server.baseUrl, ADMIN);
  const { json: list } = await admin('GET', '/api/v1/contracts?limit=1');
  const contractId = list.items[0].id;
  await admin.upload(contractId, 'preview.pdf', makePdf('Benchmark preview'));
  const bundle = await bundleFigures(snapshot);
  const loads = [];
  for (let i = 0; i < RUNS; i += 1) loads.push(await coldLoad(browser, server.baseUrl));
  const first = loads[0].cold;
  const js = first.resources.filter((r) => /\.m?js$/.test(r.url));
  const beforeLoad = js.filter((r) => r.startTime < first.load);
  const forScreen = js.filter((r) => r.startTime < first.rows);
  const gz = (rs) => rs.reduce((s, r) => s + (bundle.byUrl.get(r.url)?.gzip ?? 0), 0);
  const wire = (rs) => rs.reduce((s, r) => s + r.transferSize, 0);
  const initialGzip = gz(beforeLoad);
  const previewJs = await previewLoads(browser, server.baseUrl, contractId);

  log('(a) initial JavaScript (cold load of /contracts, Resource Timing; gzip -9 of each file)');
  for (const r of forScreen) {
    const c = bundle.byUrl.get(r.url);
    log(`    ${r.startTime < first.load ? 'before load' : 'after load '}  ${r.url.padEnd(44)} ${fmtKB(c?.raw ?? 0).padStart(9)} raw ${fmtKB(c?.gzip ?? 0).padStart(9)} gzip`);
  }
  log(`    JS fetched before the load event: ${beforeLoad.length} file(s), ${fmtKB(initialGzip)} gzip (${fmtKB(wire(beforeLoad))} on the wire)  — bar ≤ ${BARS.initialJsGzipKB} KB: ${verdict(kb(initialGzip) <= BARS.initialJsGzipKB)}`);
  if (wire(beforeLoad) > initialGzip * 1.5)
    log('    (the server sends JS uncompressed: on the wire is the raw size; a compressing proxy in front would send the gzip size)');
  log(`    JS fetched until the first table row: ${forScreen.length} file(s), ${fmtKB(gz(forScreen))} gzip (includes the lazy Contracts screen)`);
  log(`    index.html references: ${bundle.initialFromHtml.map((c) => c.url).join(', ')} = ${fmtKB(bundle.initialJsGzip)} gzip; CSS ${bundle.initialCss.map((c) => `${c.url} ${fmtKB(c.gzip)}`).join(', ')}`);
  log('    largest chunks (gzip), and whether the first screen loads them:');
  const loadedForScreen = new Set(forScreen.map((r) => r.url));
  for (const c of bundle.chunks.slice(0, 8))
    log(`      ${c.url.padEnd(46)} ${fmtKB(c.gzip).padStart(9)} gzip  ${loadedForScreen.has(c.url) ? 'first screen' : 'lazy'}`);
  log(`    opening a PDF preview fetches: ${previewJs.map((u) => `${u} (${fmtKB(bundle.byUrl.get(u)?.gzip ?? 0)} gzip)`).join(', ') || 'nothing'}`);
  figures.bundle = {
    initialJsGzip: initialGzip,
    initialJsWire: wire(beforeLoad),
    firstScreenJsGzip: gz(forScreen),
    firstScreen: forScreen.map((r) => ({ url: r.url, beforeLoad: r.startTime < first.load, ...bundle.byUrl.get(r.url) })),
    largest: bundle.chunks.slice(0, 8).map(({ url, raw, gzip }) => ({ url, raw, gzip, firstScreen: loadedForScreen.has(url) })),
    previewJs,
  };

  const series = (key, which = 'cold') => loads.map((l) => l[which][key]).filter((x) => typeof x === 'number');
  const line = (label, key, which) => {
    const s = stats(series(key, which));
    return `    ${label.padEnd(28)} median ${ms(s.median).padStart(7)}  min ${ms(s.min).padStart(7)}  max ${ms(s.max).padStart(7)}`;
  };
  const fcpCold = stats(series('fcp'));
  log(`\n(b) hard load of /contracts, signed in, HTTP cache cleared and disabled (CDP), ${RUNS} runs, fresh context each`);
  for (const [label, key] of [
    ['time to first byte', 'ttfb'],
    ['first contentful paint', 'fcp'],
    ['DOMContentLoaded', 'domContentLoaded'],
    ['load event', 'load'],
    ['h1 "Contracts" in the DOM', 'heading'],
    ['first table row in the DOM', 'rows'],
    ['largest contentful paint', 'lcp'],
  ])
    log(line(label, key, 'cold'));
  if (VERBOSE) {
    log('    waterfall of the first cold load (start → end, ms since navigation start):');
    log(`      ${'0'.padStart(5)} → ${Math.round(first.ttfb).toString().padStart(5)}  document (first byte)`);
    for (const r of [...first.resources].sort((a, b) => a.startTime - b.startTime))
      log(`      ${Math.round(r.startTime).toString().padStart(5)} → ${Math.round(r.responseEnd).toString().padStart(5)}  ${r.initiatorType.padEnd(6)} ${r.url}`);
    log(`      DCL ${ms(first.domContentLoaded)}, load ${ms(first.load)}, FCP ${ms(first.fcp)}, h1 ${ms(first.heading)}, rows ${ms(first.rows)}`);
  }
  log(`    FCP bar < ${BARS.fcpMs} ms: ${verdict(fcpCold.median < BARS.fcpMs)} (median ${ms(fcpCold.median)}; first table row median ${ms(stats(series('rows')).median)})`);
  log('    repeat visit, HTTP cache on:');
  for (const [label, key] of [
    ['first contentful paint', 'fcp'],
    ['first table row in the DOM', 'rows'],
  ])
    log(line(label, key, 'warm'));
  figures.load = Object.fromEntries(
    ['ttfb', 'fcp', 'domContentLoaded', 'load', 'heading', 'rows', 'lcp'].map((k) => [k, { cold: stats(series(k)), warm: stats(series(k, 'warm')) }]),
  );
}

async function reportRoutes(browser, server, figures) {
  const routes = await routeChanges(browser, server.baseUrl);
  log(`\n(c) client-side route changes via the main navigation (click → h1 in DOM / next frame / settled)`);
  const routeFigures = {};
  for (const visit of ['first', 'cached']) {
    const rs = routes.filter((r) => r.visit === visit);
    const paint = stats(rs.map((r) => r.paint));
    const dom = stats(rs.map((r) => r.dom));
    const settled = stats(rs.map((r) => r.settled));
    routeFigures[visit] = { dom, paint, settled };
    log(`    ${visit === 'first' ? 'first visit (lazy chunk + data)' : `data cached (${ROUTE_ROUNDS} rounds)`}: ${rs.length} changes; painted median ${ms(paint.median)}, max ${ms(paint.max)}; h1 in DOM median ${ms(dom.median)}; settled median ${ms(settled.median)}, max ${ms(settled.max)}`);
    for (const s of screens) {
      const per = rs.filter((r) => r.link === s.link);
      log(`      → ${s.link.padEnd(15)} painted ${per.map((r) => Math.round(r.paint)).join(', ')} ms; settled ${per.map((r) => Math.round(r.settled)).join(', ')} ms`);
    }
  }
  log(`    bar < ${BARS.routeChangeMs} ms: cached ${verdict(routeFigures.cached.paint.max < BARS.routeChangeMs)} (max ${ms(routeFigures.cached.paint.max)}), first visit ${verdict(routeFigures.first.paint.max < BARS.routeChangeMs)} (max ${ms(routeFigures.first.paint.max)})`);
  figures.routes = { summary: routeFigures, all: routes };
}

async function reportScroll(browser, server, figures) {
  const scroll = await scrolling(browser, server.baseUrl, CONTRACTS);
  log(`\n(d) ${CONTRACTS.toLocaleString('en-US')} rows: all loaded by scrolling in ${(scroll.loadAllMs / 1000).toFixed(1)} s (${scroll.requests} list requests); JS heap ${scroll.heap ? fmtKB(scroll.heap).replace(' KB', '') + ' KB' : '?'} (performance.memory, coarse)`);
  log(`    DOM rows with all loaded, at the top: ${scroll.domRowsLoaded}; an idle page in the same browser runs at ~${scroll.idleFps.toFixed(0)} fps`);
  figures.scroll = { loadAllMs: scroll.loadAllMs, requests: scroll.requests, heap: scroll.heap, domRowsLoaded: scroll.domRowsLoaded, idleFps: scroll.idleFps, passes: [] };
  for (const p of scroll.passes) {
    const fps = (p.frames / p.elapsed) * 1000;
    const over = (limit) => p.gaps.filter((g) => g > limit).length;
    const maxLong = p.longTasks.length ? Math.max(...p.longTasks) : 0;
    const loafBlocking = p.loafs.filter((l) => l.blocking > 0).length;
    // A frame held up by work the Long Tasks API does not attribute to the page (V8's
    // second-pass GC callbacks, for one) shows only as a long animation frame.
    const longestLoaf = p.loafs.length ? Math.max(...p.loafs.map((l) => l.duration)) : 0;
    const summary = {
      step: p.step,
      seconds: p.elapsed / 1000,
      frames: p.frames,
      fps,
      maxFrameGap: Math.max(...p.gaps),
      p95FrameGap: percentile(p.gaps, 95),
      framesOver33ms: over(33.4),
      framesOver50ms: over(50),
      longTasks: p.longTasks.length,
      longestTask: maxLong,
      longAnimationFrames: p.loafs.length,
      loafsWithBlocking: loafBlocking,
      longestAnimationFrame: longestLoaf,
      domRows: [p.domRowsMin, p.domRowsMax],
      blankFrames: p.blankFrames,
      lastRowIndex: p.lastRowIndex,
    };
    figures.scroll.passes.push(summary);
    log(`    ${p.step} px/frame (${Math.round(p.step / 40)} rows/frame): ${(p.distance / 1000).toFixed(0)}k px in ${summary.seconds.toFixed(1)} s, ${p.frames} frames, ~${fps.toFixed(0)} fps`);
    log(`      frame gap max ${ms(summary.maxFrameGap)}, p95 ${summary.p95FrameGap.toFixed(1)} ms, >33 ms: ${summary.framesOver33ms}, >50 ms: ${summary.framesOver50ms}`);
    log(`      long tasks (>50 ms): ${p.longTasks.length}${p.longTasks.length ? ` (longest ${ms(maxLong)})` : ''}; long animation frames: ${p.loafs.length} (${loafBlocking} with blocking time; longest ${ms(longestLoaf)})`);
    log(`      DOM rows ${p.domRowsMin}–${p.domRowsMax}; blank at the viewport's top in ${p.blankFrames} of ${p.sampled} sampled frames; last row rendered: #${p.lastRowIndex}`);
    if (p.worst.length) log(`      worst gaps: ${p.worst.map((w) => `${Math.round(w.gap)} ms at ${Math.round(w.scrollTop / 40)}`).join(', ')} (row)`);
    if (p.profile) {
      log(`      CPU profile, self time (${Math.round(p.profile.totalMs)} ms sampled):`);
      for (const [fn, t] of p.profile.top) log(`        ${t.toFixed(0).padStart(6)} ms  ${fn}`);
    }
  }
  const totalLong = figures.scroll.passes.reduce((s, p) => s + p.longTasks, 0);
  log(`    bar "smooth, no long tasks": ${verdict(totalLong === 0)} (${totalLong} long task(s) over both passes)`);
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const distDir = path.join(webDir, 'dist');
  const builtAt = (await stat(path.join(distDir, 'index.html')).catch(() => null))?.mtimeMs;
  if (!builtAt) throw new Error('web/dist is missing: run `cd web && npm run build` first');
  const srcAt = await newestMtime(path.join(webDir, 'src'));
  // Serve a snapshot: another build meanwhile (emptyOutDir) must not pull files from under us.
  const root = await mkdtemp(path.join(tmpdir(), 'cm-bench-web-'));
  const snapshot = path.join(root, 'dist');
  await cp(distDir, snapshot, { recursive: true });

  log(`contractmgmt web UI benchmark — ${new Date().toISOString()}`);
  log(`machine: ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  log(`build: web/dist of ${new Date(builtAt).toISOString()}${srcAt > builtAt ? ' — OLDER than web/src (rebuild for current figures)' : ''}`);

  const figures = { date: new Date().toISOString(), loadAverageStart: loadavg(), cores: cpus().length };
  const server = await startServer({ webRoot: snapshot, logFile: path.join(root, 'server.log') });
  let browser;
  try {
    await server.createUser(ADMIN, 'admin', 'Ada Admin');
    const t = Date.now();
    await server.seed(CONTRACTS);
    log(`seeded ${CONTRACTS} contracts in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    browser = await launchBrowser();
    log(`chromium ${browser.version()}, viewport ${VIEWPORT.width}x${VIEWPORT.height}, server ${server.baseUrl}\n`);

    if (ONLY.has('load')) await reportLoad(browser, server, snapshot, figures);
    if (ONLY.has('routes')) await reportRoutes(browser, server, figures);
    if (ONLY.has('scroll')) await reportScroll(browser, server, figures);

    figures.loadAverageEnd = loadavg();
    log(`\nload average at the end: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    if (process.env.BENCH_JSON) await writeFile(process.env.BENCH_JSON, JSON.stringify(figures, null, 2));
  } finally {
    await browser?.close();
    await server.stop();
    await rm(root, { recursive: true, force: true });
  }
}

// Run as a script; imported (by a one-off experiment), only the exports below.
if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}

export { scrollPass, signedInContext, topSelfTime };
