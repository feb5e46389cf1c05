//! The code's web address (`spur server web`): for each code kind a real code URL, made by the real
//! generators (`spur app place-code`, `personal-code`, `spur authority consent-code`), opened in
//! Chromium against the web host on 127.0.0.1 shows what the code is, passes axe-core, and its
//! fragment never reaches the server: every request the browser makes and every byte the server
//! receives (through a recording TCP proxy in front of it) are searched for the fragment's text.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launch } from './lib/browser.mjs';
import { axeViolations } from './lib/axe.mjs';
import { recordingProxy } from './lib/webhost.mjs';

const SPUR = process.env.SPUR_BIN;
const HERE = dirname(fileURLToPath(import.meta.url));
const PHONE = '+4915170000042';
const PLACE_NAME = 'Café Zur Linde';
const CASE = 'WEB-1';
const children = [];
let tmp;
let web; // { port } of the spur web host
let proxy; // { port, received: Buffer[] }
const codes = {}; // kind -> real URL

/** Runs `spur …` and returns its standard output (throws with stderr on failure). */
function spur(args, env = {}) {
  return execFileSync(SPUR, args, { env: { ...process.env, ...env }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Starts `spur …` and resolves with the ports of its `ready on port N` lines once `count` appeared. */
function start(args, count) {
  return new Promise((resolve, reject) => {
    const child = spawn(SPUR, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    const ports = [];
    let out = '';
    let err = '';
    child.stderr.on('data', (d) => { err += d; });
    child.stdout.on('data', (d) => {
      out += d;
      for (const m of out.matchAll(/ready on port (\d+)\n/g)) {
        if (!ports.includes(Number(m[1]))) ports.push(Number(m[1]));
      }
      if (ports.length >= count) resolve(ports);
    });
    child.on('exit', (code) => reject(new Error(`spur ${args.join(' ')} exited ${code}\n${out}\n${err}`)));
  });
}

/** `YYYY-MM-DD` of `daysAgo` days before today (UTC). */
function day(daysAgo) {
  return new Date(Date.now() - daysAgo * 86400000).toISOString().slice(0, 10);
}

/** What `spur scan --image` reads from a picture: the code's URL. */
function scanUrl(png) {
  const line = spur(['scan', '--image', png]).split('\n').find((l) => l.startsWith('spur code: '));
  assert.ok(line, `no spur code in ${png}`);
  return line.slice('spur code: '.length).trim();
}

/** The code URL with its scheme and host replaced by the local web host's (through the proxy). */
function local(url) {
  const m = /^HTTPS:\/\/[^/]+(\/[PCA]#.*)$/i.exec(url);
  assert.ok(m, url);
  return `http://127.0.0.1:${proxy.port}${m[1]}`;
}

before(async () => {
  assert.ok(SPUR, 'SPUR_BIN must name the spur binary (scripts/browser-tests.sh sets it)');
  tmp = mkdtempSync(join(tmpdir(), 'spur-codepage-'));
  const vault = join(tmp, 'vault');
  const desk = join(tmp, 'desk');
  const phone = join(tmp, 'phone');
  spur(['vault', '--dir', vault, 'init']);
  spur(['authority', '--dir', desk, 'init', '--id', '1', '--name', 'Gesundheitsamt München', '--range', 'DE:80000-81999']);
  const dev = join(tmp, 'dev');
  // The dev TAG server's POPRF key goes into the signed directory: make its secret first.
  mkdirSync(dev, { recursive: true });
  const tagKey = spur(['server', 'tag-key', '--secret-file', join(dev, 'tag-secret'), '--create-secret']).trim();
  spur(['vault', '--dir', vault, 'sign-directory', '--entry', join(desk, 'entry.json'), '--default-authority', '1', '--serial', '1', '--tag-key', tagKey]);
  spur(['authority', '--dir', desk, 'pin', '--root', join(vault, 'root.pub'), '--directory', join(vault, 'directory.bin'), '--op', join(vault, 'op.pub')]);
  await start(['server', 'dev', '--data-dir', dev, '--tag-port', '0', '--post-port', '0', '--vault', vault], 2);
  // `spur app init …` exactly as the dev servers printed it, for this phone's folder.
  const init = readFileSync(join(dev, 'app-init.txt'), 'utf8').trim().split(/\s+/).slice(2);
  mkdirSync(phone, { recursive: true });
  spur(['app', '--data-dir', phone, 'init', ...init.slice(1)]);
  const secret = { SPUR_SECRET: 'correct horse battery web staple' };
  spur(['app', '--data-dir', phone, 'register', '--phone', PHONE, '--postcode', '80331'], secret);
  spur(['app', '--data-dir', phone, 'place-code', '--phone', PHONE, '--postcode', '80331', '--name', PLACE_NAME, '--kind', 'gastronomy', '--out', join(phone, 'place')], secret);
  spur(['app', '--data-dir', phone, 'personal-code', '--out', join(phone, 'card')], secret);
  codes.place = scanUrl(join(phone, 'place.png'));
  codes.personal = scanUrl(join(phone, 'card.png'));
  codes.consent = spur(['authority', '--dir', desk, 'consent-code', '--case', CASE, '--phone', PHONE, '--first-day', day(3), '--days', '3', '--host', 'spur.example', '--out', join(tmp, 'consent')]).split('\n')[0].trim();
  const [port] = await start(['server', 'web', '--listen', '127.0.0.1:0', '--rate-limit', '0'], 1);
  web = { port };
  proxy = await recordingProxy();
  proxy.target(port);
});

after(() => {
  for (const c of children) c.kill('SIGTERM');
  proxy?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

/** The texts of a fragment that must not leave the browser: whole, its parts, decoded. */
function secretsOf(url) {
  const fragment = url.slice(url.indexOf('#') + 1);
  const parts = fragment.split('.');
  const out = [fragment, parts[0].slice(0, 24), parts[0].slice(-24)];
  if (parts.length >= 3) out.push(parts.slice(2).join('.'), PLACE_NAME);
  return out;
}

/** Every request the page makes, as the browser sends it (method, path with query, headers, body). */
function recordRequests(page) {
  const seen = [];
  page.on('request', async (req) => {
    const u = new URL(req.url());
    seen.push({ origin: u.origin, sent: `${req.method()} ${u.pathname}${u.search}\n${JSON.stringify(req.headers())}\n${req.postData() ?? ''}` });
  });
  return seen;
}

function assertNeverSent(kind, url, seen, bytes) {
  const all = Buffer.concat(bytes);
  for (const secret of secretsOf(url)) {
    for (const r of seen) assert.ok(!r.sent.includes(secret), `${kind}: the browser sent ${secret}: ${r.sent}`);
    assert.ok(!all.includes(Buffer.from(secret, 'utf8')), `${kind}: the server received ${secret}`);
  }
  for (const r of seen) assert.equal(r.origin, `http://127.0.0.1:${proxy.port}`, `${kind}: a request left for ${r.origin}`);
}

const EXPECT = {
  place: async (page) => {
    assert.equal(await page.locator('#place-name').textContent(), PLACE_NAME);
    assert.equal(await page.locator('#place-postcode').textContent(), 'DE 80331');
    assert.ok(await page.locator('#place').isVisible());
    assert.match(await page.locator('h1').textContent(), /Orts-Code/);
  },
  personal: async (page) => {
    assert.match(await page.locator('#what').textContent(), /persönlicher Code/);
  },
  consent: async (page) => {
    assert.match(await page.locator('#what').textContent(), /Freigabe-Code des Gesundheitsamts Nr\. 1:/);
  },
};

for (const kind of ['place', 'personal', 'consent']) {
  test(`the ${kind} code's page shows what it is, passes axe-core, and its fragment never reaches the server`, async () => {
    const browser = await launch({ locale: 'de-DE' });
    try {
      const page = await browser.context.newPage();
      const seen = recordRequests(page);
      proxy.received.length = 0;
      const url = codes[kind];
      await page.goto(local(url), { waitUntil: 'load' });
      await EXPECT[kind](page);
      assert.equal(await page.locator('html').getAttribute('lang'), 'de');
      assert.ok(await page.locator('#unreadable').isHidden(), `${kind}: the code was not readable`);
      // "Open in the app" is the code's own address; the browser check-in is not offered yet.
      assert.equal(await page.locator('#open-app').getAttribute('href'), local(url));
      assert.match(await page.locator('#browser-checkin').textContent(), /noch nicht verfügbar/);
      assert.deepEqual(await axeViolations(page), []);
      await page.close();
      assert.ok(Buffer.concat(proxy.received).includes(Buffer.from(`GET /${url.split('/')[3][0]} HTTP/1.1`)), 'the proxy saw the page request');
      assert.ok(seen.length >= 3, `${kind}: page, script and style: ${seen.length}`);
      assertNeverSent(kind, url, seen, proxy.received);
    } finally {
      await browser.close();
    }
  });
}

test('the recorder would catch a leak: the same text sent in a query is found', async () => {
  const browser = await launch();
  try {
    const page = await browser.context.newPage();
    const seen = recordRequests(page);
    proxy.received.length = 0;
    const leaked = secretsOf(codes.place)[1];
    await page.goto(`http://127.0.0.1:${proxy.port}/P?${leaked}`);
    await page.close();
    assert.ok(Buffer.concat(proxy.received).includes(Buffer.from(leaked)));
    assert.ok(seen.some((r) => r.sent.includes(leaked)));
  } finally {
    await browser.close();
  }
});

test('a hand-made place code shows its name as text only, without bidi controls, and a broken one says so', async () => {
  const browser = await launch({ locale: 'en-US' });
  try {
    const page = await browser.context.newPage();
    const b32 = codes.place.split('#')[1].split('.')[0];
    const name = encodeURIComponent('<b id="x">Bar</b>\u202Eevil').replace(/%20/g, '+');
    await page.goto(`http://127.0.0.1:${proxy.port}/P#${b32}.DE80331.${name}`);
    assert.equal(await page.locator('#place-name').textContent(), '<b id="x">Bar</b>evil');
    assert.equal(await page.locator('#x').count(), 0);
    assert.equal(await page.locator('html').getAttribute('lang'), 'en');
    await page.goto(`http://127.0.0.1:${proxy.port}/C#NOTACODE`);
    assert.ok(await page.locator('#unreadable').isVisible());
    assert.deepEqual(await axeViolations(page), []);
  } finally {
    await browser.close();
  }
});

test('the home page says what spur is and passes axe-core', async () => {
  const browser = await launch({ locale: 'en-US' });
  try {
    const page = await browser.context.newPage();
    await page.goto(`http://127.0.0.1:${web.port}/`);
    assert.match(await page.locator('h1').textContent(), /spur/);
    assert.deepEqual(await axeViolations(page), []);
    if (process.env.SPUR_UPDATE_SCREENSHOTS === '1') {
      const p = await browser.context.newPage();
      await p.setViewportSize({ width: 420, height: 860 });
      await p.goto(local(codes.place));
      await p.locator('#place').waitFor({ state: 'visible' });
      await p.screenshot({ path: join(HERE, '..', '..', 'docs', 'images', 'web-code-page.png'), fullPage: true });
    }
  } finally {
    await browser.close();
  }
});
