//! Plays a whole case through the desk's web pages against real `spur` processes (TAG and POST
//! servers, the vault CLI, citizens' apps, `spur authority serve`) and checks the contact list on
//! the page against who was where when; axe-core on every page, a keyboard-only login, the
//! security headers, no request leaving the desk's own address, and no horizontal scrolling at
//! 1280 px and 200 % zoom. Screenshots go to docs/images/desk-*.png when SPUR_UPDATE_SCREENSHOTS=1.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launch } from './lib/browser.mjs';
import { axeViolations } from './lib/axe.mjs';
import { Town, date, filesWith, spur } from './lib/town.mjs';

const IMAGES = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs', 'images');
const STAFF = 'tracer';
const PASSWORD = 'correct horse battery staple';
const CASE = 'M-2026-17';

/** Zero axe-core violations on the page. */
async function accessible(page, what) {
  const v = await axeViolations(page);
  assert.deepEqual(v, [], `${what}: axe-core violations ${JSON.stringify(v, null, 1)}`);
}

/** No horizontal scrolling: the width a 1280 px screen has at 200 % zoom is 640 CSS pixels. */
async function reflows(page, what) {
  const size = page.viewportSize();
  await page.setViewportSize({ width: 640, height: 450 });
  const [scroll, client] = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
  await page.setViewportSize(size);
  assert.ok(scroll <= client, `${what}: scrolls sideways at 200 % zoom (${scroll} > ${client})`);
}

async function check(page, what) {
  await accessible(page, what);
  await reflows(page, what);
}

async function screenshot(target, name) {
  if (process.env.SPUR_UPDATE_SCREENSHOTS !== '1') return;
  mkdirSync(IMAGES, { recursive: true });
  await target.screenshot({ path: join(IMAGES, `desk-${name}.png`) });
}

/** Uploads a file from the vault on the import page; returns the paths of the files handed back. */
async function bringIn(page, base, file, into) {
  await page.goto(`${base}/import`);
  await page.setInputFiles('#file', file);
  await page.getByRole('button', { name: /Einlesen|Bring in/ }).click();
  await page.waitForLoadState();
  const alert = await page.locator('[role="alert"]').count();
  assert.equal(alert, 0, `import of ${file} refused: ${alert && (await page.locator('[role="alert"]').textContent())}`);
  const saved = [];
  mkdirSync(into, { recursive: true });
  for (const link of await page.locator('.done .files a').all()) {
    const [dl] = await Promise.all([page.waitForEvent('download'), link.click()]);
    const p = join(into, dl.suggestedFilename());
    await dl.saveAs(p);
    saved.push(p);
  }
  return saved;
}

