//! How the web check-in is delivered (`spur server web --web-app`), in Chromium: the page runs its
//! script, module and WebAssembly only when their bytes match the hashes the host wrote into the
//! page (a "CDN" that changes a file in flight is refused); the page's policy lets WebAssembly
//! compile; the pinning service worker keeps the first release, opens it offline, warns when the
//! host offers another release, and switches only when the person accepts.
//!
//! The shell here is the repository's own (web/shell); the core under it is a fixture package (a
//! minimal wasm module and glue whose `WebSpur.open` reports the bytes it compiled), because what is
//! tested is the delivery, not the core. The journeys with the real core are webapp.test.mjs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch } from './lib/browser.mjs';
import { axeViolations } from './lib/axe.mjs';
import { start } from './lib/town.mjs';
import { IMAGES, SHELL, recordingProxy } from './lib/webhost.mjs';

const KEY = '11'.repeat(32);
// The smallest valid WebAssembly module (magic and version), and the glue a wasm-bindgen
// `--target web` package exposes: a default init taking `{ module_or_path }`, and `WebSpur`.
const WASM = Buffer.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
const GLUE = `let compiled = null;
export default async function init({ module_or_path }) {
  const r = await module_or_path;
  const bytes = await r.arrayBuffer();
  await WebAssembly.compile(bytes);
  compiled = bytes.byteLength;
}
export class WebSpur {
  static async open() { throw new Error('fixture core compiled ' + compiled + ' bytes'); }
}
`;

let tmp;
let proxy;
let host;
let shell;
let pkg;

async function startHost() {
  host = await start(['server', 'web', '--listen', '127.0.0.1:0', '--rate-limit', '0', '--web-app', shell, '--web-pkg', pkg,
    '--app-host', 'spur.example', '--app-tag-url', 'http://127.0.0.1:9', '--app-post-url', 'http://127.0.0.1:9',
    '--app-op-key', KEY, '--app-root-key', KEY]);
  proxy.target(host.port);
}

before(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'spur-webapp-release-'));
  shell = join(tmp, 'shell');
  pkg = join(tmp, 'pkg');
  cpSync(SHELL, shell, { recursive: true });
  mkdirSync(pkg);
  writeFileSync(join(pkg, 'spur_web_bg.wasm'), WASM);
  writeFileSync(join(pkg, 'spur_web.js'), GLUE);
  proxy = await recordingProxy();
  await startHost();
});

