// spur's web check-in: a thin shell over the core compiled to WebAssembly (the `spur-web` facade,
// class WebSpur). The core does everything (codes, keys, records, storage, sync); this file only
// shows its screens, feeds it camera frames, and wires the buttons. Words come from the core's
// Fluent catalog (its captions), in German or English after the browser's language; any text that
// comes from a code (a place's name) is written with textContent, never as markup.
'use strict';

const CONFIG = JSON.parse(document.getElementById('spur-config').textContent);
const WASM_INTEGRITY = document.querySelector('meta[name="spur-wasm-integrity"]').content;
const LANG = (navigator.languages || [navigator.language || 'en']).some((l) => /^de\b/i.test(l))
  && !(navigator.languages || []).slice(0, 1).some((l) => /^en\b/i.test(l)) ? 'de' : 'en';

// The shell's own words (loading, logging in on a new device, the service worker's release
// warning, ...): shown before the core has loaded or instead of it, so they do not come from the
// core's captions; the server writes them into the page's config from its Fluent catalog
// (server/i18n/*/web.ftl, `web-app-*`), in both languages.
const W = CONFIG.words[LANG];

/** Frames decoded and time spent in the core's decoder (read by the benchmarks and tests). */
const stats = { framesDecoded: 0, decodeMs: 0, firstCheckInMs: null, loadStart: performance.now() };
window.spurStats = stats;

let spur; // the WebSpur instance
let C = {}; // the captions in the page's language
let pendingCode = null; // the code text waiting for a stay choice
let camera = null; // { stream, timer } while the camera runs
let retryTimer = null;
let afterRegistration = null; // a code from the address, read once registered

const $ = (id) => document.getElementById(id);

/** Writes a caption (or any string) into an element as text. */
function say(id, text) {
  const el = $(id);
  if (el) el.textContent = text == null ? '' : String(text);
}

/** A caption by its field name (the facade may give snake_case or camelCase fields). */
function cap(name) {
  const camel = name.replace(/_([a-z])/g, (_, c) => c.toUpperCase());
  return C[name] ?? C[camel] ?? '';
}

/** The words of an error the core threw (a typed error with a localized message) or any error. */
function words(e) {
  if (e && typeof e === 'object') return e.message || e.words || String(e.kind || e);
  return String(e);
}

function problem(e) {
  const p = $('problem');
  p.textContent = `${W.failed} ${words(e)}`;
  p.hidden = false;
}

function status(text) {
  say('status', text);
}

const SCREENS = ['loading', 'register', 'home', 'scan', 'stay', 'consent', 'history', 'delete'];

function show(name) {
  for (const s of SCREENS) $(`screen-${s}`).hidden = s !== name;
  $('problem').hidden = true;
  if (name !== 'scan') stopCamera();
  const heading = document.querySelector(`#screen-${name} h1`);
  if (heading) {
    heading.tabIndex = -1;
    heading.focus();
  }
}

// ---------------------------------------------------------------------------------------------
// Loading the core: the wasm module is fetched with its integrity from the page, so a module that
// differs from the one this release names is refused by the browser before it runs.

async function loadCore() {
  // Covered by the import map's integrity (the page pins every module by hash).
  const glue = await import('/app/pkg/spur_web.js');
  const wasm = fetch('/app/pkg/spur_web_bg.wasm', { integrity: WASM_INTEGRITY });
  await glue.default({ module_or_path: wasm });
  // The core's SpurConfig, as `spur app init` takes it; the data lives in this browser only.
  const config = {
    data_dir: 'spur',
    host: CONFIG.host,
    tag_url: CONFIG.tagUrl,
    post_url: CONFIG.postUrl,
    op_public_key: CONFIG.opKey,
    directory_root_key: CONFIG.rootKey,
    locale: LANG,
  };
  let s;
  try {
    if (CONFIG.keep === false) {
      // The deployment keeps nothing in browsers (shared devices): memory only, said on screen.
      s = glue.WebSpur.openInMemory(config);
      stats.inMemory = true;
      status(W.inMemory);
    } else {
      s = await glue.WebSpur.open(config);
    }
  } catch (e) {
    // No storage this browser lets the page keep (a private window, or the kept store failing):
    // the check-in still works for as long as the page is open, and the page says so.
    if (!e || e.kind !== 'Storage') throw e;
    s = glue.WebSpur.openInMemory(config);
    stats.inMemory = true;
    status(W.inMemory);
  }
  s.setUtcOffsetMinutes(-new Date().getTimezoneOffset());
  return s;
}