test('a tracer plays a whole case through the web desk, and the list is who was there', { timeout: 600_000 }, async () => {
  const town = await Town.create();
  const browser = await launch();
  try {
    // The town: Greta's café; Anna (infected) and Ben there at the same time; Carla at the
    // bakery at the same time (not a contact); Dora at the café too (a contact).
    const greta = town.citizen('greta', '+4915100000009', '80333');
    const cafe = town.place(greta, 'Café Eck', '80331', '+4915100000019');
    const bakery = town.place(greta, 'Bäckerei Sonne', '80336', '+4915100000029');
    const anna = town.citizen('anna', '+4915100000001', '80331');
    const ben = town.citizen('ben', '+4915100000002', '80335');
    const carla = town.citizen('carla', '+4915100000003', '80337');
    const dora = town.citizen('dora', '+4915100000004', '80339');
    town.visit(anna, cafe, 120);
    town.visit(ben, cafe, 60);
    town.visit(dora, cafe, 30);
    town.visit(carla, bakery, 60);
    const truth = new Set([ben.phone, dora.phone]);

    const base = await town.serve(STAFF, PASSWORD);
    const page = await browser.context.newPage();
    const outside = [];
    page.on('request', (r) => { if (!r.url().startsWith(base) && !r.url().startsWith('data:')) outside.push(r.url()); });

    // Not logged in: every page leads to the login.
    const res = await page.goto(`${base}/`);
    assert.match(page.url(), /\/login$/);
    const h = res.headers();
    assert.match(h['content-security-policy'], /default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'/);
    assert.equal(h['x-content-type-options'], 'nosniff');
    assert.equal(h['referrer-policy'], 'no-referrer');
    assert.match(h['cache-control'], /no-store/);
    await check(page, 'login');
    await screenshot(page, 'login');

    // A wrong password: said, tied to the fields, and the page stays accessible.
    await page.fill('#name', STAFF);
    await page.fill('#password', 'not the password');
    await page.press('#password', 'Enter');
    await page.waitForLoadState();
    assert.equal(await page.getAttribute('#password', 'aria-describedby'), 'login-error');
    await check(page, 'login with an error');

    // Guessing: after five wrong passwords a name is locked, and every failure is audited.
    for (let i = 0; i < 6; i += 1) {
      await page.fill('#name', 'intruder');
      await page.fill('#password', `guess number ${i}`);
      await page.press('#password', 'Enter');
      await page.waitForLoadState();
    }
    assert.match(await page.locator('[role="alert"]').textContent(), /Zu viele|Too many/);
    const audit = readFileSync(join(town.desk, 'audit.log'), 'utf8');
    assert.equal(audit.split('\n').filter((l) => l.includes('"web-login-failed"')).length, 6, 'every failure audited');
    assert.ok(!audit.includes('guess number') && !audit.includes('not the password'), 'no password in the audit log');

    // Keyboard only: skip link, then Tab through the fields and Enter.
    await page.goto(`${base}/login`);
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.className), 'skip');
    await page.focus('#name');
    await page.keyboard.type(STAFF);
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'password');
    await page.keyboard.type(PASSWORD);
    await page.keyboard.press('Enter');
    await page.waitForURL(`${base}/`);
    const cookies = await browser.context.cookies(base);
    const session = cookies.find((c) => c.name === 'spur_desk');
    assert.ok(session.httpOnly && session.sameSite === 'Strict', JSON.stringify(session));
    await check(page, 'cases (empty)');

    // Open the case: the consent code on screen, the sheet to print.
    await page.fill('#case', CASE);
    await page.fill('#phone', anna.phone);
    await page.fill('#first_day', date(-1));
    await page.fill('#days', '2');
    await page.getByRole('button', { name: /Einwilligungscode erstellen|Make the consent code/ }).click();
    await page.waitForURL(new RegExp(`/cases/1/${CASE}$`));
    const url = (await page.locator('#code-url').textContent()).trim();
    assert.match(url, /^https:\/\/spur\.example\//i);
    assert.ok(await page.locator('.code img').evaluate((img) => img.complete && img.naturalWidth > 0), 'the code is drawn');
    const sheet = await page.request.get(await page.locator('#sheet').evaluate((a) => a.href));
    assert.equal(sheet.headers()['content-type'], 'application/pdf');
    assert.equal((await sheet.body()).subarray(0, 5).toString(), '%PDF-');
    assert.match(await page.locator('#stage').textContent(), /Freigabe|release/);
    await check(page, 'case waiting for the release');
    const work = join(town.root, 'tracer');
    const codeFile = join(work, `consent-${CASE}.code`);
    mkdirSync(work, { recursive: true });
    const [dl] = await Promise.all([page.waitForEvent('download'), page.locator(`a[href$="consent-${CASE}.code"]`).click()]);
    await dl.saveAs(codeFile);
    assert.equal(readFileSync(codeFile, 'utf8').trim(), url);

    // Anna releases her days with her app; the vault takes the consent.
    const released = anna.app(['consent', '--url', url, '--phone', anna.phone]);
    assert.match(released, /released/);
    town.pullAndImport('export-1');
    town.vaultRun(['consent', 'take', '--code', codeFile, '--out', join(town.root, 'v1')]);
    const [consent] = filesWith(join(town.root, 'v1'), 'spkg');

    // The tracer brings in the consent file and hands back the SCAN keys and the place request.
    const back = await bringIn(page, base, consent, join(work, '2'));
    await check(page, 'import result');
    assert.deepEqual(back.map((p) => p.split('/').pop()).sort(), [`resolve-places-${CASE}.spkg`, `scan-keys-${CASE}.spkg`]);
    await page.goto(`${base}/cases/1/${CASE}`);
    assert.match(await page.locator('#stage').textContent(), /Tresor|vault/);

    // The vault traces; the tracer brings in the contacts; resolve rounds until nothing is asked.
    await vaultRounds(page, base, town, back.find((p) => p.includes('scan-keys')), back.filter((p) => p.includes('resolve-places')), work);

    // The case at a glance: contacts ready; the list is exactly who was at the café with Anna.
    await page.goto(`${base}/`);
    assert.match(await page.locator('tbody').textContent(), /Kontakte bereit|Contacts ready/);
    await check(page, 'cases');
    await screenshot(page, 'cases');
    await page.goto(`${base}/cases/1/${CASE}`);
    assert.match(await page.locator('#stage').textContent(), /Kontakte bereit|Contacts ready/);
    const phones = new Set(await page.locator('.contact .phone').allTextContents());
    assert.deepEqual(phones, truth, 'the list on the page is who was there');
    for (const place of await page.locator('.contact td.place').allTextContents()) {
      assert.match(place, /Café Eck/, 'every stay is at the café');
    }
    await check(page, 'case with contacts');

    // A call status and a note for Ben, kept in the desk's store.
    const benRow = page.locator('.contact', { has: page.locator('.phone', { hasText: ben.phone }) });
    await benRow.locator('select').selectOption('reached');
    await benRow.locator('textarea').fill('Informiert, bleibt bis Freitag zu Hause.');
    await benRow.getByRole('button').click();
    await page.waitForURL(new RegExp(`/cases/1/${CASE}#contacts$`));
    await page.reload();
    const again = page.locator('.contact', { has: page.locator('.phone', { hasText: ben.phone }) });
    assert.equal(await again.locator('select').inputValue(), 'reached');
    assert.equal(await again.locator('textarea').inputValue(), 'Informiert, bleibt bis Freitag zu Hause.');
    const calls = JSON.parse(readFileSync(join(town.desk, 'cases', `calls-1-${CASE}.json`), 'utf8'));
    assert.equal(calls.calls[ben.phone].status, 'reached');
    await check(page, 'case after a call');
    await page.goto(`${base}/cases/1/${CASE}`);
    await screenshot(page, 'case');
    await screenshot(page.locator('#contacts'), 'contacts');

    // The CLI sees the same case the same way (one library).
    const status = spur(['authority', '--dir', town.desk, 'status']);
    assert.match(status, new RegExp(`${CASE} \\(authority 1\\): Kontakte bereit`));

    // The card-only page, the audit log, a page that does not exist: all accessible.
    await page.goto(`${base}/card`);
    await check(page, 'card-only trace');
    await page.goto(`${base}/audit`);
    assert.match(await page.locator('tbody').textContent(), /web-call/);
    await check(page, 'audit log');
    await page.goto(`${base}/nothing-here`);
    await check(page, 'not found');

    // English on request, for this session.
    await page.goto(`${base}/`);
    await page.getByRole('button', { name: 'English' }).click();
    await page.waitForURL(`${base}/`);
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    assert.match(await page.locator('h1').textContent(), /Cases/);
    await check(page, 'cases in English');

    // A form without the session's CSRF token is refused.
    const forged = await page.request.post(`${base}/cases`, { form: { csrf: 'forged', case: 'X-1', phone: anna.phone, first_day: date(-1), days: '1' } });
    assert.equal(forged.status(), 403);

    // Log out: the session is gone.
    await page.getByRole('button', { name: /Log out|Abmelden/ }).click();
    await page.waitForURL(`${base}/login`);
    await page.goto(`${base}/cases/1/${CASE}`);
    assert.match(page.url(), /\/login$/);

    assert.deepEqual(outside, [], 'nothing is loaded from elsewhere');
  } finally {
    await browser.close();
    town.close();
  }
});