after(() => {
  host?.stop();
  proxy?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

/** What the shell shows after loading: the fixture's words when everything ran, else nothing. */
async function outcome(page) {
  await page.waitForFunction(() => !document.getElementById('problem').hidden, null, { timeout: 10_000 }).catch(() => {});
  const p = page.locator('#problem');
  return (await p.isVisible()) ? p.textContent() : '';
}

test('the page, its module and its WebAssembly run only with the bytes the host hashed', async () => {
  const browser = await launch({ locale: 'en-US', options: { serviceWorkers: 'block' } });
  try {
    const page = await browser.context.newPage();
    const res = await page.goto(`${proxy.origin}/app/`);
    const csp = res.headers()['content-security-policy'];
    assert.match(csp, /script-src 'self' 'wasm-unsafe-eval' 'sha256-[A-Za-z0-9+/=]+';/);
    assert.match(csp, /connect-src 'self' http:\/\/127\.0\.0\.1:9 http:\/\/127\.0\.0\.1:9;/);
    assert.equal(res.headers()['set-cookie'], undefined);
    // Everything ran: the wasm module was fetched with its integrity and compiled under the CSP.
    assert.match(await outcome(page), /fixture core compiled 8 bytes/);

    // A cache or CDN in between that changes one file: the browser refuses it, nothing of it runs.
    for (const [path, body, type] of [
      ['/app/app.js', 'document.body.dataset.tampered = "1";', 'text/javascript'],
      // Still a valid module (a custom section added), so only the integrity check can refuse it.
      ['/app/pkg/spur_web_bg.wasm', Buffer.from([...WASM, 0x00, 0x03, 0x01, 0x78, 0x79]), 'application/wasm'],
      ['/app/pkg/spur_web.js', `window.leak = 1;\n${GLUE}`, 'text/javascript'],
    ]) {
      const p = await browser.context.newPage();
      await p.route(`**${path}`, (r) => r.fulfill({ status: 200, contentType: type, body }));
      await p.goto(`${proxy.origin}/app/`);
      const said = await outcome(p);
      assert.doesNotMatch(said, /fixture core compiled/, `${path} changed in flight still ran`);
      assert.equal(await p.evaluate(() => window.leak), undefined, path);
      assert.equal(await p.evaluate(() => document.body.dataset.tampered), undefined, path);
      await p.close();
    }
  } finally {
    await browser.close();
  }
});

test('the service worker pins the first release, opens it offline, warns on a new one and switches only when accepted', async () => {
  const browser = await launch({ locale: 'en-US' });
  try {
    const page = await browser.context.newPage();
    await page.goto(`${proxy.origin}/app/`);
    const first = await page.evaluate(async () => (await (await fetch('/app/release.json')).json()).release);
    await page.evaluate(() => navigator.serviceWorker.ready);
    // Pinned once the worker has kept every file.
    await page.waitForFunction(async () => (await caches.keys()).some((k) => k.startsWith('spur-release-')));
    await page.reload();
    assert.ok(await page.evaluate(() => Boolean(navigator.serviceWorker.controller)), 'the worker controls the page');
    assert.match(await outcome(page), /fixture core compiled/);

    // Offline: the pinned release still opens.
    await browser.context.setOffline(true);
    await page.reload();
    assert.match(await outcome(page), /fixture core compiled/, 'the pinned release opens offline');
    await browser.context.setOffline(false);

    // The host now offers another release (one changed file) at the same address.
    host.stop();
    appendFileSync(join(shell, 'style.css'), '\n/* release two */\n');
    await startHost();
    await page.reload();
    const warning = page.locator('#release-warning');
    await warning.waitFor({ state: 'visible', timeout: 15_000 });
    const hashes = await page.locator('#release-warning-hashes').textContent();
    const [pinned, offered] = hashes.split(' → ');
    assert.equal(pinned, first);
    assert.match(offered, /^[0-9a-f]{64}$/);
    assert.notEqual(offered, first);
    // Until accepted, the pinned files are what the page gets.
    const css = () => page.evaluate(async () => (await fetch('/app/style.css')).text());
    assert.doesNotMatch(await css(), /release two/);

    // Accepted: the new release is kept, pinned, and the page reloads without a warning.
    await Promise.all([page.waitForEvent('load'), page.locator('#release-accept').click()]);
    await page.waitForLoadState();
    assert.match(await css(), /release two/);
    await page.reload();
    await outcome(page);
    assert.ok(await warning.isHidden(), 'no warning once the new release is pinned');
  } finally {
    await browser.close();
  }
});

/** RFC 4648 base32 without padding, as the codes use it. */
function base32(bytes) {
  const A = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  let out = '';
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += A[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += A[(value << (5 - bits)) & 31];
  return out;
}

test('the place and consent code pages link into the shell with the fragment; a personal code does not', async () => {
  const browser = await launch({ locale: 'en-US', options: { serviceWorkers: 'block' } });
  try {
    const page = await browser.context.newPage();
    // Shaped like a place code (version 1, id, TAG key; country, postcode, name): the page only reads it.
    const place = `${base32([1, ...randomBytes(32)])}.DE80331.Caf%C3%A9+Zur+Linde`;
    await page.goto(`${proxy.origin}/P#${place}`);
    assert.equal(await page.locator('#place-name').textContent(), 'Café Zur Linde');
    assert.equal(await page.locator('#browser-link').getAttribute('href'), `/app/#P/${place}`);
    assert.equal(await page.locator('#browser-link').textContent(), 'Check in with this browser');
    assert.deepEqual(await axeViolations(page), []);
    if (process.env.SPUR_UPDATE_SCREENSHOTS === '1') {
      await page.setViewportSize({ width: 420, height: 860 });
      await page.screenshot({ path: join(IMAGES, 'web-code-page-app.png'), fullPage: true });
    }
    const consent = base32([2, 0, 1, ...randomBytes(40)]);
    await page.goto(`${proxy.origin}/A#${consent}`);
    assert.equal(await page.locator('#browser-link').getAttribute('href'), `/app/#A/${consent}`);
    await page.goto(`${proxy.origin}/C#${base32([1, 0, ...randomBytes(32)])}`);
    assert.equal(await page.locator('#browser-link').count(), 0);
    assert.match(await page.locator('#browser-checkin').textContent(), /not available/);
    // Following the link sends the server only the path: the fragment stays in the browser.
    proxy.received.length = 0;
    await page.goto(`${proxy.origin}/P#${place}`);
    await page.click('#browser-link');
    await page.waitForURL(/\/app\//);
    const sent = Buffer.concat(proxy.received).toString('latin1');
    assert.match(sent, /GET \/app\/ HTTP\/1\.1/);
    for (const part of [place, place.slice(0, 24), 'Zur+Linde', 'Caf%C3%A9']) assert.ok(!sent.includes(part), `the server received ${part}`);
  } finally {
    await browser.close();
  }
});