function fillCaptions() {
  C = spur.captions();
  document.documentElement.lang = C.language_tag || C.languageTag || LANG;
  document.title = cap('app_name');
  say('app-name', cap('app_name'));
  say('register-title', cap('register_title'));
  say('privacy-heading', cap('privacy_heading'));
  say('privacy-text', cap('privacy_text'));
  say('phone-label', cap('phone'));
  say('secret-label', cap('secret'));
  say('secret-propose', cap('secret_propose'));
  say('secret-hint', cap('secret_hint'));
  say('country-label', cap('country'));
  say('postcode-label', cap('postcode'));
  say('register-button', cap('register'));
  say('login-button', W.login);
  say('home-title', cap('home_title'));
  say('open-heading', cap('open_check_in'));
  say('check-out-button', cap('check_out'));
  say('no-open', cap('no_open_check_in'));
  say('scan-button', cap('scan_code'));
  say('history-button', cap('history'));
  say('consent-button', cap('consent'));
  say('delete-button', cap('delete_all'));
  say('scan-title', cap('scan_title'));
  say('scan-hint', cap('scan_hint'));
  $('camera').setAttribute('aria-label', cap('camera_preview'));
  for (const id of ['scan-back', 'stay-back', 'consent-back', 'history-back', 'delete-back']) say(id, cap('back'));
  say('stay-title', cap('stay_title'));
  say('stay-legend', cap('stay_title'));
  say('check-in-button', cap('check_in'));
  say('consent-title', cap('consent_title'));
  say('consent-phone-label', cap('phone'));
  say('consent-secret-label', cap('secret'));
  say('release-button', cap('release'));
  say('history-title', cap('history_title'));
  say('history-empty', cap('history_empty'));
  say('delete-title', cap('delete_all'));
  say('delete-question', cap('delete_question'));
  say('delete-confirm', cap('delete_confirm'));
  say('release-accept', W.releaseAccept);
}

// ---------------------------------------------------------------------------------------------
// Registration and logging in.

async function registration(login) {
  const form = {
    phone: $('phone').value.trim(),
    secret: $('secret').value,
    country: $('country').value.trim().toUpperCase(),
    postcode: $('postcode').value.trim() || null,
    campus_id: null,
    birth_year: null,
  };
  try {
    const online = login ? await spur.login(form) : await spur.register(form);
    status(online ? '' : cap('registered_offline'));
    await home();
    document.body.dataset.ready = 'home';
    if (afterRegistration) {
      const code = afterRegistration;
      afterRegistration = null;
      await codeRead(code);
    }
  } catch (e) {
    problem(e);
  }
}

// ---------------------------------------------------------------------------------------------
// Home: the open check-in, counters, and the way to everything else.

async function home() {
  show('home');
  let running = [];
  try {
    running = spur.runningCheckIns();
  } catch (e) {
    problem(e);
  }
  const open = running[running.length - 1];
  $('open-box').hidden = !open;
  $('no-open').hidden = Boolean(open);
  if (open) {
    say('open-place', open.entry.name);
    say('open-times', open.entry.times);
    $('check-out-button').dataset.id = String(open.id);
  }
  counters();
}

function counters() {
  try {
    const c = spur.counters();
    say('scans-line', c.scans_line ?? c.scansLine);
    say('hours-line', c.hours_line ?? c.hoursLine);
    say('last-scan-line', c.last_scan_line ?? c.lastScanLine);
  } catch (e) {
    problem(e);
  }
}

// ---------------------------------------------------------------------------------------------
// The camera: frames go to the core's decoder until it reads a code; then the camera stops.

async function startCamera() {
  show('scan');
  $('scan-problem').hidden = true;
  let stream;
  try {
    stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false });
  } catch (e) {
    $('scan-problem').hidden = false;
    say('scan-problem', e && e.name === 'NotAllowedError' ? cap('camera_permission') : cap('no_camera'));
    return;
  }
  const video = $('camera');
  video.srcObject = stream;
  await video.play();
  camera = { stream, timer: null };
  const canvas = $('frame');
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  const tick = () => {
    if (!camera) return;
    const w = video.videoWidth;
    const h = video.videoHeight;
    if (w > 0 && h > 0) {
      if (canvas.width !== w) canvas.width = w;
      if (canvas.height !== h) canvas.height = h;
      ctx.drawImage(video, 0, 0, w, h);
      const rgba = ctx.getImageData(0, 0, w, h).data;
      const t0 = performance.now();
      let scanned;
      try {
        scanned = spur.scanFrame(w, h, new Uint8Array(rgba.buffer, rgba.byteOffset, rgba.byteLength));
      } catch (e) {
        scanned = null;
      }
      stats.decodeMs += performance.now() - t0;
      stats.framesDecoded += 1;
      const text = scannedText(scanned);
      if (text) {
        stopCamera();
        codeRead(text);
        return;
      }
      const other = variant(scanned);
      if (other.tag === 'othercode' || other.tag === 'other_code') {
        $('scan-problem').hidden = false;
        say('scan-problem', other.data.message);
      }
    }
    next();
  };
  // One decode per new camera frame (Chromium and Safari tell when one is shown); else ~15 per second.
  const next = () => {
    if (!camera) return;
    if (video.requestVideoFrameCallback) camera.timer = video.requestVideoFrameCallback(tick);
    else camera.timer = setTimeout(tick, 66);
  };
  tick();
}