/** The vault traces with `scan`; every file it sends comes in through the page and every request
 * the desk hands back goes to the vault, until nothing is asked. */
async function vaultRounds(page, base, town, scan, requests, work) {
  const traced = join(work, 'traced');
  town.vaultRun(['trace', scan, '--out', traced]);
  const queue = [...requests];
  for (const f of filesWith(traced, 'spkg')) {
    queue.push(...(await bringIn(page, base, f, join(work, 'contacts'))));
  }
  let rounds = 0;
  while (queue.length) {
    rounds += 1;
    assert.ok(rounds < 20, 'the resolve rounds do not end');
    const ans = join(work, `answer-${rounds}`);
    town.vaultRun(['resolve', queue.pop(), '--out', ans]);
    queue.push(...(await bringIn(page, base, filesWith(ans, 'spkg')[0], join(work, `back-${rounds}`))));
  }
}

/** Logs in with the mouse-free path a tracer would also take. */
async function login(page, base) {
  await page.goto(`${base}/login`);
  await page.fill('#name', STAFF);
  await page.fill('#password', PASSWORD);
  await page.press('#password', 'Enter');
  await page.waitForURL(`${base}/`);
}

// Sent by the tracer (download, POST, upload) or by the desk itself (`serve --tag-url`).
for (const sends of [false, true]) test(`a card-only trace through the web desk finds exactly who scanned the card${sends ? ' (the desk asks the TAG server)' : ''}`, { timeout: 600_000 }, async () => {
  const town = await Town.create();
  const browser = await launch();
  try {
    // Greta's printed card stands for a person without a smartphone; Carla scans it; Ben does not.
    const greta = town.citizen('greta', '+4915100000009', '80333');
    greta.app(['personal-code', '--out', join(greta.dir, 'card')]);
    const card = join(greta.dir, 'card.png');
    const carla = town.citizen('carla', '+4915100000003', '80337');
    const ben = town.citizen('ben', '+4915100000002', '80335');
    const cafe = town.place(greta, 'Café Eck', '80331', '+4915100000019');
    town.visit(carla, card, 15);
    town.visit(ben, cafe, 15);
    town.pullAndImport('export-card');
    const url = spur(['scan', '--image', card]).split('\n').find((l) => l.startsWith('spur code: ')).slice('spur code: '.length);

    const base = await town.serve(STAFF, PASSWORD, sends ? ['--tag-url', town.tagUrl] : []);
    const page = await browser.context.newPage();
    await login(page, base);
    const work = join(town.root, 'tracer-card');
    mkdirSync(work, { recursive: true });

    // Step 1: the signed request for the card's keys, downloaded and sent to the TAG server.
    await page.goto(`${base}/card`);
    await page.fill('#case', 'M-CARD-1');
    await page.fill('#card', url);
    await page.fill('#first_day', date(-1));
    await page.fill('#days', '2');
    await page.getByRole('button', { name: /Anfrage erstellen|Make the request/ }).click();
    await page.waitForLoadState();
    assert.equal(await page.locator('[role="alert"]').count(), 0, await page.locator('main').textContent());
    await check(page, 'card trace, request made');
    if (sends) {
      // The desk sent it and kept the answer once every key verified (one per past slot asked).
      const said = await page.locator('#request').textContent();
      const keys = Number((said.match(/\((\d+) (keys?|Schlüssel)\)/) || [])[1]);
      assert.ok(keys > 0, said);
    } else {
      const [dl] = await Promise.all([page.waitForEvent('download'), page.locator('#request a').click()]);
      const request = join(work, 'request.bin');
      await dl.saveAs(request);
      const answer = await fetch(`${town.tagUrl}/v1/tmp-keys/history`, {
        method: 'POST', headers: { 'Content-Type': 'application/octet-stream' }, body: readFileSync(request),
      });
      assert.equal(answer.status, 200, await answer.clone().text());
      const answerFile = join(work, 'answer.json');
      writeFileSync(answerFile, Buffer.from(await answer.arrayBuffer()));
      // Step 2: the answer in.
      await page.setInputFiles('#answer', answerFile);
    }

    // Step 2: the SCAN-key file out.
    await page.getByRole('button', { name: /SCAN-Schlüsseldatei erstellen|Make the SCAN-key file/ }).click();
    await page.waitForLoadState();
    assert.equal(await page.locator('[role="alert"]').count(), 0, await page.locator('main').textContent());
    await check(page, 'card trace done');
    const [scanDl] = await Promise.all([page.waitForEvent('download'), page.locator('.done .files a').click()]);
    const scan = join(work, 'scan-keys.spkg');
    await scanDl.saveAs(scan);

    await vaultRounds(page, base, town, scan, [], work);
    await page.goto(`${base}/cases/1/M-CARD-1`);
    assert.match(await page.locator('#stage').textContent(), /Kontakte bereit|Contacts ready/);
    const phones = new Set(await page.locator('.contact .phone').allTextContents());
    assert.deepEqual(phones, new Set([carla.phone]), 'exactly who scanned the card');
    await check(page, 'card case with contacts');
  } finally {
    await browser.close();
    town.close();
  }
});
