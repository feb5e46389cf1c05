//! The web check-in end to end, in Debian's Chromium with a fake camera, against real `spur`
//! processes on 127.0.0.1 (TAG, POST and web host, each behind a recording TCP proxy; the vault
//! and the Munich desk as CLI processes):
//! - Wera registers in the browser and checks in BY THE CAMERA (a Y4M video of the real place
//!   code, made by `spur dev camera-video` from spur's own frame renderer); Bert checks in at the
//!   same place with the native core (`spur app`); Bert consents and the trace finds exactly
//!   Wera; Wera consents in the browser (the consent code's link `/app/#A/…`, opened in the
//!   shell's tab) and the trace finds exactly Bert;
//!   the registration and the history survive a reload (SQLite in IndexedDB, its key wrapped by a
//!   non-extractable WebCrypto key; SPUR_WEB_KEEP_NOTHING=1 runs the same tests memory-only);
//! - a check-in made while the browser is offline is completed when the network returns;
//! - the code page links into the shell for place and consent codes, the shell's screens pass
//!   axe-core, and no code's fragment appears in any byte any server received.
//! Screenshots go to docs/images/web-*.png when SPUR_UPDATE_SCREENSHOTS=1.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { launch } from './lib/browser.mjs';
import { axeViolations } from './lib/axe.mjs';
import { IMAGES, cameraVideo, closeWebTown, scanUrl, webTown } from './lib/webhost.mjs';

const PLACE = 'Café Zur Linde';
const WERA = '+4915170000071';
const SECRET = 'correct horse battery wera staple';

let town;
let proxies; // { web, tag, post }
let placeUrl;
let placePng;
let video;
let bert;

before(async () => {
  ({ town, proxies } = await webTown());
  const greta = town.citizen('greta', '+4915170000079', '80333');
  placePng = town.place(greta, PLACE, '80331', '+4915170000078');
  placeUrl = scanUrl(placePng);
  video = cameraVideo(town.root, placeUrl);
  bert = town.citizen('bert', '+4915170000072', '80335');
});

after(() => closeWebTown({ town, proxies }));