/**
 * A Rust enum from the facade as `{ tag, data }`: tagged (`{ kind: 'Place', … }`), externally
 * tagged as serde writes it (`{ Place: { … } }`), or a bare variant name (`'Consent'`).
 */
function variant(v) {
  if (v == null) return { tag: '', data: {} };
  if (typeof v === 'string') return { tag: v.toLowerCase(), data: {} };
  const tag = v.kind ?? v.type ?? v.tag;
  if (tag) return { tag: String(tag).toLowerCase(), data: v };
  const keys = Object.keys(v);
  if (keys.length === 1) return { tag: keys[0].toLowerCase(), data: v[keys[0]] || {} };
  return { tag: '', data: v };
}

/** The code text of a scanned frame (`{Spur: {text}}`), or null (`"Nothing"`, other codes). */
function scannedText(s) {
  const { tag, data } = variant(s);
  return tag === 'spur' && data.text ? data.text : null;
}

function stopCamera() {
  if (!camera) return;
  const video = $('camera');
  if (video.cancelVideoFrameCallback && video.requestVideoFrameCallback) video.cancelVideoFrameCallback(camera.timer);
  else clearTimeout(camera.timer);
  for (const t of camera.stream.getTracks()) t.stop();
  $('camera').srcObject = null;
  camera = null;
  try {
    if (spur.scanStop) spur.scanStop();
  } catch (_) {
    // Nothing to stop.
  }
}

// ---------------------------------------------------------------------------------------------
// A code was read (camera or the address): a place → choose the stay; a consent code → consent.

async function codeRead(text) {
  let what;
  try {
    what = spur.scan(text);
  } catch (e) {
    await home();
    problem(e);
    return;
  }
  const { tag, data } = variant(what);
  if (tag.startsWith('consent')) {
    await consent(text);
    return;
  }
  pendingCode = text;
  show('stay');
  say('stay-place', data.name || '');
  const box = $('stay-choices');
  for (const el of box.querySelectorAll('p')) el.remove();
  spur.stayOptions().forEach((o, i) => {
    const p = document.createElement('p');
    const input = document.createElement('input');
    input.type = 'radio';
    input.name = 'stay';
    input.id = `stay-${i}`;
    input.value = JSON.stringify(o.stay);
    if (i === 0) input.checked = true;
    const label = document.createElement('label');
    label.htmlFor = input.id;
    label.textContent = o.label;
    p.append(input, ' ', label);
    box.append(p);
  });
}

async function checkIn() {
  const chosen = document.querySelector('input[name="stay"]:checked');
  if (!pendingCode || !chosen) return;
  try {
    const r = await spur.checkIn(pendingCode, JSON.parse(chosen.value), null);
    pendingCode = null;
    if (stats.firstCheckInMs === null) stats.firstCheckInMs = performance.now() - stats.loadStart;
    await home();
    status(r.online ? r.message : `${r.message} ${W.offlineKept}`);
    if (!r.online) scheduleRetry();
  } catch (e) {
    problem(e);
  }
}

async function checkOut() {
  try {
    // The core's ids are i64: BigInt in JS.
    const r = await spur.endCheckIn(BigInt($('check-out-button').dataset.id));
    await home();
    status(r ? r.message || cap('checked_out') : cap('checked_out'));
  } catch (e) {
    problem(e);
  }
}

// ---------------------------------------------------------------------------------------------
// Consent by a code: the core checks the code against the pinned directory and shows its text.

async function consent(text) {
  try {
    const info = await spur.consentInfo(text);
    pendingCode = text;
    show('consent');
    say('consent-authority', info.authority_line ?? info.authorityLine ?? info.authority);
    say('consent-text', info.text);
  } catch (e) {
    await home();
    problem(e);
  }
}

async function giveConsent() {
  try {
    const msg = await spur.giveConsent(pendingCode, $('consent-phone').value.trim(), $('consent-secret').value);
    pendingCode = null;
    $('consent-secret').value = '';
    await home();
    status(msg);
  } catch (e) {
    problem(e);
  }
}

// ---------------------------------------------------------------------------------------------
// History, deleting everything, and completing what was kept offline.

function showHistory() {
  show('history');
  const list = $('history-list');
  list.replaceChildren();
  let items = [];
  try {
    items = spur.history();
  } catch (e) {
    problem(e);
  }
  $('history-empty').hidden = items.length > 0;
  for (const h of items) {
    const li = document.createElement('li');
    const name = document.createElement('strong');
    name.textContent = h.name;
    li.append(name, ' ', document.createTextNode(h.times));
    list.append(li);
  }
}

