// What ken's browser tests (flows.mjs, flows2.mjs) share: a demo ken on a free port of 127.0.0.1,
// the system Chromium driven by playwright-core, contexts that may reach 127.0.0.1 only, signing
// in, screenshots, axe-core and the closing checks (no script errors, a clean SIGTERM).
//
// Environment: KEN (the ken binary), CHROMIUM (default /usr/bin/chromium), SCREENSHOTS (default:
// screenshots/ beside the ken binary). Everything here is read through live bindings (`url`,
// `password`, `browser`), set by setUp().
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdtempSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const HERE = dirname(fileURLToPath(import.meta.url));
export const KEN = resolve(process.env.KEN || join(HERE, '../../build-test/ken'));
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
export const SHOTS = resolve(process.env.SCREENSHOTS || join(dirname(KEN), 'screenshots'));
let chromium, AXE;
try {
  ({ chromium } = await import('playwright-core'));
  AXE = readFileSync(join(HERE, 'node_modules/axe-core/axe.min.js'), 'utf8');
} catch (e) {
  console.error(`playwright-core or axe-core is missing: run \`npm ci --prefix tests/browser\` (${e.message})`);
  process.exit(1);
}
export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };
export const STAMP = Date.now().toString(36);
export const problems = []; // JavaScript errors, CSP reports, requests that left 127.0.0.1
const axeFindings = [];

export let url, password, browser;
let tmp, server, serverErr = '';

export function freePort() {
  return new Promise((ok, bad) => {
    const s = createServer();
    s.on('error', bad);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => ok(port)); });
  });
}

async function up(base, proc) {
  for (let i = 0; i < 100; i++) {
    if (proc.exitCode !== null) return false;
    try { if ((await fetch(base + '/static/ken.css')).ok) return true; } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

async function startServer() {
  const db = join(tmp, 'ken.db');
  const out = execFileSync(KEN, ['init', '--db', db, '--demo'], { encoding: 'utf8' });
  password = (out.match(/Sign in as the admin: login [a-z]+, password (.*)$/m) || [])[1];
  assert.ok(password, `no password in the output of ken init --demo: ${out}`);
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    serverErr = '';
    server = spawn(KEN, ['serve', '--db', db, '--listen', `127.0.0.1:${port}`, '--threads', '32',
      '--access-log', 'off'], { stdio: ['ignore', 'ignore', 'pipe'] });
    server.stderr.on('data', (d) => { serverErr += d; });
    if (await up(url, server)) return;
    server.kill('SIGTERM');
    await new Promise((r) => server.exitCode !== null ? r() : server.once('exit', r));
  }
  throw new Error(`ken serve did not start; its log:\n${serverErr}`);
}

// Makes a demo database, starts ken on it and launches Chromium (for `before`).
export async function setUp() {
  tmp = mkdtempSync(join(tmpdir(), 'ken-browser-'));
  mkdirSync(SHOTS, { recursive: true });
  await startServer();
  // Playwright gives the browser a new, empty profile (user-data-dir) of its own.
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--disable-quic'],
  });
}

// Closes the browser, kills ken if it still runs, removes the database (for `after`).
export async function tearDown() {
  if (browser) await browser.close();
  if (server && server.exitCode === null) server.kill('SIGKILL');
  if (tmp) rmSync(tmp, { recursive: true, force: true });
  if (axeFindings.length) console.log('axe findings:\n  ' + axeFindings.join('\n  '));
}

// A new context whose pages may reach 127.0.0.1 only, with errors collected in `problems`.
export async function newContext(opts = {}) {
  const ctx = await browser.newContext({ viewport: DESKTOP, ...opts });
  ctx.setDefaultTimeout(10000); // a missing element fails in 10 s, not 30
  await ctx.route((u) => u.hostname !== '127.0.0.1', (route) => {
    problems.push(`a request left 127.0.0.1: ${route.request().url()}`);
    return route.abort();
  });
  ctx.on('page', watchPage);
  return ctx;
}

function watchPage(p) {
  p.on('pageerror', (e) => problems.push(`JavaScript error on ${p.url()}: ${e.message}`));
  p.on('console', (m) => {
    // 4xx answers are expected here (a wrong password, a conflict, a probe for a feature)
    if (m.type() === 'error' && !/the server responded with a status of 4\d\d/.test(m.text()))
      problems.push(`console error on ${p.url()}: ${m.text()}`);
  });
}

// Signs LOGIN in (every demo person has the admin's password) in a new page of ctx; returns it.
export async function signIn(ctx, login) {
  const p = await ctx.newPage();
  await p.goto(url + '/login');
  await p.getByLabel('Login').fill(login);
  await p.getByLabel('Password').fill(password);
  await Promise.all([p.waitForURL((u) => !u.pathname.startsWith('/login')),
    p.getByRole('button', { name: 'Sign in' }).click()]);
  return p;
}

export async function shot(p, name, fullPage = true) {
  await p.screenshot({ path: join(SHOTS, `${name}.png`), fullPage });
}

// axe-core in the page (evaluated over CDP, so the page's CSP stays on); serious and critical
// violations fail, the rest are logged at the end.
export async function axe(p, label) {
  await p.evaluate(AXE);
  const res = await p.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  const bad = [];
  for (const v of res.violations) {
    const where = v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ') +
      (v.nodes.length > 3 ? ` (+${v.nodes.length - 3} more)` : '');
    const line = `${label}: ${v.id} (${v.impact}) ${v.help}; ${where}`;
    axeFindings.push(line);
    if (v.impact === 'serious' || v.impact === 'critical') bad.push(line);
  }
  assert.deepEqual(bad, [], `axe found serious or critical violations on ${label}`);
}

// GET through the browser's session: status, type and body, without rendering.
export async function get(p, path) {
  const r = await p.request.get(url + path, { maxRedirects: 0 });
  return { status: r.status(), type: r.headers()['content-type'] || '', body: await r.body() };
}

// At phone width, with the session of `storageState`: a screenshot of what shows first of each
// [name, path], named phone-NAME; returns the paths that scroll sideways (wide tables, code and
// charts must scroll inside their own box).
export async function phoneScreens(storageState, screens) {
  const ctx = await newContext({ viewport: PHONE, isMobile: true, hasTouch: true, storageState });
  const wide = [];
  try {
    const p = await ctx.newPage();
    for (const [name, path] of screens) {
      const resp = await p.goto(url + path);
      assert.ok(resp.status() < 400, `${path} answers ${resp.status()}`);
      await shot(p, `phone-${name}`, false);
      const width = await p.evaluate(() => document.documentElement.scrollWidth);
      if (width > PHONE.width) wide.push(`${path} is ${width}px wide`);
    }
  } finally {
    await ctx.close();
  }
  return wide;
}

// The last two tests of every file: nothing went wrong in a page, and ken stops cleanly.
export function closingTests() {
  test('no JavaScript errors, CSP reports or requests beyond 127.0.0.1', () => {
    assert.deepEqual(problems, []);
  });

  test('ken stops cleanly on SIGTERM with its sanitizers quiet', { timeout: 15000 }, async () => {
    await browser.close();
    browser = null;
    const code = await new Promise((r) => { server.once('exit', (c) => r(c)); server.kill('SIGTERM'); });
    assert.equal(code, 0, `ken serve exits 0 after SIGTERM; its log:\n${serverErr}`);
    assert.match(serverErr, /stopped cleanly/);
    assert.doesNotMatch(serverErr, /Sanitizer|runtime error:/);
  });
}