/** A browser whose camera plays the video of the place code. */
function cameraBrowser(locale = 'de-DE') {
  return launch({
    locale,
    extraArgs: ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-video-capture=${video}`],
  });
}

async function accessible(page, what) {
  const v = await axeViolations(page);
  assert.deepEqual(v, [], `${what}: axe-core violations ${JSON.stringify(v, null, 1)}`);
}

async function screenshot(page, name) {
  if (process.env.SPUR_UPDATE_SCREENSHOTS !== '1') return;
  mkdirSync(IMAGES, { recursive: true });
  await page.screenshot({ path: join(IMAGES, `web-${name}.png`), fullPage: true });
}

/** The problem the shell shows, if any (a failing step names itself instead of timing out). */
async function noProblem(page, what) {
  const p = page.locator('#problem');
  if (await p.isVisible()) assert.fail(`${what}: ${await p.textContent()}`);
}

async function visible(page, id, what, timeout = 30_000) {
  try {
    await page.locator(`#${id}`).waitFor({ state: 'visible', timeout });
  } catch (e) {
    await noProblem(page, what);
    throw e;
  }
}

/** Registers in the shell with `phone` and the proposed passphrase replaced by `secret`. */
async function register(page, phone, secret) {
  await page.goto(`${proxies.web.origin}/app/`);
  await visible(page, 'screen-register', 'loading the shell');
  await accessible(page, 'register');
  await screenshot(page, 'register');
  assert.ok((await page.inputValue('#secret')).length >= 20, 'a passphrase is proposed');
  await page.fill('#phone', phone);
  await page.fill('#secret', secret);
  await page.fill('#postcode', '80331');
  await page.click('#register-button');
  await visible(page, 'screen-home', 'registering');
}

/** Waits until the wall clock is in a later minute than `since` (stays are kept in minutes). */
async function nextMinute(since) {
  const m = Math.floor(since / 60_000);
  while (Math.floor(Date.now() / 60_000) <= m) await new Promise((r) => setTimeout(r, 1000));
}

/** The texts of a code's fragment that must never reach a server: whole, its parts, the name. */
function secretsOf(url) {
  const fragment = url.slice(url.indexOf('#') + 1);
  const parts = fragment.split('.');
  const out = [fragment, parts[0].slice(0, 24), parts[0].slice(-24)];
  if (parts.length >= 3) out.push(parts.slice(2).join('.'), PLACE, encodeURIComponent(PLACE));
  return out;
}

function assertNeverReceived(url) {
  for (const [name, p] of Object.entries(proxies)) {
    const all = Buffer.concat(p.received);
    for (const s of secretsOf(url)) assert.ok(!all.includes(Buffer.from(s, 'utf8')), `the ${name} server received ${s}`);
  }
}

test('a browser citizen checks in by the camera, a native one at the same place; each consent traces exactly the other', { timeout: 600_000 }, async () => {
  const browser = await cameraBrowser('de-DE');
  try {
    const page = await browser.context.newPage();
    await register(page, WERA, SECRET);
    await accessible(page, 'home');

    // Bert (native core) is at the café for an hour from now.
    bert.app(['check-in', '--stay', '60', '--image', placePng]);

    // Wera scans the poster with the camera: the core reads a frame, the camera stops.
    await page.click('#scan-button');
    await visible(page, 'screen-stay', 'scanning with the camera');
    assert.equal(await page.locator('#stay-place').textContent(), PLACE);
    assert.equal(await page.evaluate(() => document.getElementById('camera').srcObject), null, 'the camera is stopped');
    const frames = await page.evaluate(() => window.spurStats.framesDecoded);
    assert.ok(frames >= 1, `frames decoded: ${frames}`);
    await accessible(page, 'stay');
    await screenshot(page, 'stay');
    // An open stay (ended by checking out).
    const open = page.locator('#stay-choices input').last();
    await open.check();
    const checkedIn = Date.now();
    await page.click('#check-in-button');
    await visible(page, 'open-box', 'checking in');
    assert.equal(await page.locator('#open-place').textContent(), PLACE);
    await screenshot(page, 'home-checked-in');

    // A minute later Wera checks out: her stay overlaps Bert's.
    await nextMinute(checkedIn);
    await page.click('#check-out-button');
    await visible(page, 'no-open', 'checking out');
    await page.evaluate(async () => { window.spurSync = null; window.dispatchEvent(new Event('online')); });
    await page.waitForFunction(() => window.spurSync && window.spurSync.pending === 0, null, { timeout: 30_000 });
    await page.click('#history-button');
    await visible(page, 'history-list', 'history');
    assert.equal(await page.locator('#history-list li').count(), 1);
    assert.match(await page.locator('#history-list li').textContent(), /Café Zur Linde/);
    await accessible(page, 'history');
    await page.click('#history-back');
    assert.match(await page.locator('#scans-line').textContent(), /1/);

    if (process.env.SPUR_WEB_KEEP_NOTHING !== '1') {
      // Kept in the browser: after a reload Wera is still registered and her stay is in the history.
      await page.reload();
      await visible(page, 'screen-home', 'reloading the shell');
      await page.click('#history-button');
      await visible(page, 'history-list', 'history after a reload');
      assert.match(await page.locator('#history-list li').textContent(), /Café Zur Linde/);
      await page.click('#history-back');
    }

    // Bert's records go out when his stay is over (his phone syncs a day later).
    assert.match(bert.app(['sync'], 1), /pending 0/);

    // Bert consents with his app: the trace finds exactly Wera.
    const bertCode = town.consentCode('WEB-B', bert.phone);
    assert.match(bert.app(['consent', '--url', bertCode, '--phone', bert.phone]), /released/);
    const fromBert = town.trace('WEB-B');
    assert.deepEqual(phones(fromBert), [WERA], fromBert);

    // Wera consents in the browser, from the consent code's page: the trace finds exactly Bert.
    const weraCode = town.consentCode('WEB-W', WERA);
    const fragment = weraCode.slice(weraCode.indexOf('#') + 1);
    // The consent code's page links to /app/#A/… (webapp-release.test.mjs); opened in this tab.
    await page.evaluate((f) => { window.location.hash = `#A/${f}`; }, fragment);
    await visible(page, 'screen-consent', 'opening the consent code');
    assert.match(await page.locator('#consent-authority').textContent(), /Gesundheitsamt München/);
    await accessible(page, 'consent');
    await screenshot(page, 'consent');
    await page.fill('#consent-phone', WERA);
    await page.fill('#consent-secret', SECRET);
    await page.click('#release-button');
    await visible(page, 'screen-home', 'giving consent');
    await noProblem(page, 'giving consent');
    const fromWera = town.trace('WEB-W');
    assert.deepEqual(phones(fromWera), [bert.phone], fromWera);

    assertNeverReceived(placeUrl);
    assertNeverReceived(weraCode);
  } finally {
    await browser.close();
  }
});

/** The phone numbers in a desk's contact list (CSV: the phone in the second column). */
function phones(csv) {
  return csv.trim().split('\n').slice(1).map((l) => l.split('","')[1].replace(/^'/, '')).sort();
}

test('a check-in made offline is completed when the network returns', { timeout: 300_000 }, async () => {
  const browser = await cameraBrowser('en-US');
  try {
    const page = await browser.context.newPage();
    await register(page, '+4915170000073', 'correct horse battery offline staple');
    const tagBytes = () => Buffer.concat(proxies.tag.received).length;
    await browser.context.setOffline(true);
    // The camera reads the poster while the network is cut.
    await page.click('#scan-button');
    await visible(page, 'screen-stay', 'scanning offline');
    assert.equal(await page.locator('#stay-place').textContent(), PLACE);
    await page.locator('#stay-choices input').last().check();
    await page.click('#check-in-button');
    await visible(page, 'open-box', 'checking in offline');
    assert.match(await page.locator('#status').textContent(), /offline/i);
    const before = { tag: tagBytes(), post: Buffer.concat(proxies.post.received).length };
    await page.evaluate(() => { window.spurSync = null; });
    await browser.context.setOffline(false);
    // The shell hears `online` and syncs with the servers.
    await page.waitForFunction(() => window.spurSync && window.spurSync.refused === 0 && window.spurSync.lost === 0, null, { timeout: 60_000 });
    await page.click('#check-out-button');
    await visible(page, 'no-open', 'checking out');
    // Completed by the shell's own retries (the core waits 30 s after the failed attempt).
    await page.waitForFunction(() => window.spurSync && window.spurSync.pending === 0 && window.spurSync.waiting === 0, null, { timeout: 120_000 })
      .catch(async (e) => assert.fail(`${e.message}: ${JSON.stringify(await page.evaluate(() => window.spurSync))} ${await page.locator('#status').textContent()}`));
    // The kept check-in was completed with the servers: keys from TAG, records to POST.
    assert.ok(tagBytes() > before.tag, 'the TAG server was asked once the network returned');
    assert.ok(Buffer.concat(proxies.post.received).length > before.post, 'the records reached the POST server');
    assertNeverReceived(placeUrl);
  } finally {
    await browser.close();
  }
});

test('the place code page leads into the shell with the code, in the browser only', { timeout: 120_000 }, async () => {
  const browser = await launch({ locale: 'en-US' });
  try {
    const page = await browser.context.newPage();
    await page.goto(`${proxies.web.origin}/P#${placeUrl.slice(placeUrl.indexOf('#') + 1)}`);
    const href = await page.locator('#browser-link').getAttribute('href');
    assert.equal(href, `/app/#P/${placeUrl.slice(placeUrl.indexOf('#') + 1)}`);
    await accessible(page, 'code page with the browser link');
    await page.click('#browser-link');
    // Not registered yet: registration first, the code waits.
    await visible(page, 'screen-register', 'the shell from the code page');
    await page.fill('#phone', '+4915170000074');
    await page.fill('#postcode', '80331');
    await page.click('#register-button');
    await visible(page, 'screen-stay', 'the code after registering');
    assert.equal(await page.locator('#stay-place').textContent(), PLACE);
    const personal = await page.goto(`${proxies.web.origin}/C`);
    assert.equal(personal.status(), 200);
    assert.equal(await page.locator('#browser-link').count(), 0, 'personal codes stay with the apps');
    assertNeverReceived(placeUrl);
  } finally {
    await browser.close();
  }
});