async function deleteAll() {
  try {
    const r = await spur.deleteAllData();
    status(r && r.message ? r.message : '');
    show('register');
    $('secret').value = spur.proposePassphrase();
  } catch (e) {
    problem(e);
  }
}

/** Sends what waits (kept check-ins, the outbox); called on start, on `online`, and on a timer. */
async function sync() {
  try {
    const s = await spur.sync();
    if (s.message) status(s.message);
    const waiting = (s.pending || 0) + (s.waiting || 0);
    window.spurSync = s;
    // The core waits between attempts (30 s, doubling): try again while something waits.
    if (waiting > 0) scheduleRetry();
    return waiting;
  } catch (e) {
    scheduleRetry();
    return -1;
  }
}

function scheduleRetry() {
  if (retryTimer) return;
  retryTimer = setTimeout(() => {
    retryTimer = null;
    if (navigator.onLine) sync();
    else scheduleRetry();
  }, 15000);
}

// ---------------------------------------------------------------------------------------------
// A code in the address (from the code page's "check in here in the browser"): `#P/<fragment>`
// or `#A/<fragment>`. The fragment stays in the browser; it is removed from the address once read.

function codeFromAddress() {
  const m = /^#([PA])\/(.+)$/.exec(window.location.hash);
  if (!m) return null;
  window.history.replaceState(null, '', '/app/');
  return `HTTPS://${CONFIG.host.toUpperCase()}/${m[1]}#${m[2]}`;
}

// ---------------------------------------------------------------------------------------------
// The service worker pins this release and tells when the server offers another one.

function watchRelease() {
  if (!('serviceWorker' in navigator)) return;
  navigator.serviceWorker.addEventListener('message', (ev) => {
    const d = ev.data || {};
    if (d.type === 'release-accepted') window.location.reload();
    if (d.type !== 'release-changed') return;
    say('release-warning-text', W.releaseChanged);
    say('release-warning-hashes', `${d.pinned} → ${d.offered}`);
    $('release-warning').hidden = false;
  });
  $('release-accept').addEventListener('click', async () => {
    const reg = await navigator.serviceWorker.ready;
    reg.active.postMessage({ type: 'accept-release' });
  });
  navigator.serviceWorker.register('/app/sw.js', { scope: '/app/' }).catch(() => {});
  // Ask the pinning worker (when it controls this page) to compare releases now that we listen.
  if (navigator.serviceWorker.controller) navigator.serviceWorker.controller.postMessage({ type: 'check-release' });
}

function wire() {
  $('register-form').addEventListener('submit', (e) => { e.preventDefault(); registration(false); });
  $('login-button').addEventListener('click', () => registration(true));
  $('secret-propose').addEventListener('click', () => { $('secret').value = spur.proposePassphrase(); });
  $('scan-button').addEventListener('click', startCamera);
  $('scan-back').addEventListener('click', home);
  $('stay-form').addEventListener('submit', (e) => { e.preventDefault(); checkIn(); });
  $('stay-back').addEventListener('click', () => { pendingCode = null; home(); });
  $('check-out-button').addEventListener('click', checkOut);
  $('history-button').addEventListener('click', showHistory);
  $('history-back').addEventListener('click', home);
  $('consent-button').addEventListener('click', startCamera);
  $('consent-form').addEventListener('submit', (e) => { e.preventDefault(); giveConsent(); });
  $('consent-back').addEventListener('click', () => { pendingCode = null; home(); });
  $('delete-button').addEventListener('click', () => show('delete'));
  $('delete-confirm').addEventListener('click', deleteAll);
  $('delete-back').addEventListener('click', home);
  window.addEventListener('online', () => sync());
  // A code link opened while the shell is already open in this tab.
  window.addEventListener('hashchange', () => {
    const code = codeFromAddress();
    if (code) codeRead(code);
  });
}

async function main() {
  say('loading-text', W.loading);
  watchRelease();
  try {
    spur = await loadCore();
  } catch (e) {
    problem(e);
    return;
  }
  fillCaptions();
  wire();
  const code = codeFromAddress();
  let registered = false;
  try {
    registered = spur.isRegistered();
  } catch (e) {
    problem(e);
  }
  $('screen-loading').removeAttribute('aria-busy');
  if (!registered) {
    show('register');
    $('secret').value = spur.proposePassphrase();
    // A code opened before registering is read once registration is done.
    afterRegistration = code;
    document.body.dataset.ready = 'register';
    return;
  }
  await home();
  document.body.dataset.ready = 'home';
  sync();
  if (code) codeRead(code);
}

main();
