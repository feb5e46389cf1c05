//! The web check-in's figures for docs/performance.md ("Web"), each beside its baseline from the
//! same run: the bundle's size (raw and gzip), the cold load (fresh profile, nothing cached) to the
//! first check-in, registration with the real Argon2id USR derivation in Chromium beside the
//! native core (`spur app register`, same parameters, same machine, same minute), and frames the
//! core's decoder reads per second from the fake camera (the shell's own counters).
//! Run: `bash scripts/web-bench.sh` (builds what it needs, prints a Markdown table).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { launch } from './lib/browser.mjs';
import { spur } from './lib/town.mjs';
import { PKG, SHELL, cameraVideo, closeWebTown, scanUrl, webTown } from './lib/webhost.mjs';

const RUNS = Number(process.env.SPUR_WEB_BENCH_RUNS || 3);

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function bundle() {
  const rows = [];
  for (const [dir, prefix] of [[SHELL, ''], [PKG, 'pkg/']]) {
    for (const name of readdirSync(dir)) {
      if (!/\.(js|wasm|html|css)$/.test(name)) continue;
      const bytes = readFileSync(join(dir, name));
      rows.push({ file: prefix + name, raw: statSync(join(dir, name)).size, gzip: gzipSync(bytes, { level: 9 }).length });
    }
  }
  return rows;
}

const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;

async function main() {
  const out = [];
  const files = bundle();
  const total = files.reduce((a, f) => ({ raw: a.raw + f.raw, gzip: a.gzip + f.gzip }), { raw: 0, gzip: 0 });
  const wasm = files.filter((f) => f.file.endsWith('.wasm')).reduce((a, f) => ({ raw: a.raw + f.raw, gzip: a.gzip + f.gzip }), { raw: 0, gzip: 0 });
  out.push(`| bundle (all files under /app/) | ${kib(total.raw)} | ${kib(total.gzip)} gzip |`);
  out.push(`| of which the wasm module | ${kib(wasm.raw)} | ${kib(wasm.gzip)} gzip |`);

  const { town, proxies } = await webTown();
  try {
    const greta = town.citizen('greta', '+4915170000089', '80333');
    const png = town.place(greta, 'Café Bench', '80331', '+4915170000088');
    const url = scanUrl(png);
    const video = cameraVideo(town.root, url);
    const fragment = url.slice(url.indexOf('#') + 1);

    const browserKdf = [];
    const nativeKdf = [];
    const cold = [];
    const fps = [];
    const decodeMs = [];
    for (let i = 0; i < RUNS; i += 1) {
      // Native: `spur app register` with the production KDF, timed as a whole process.
      const dir = join(town.root, `native-${i}`);
      const initArgs = ['app', '--data-dir', dir, 'init', '--host', 'spur.example', '--tag-url', town.tagUrl, '--post-url', town.postUrl,
        '--op-key', town.opHex, '--root-key', town.rootHex];
      spur(initArgs);
      const t0 = performance.now();
      spur(['app', '--data-dir', dir, 'register', '--phone', `+49151700001${String(i).padStart(2, '0')}`, '--postcode', '80331'],
        { env: { SPUR_SECRET: `quartz lantern meadow ${i} violet harbor pencil orbit` } });
      nativeKdf.push(performance.now() - t0);

      // Browser, fresh profile (cold: no HTTP cache, no service worker): open the code's link,
      // register (real KDF), check in; then the camera's frame rate.
      const b = await launch({ locale: 'en-US', extraArgs: ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-video-capture=${video}`] });
      try {
        const page = await b.context.newPage();
        const start = performance.now();
        await page.goto(`${proxies.web.origin}/app/#P/${fragment}`);
        await page.locator('#screen-register').waitFor({ state: 'visible', timeout: 60_000 });
        const loaded = performance.now() - start;
        await page.fill('#phone', `+49151700002${String(i).padStart(2, '0')}`);
        await page.fill('#postcode', '80331');
        const r0 = performance.now();
        await page.click('#register-button');
        await page.locator('#screen-stay').waitFor({ state: 'visible', timeout: 120_000 });
        browserKdf.push(performance.now() - r0);
        const c0 = performance.now();
        await page.click('#check-in-button');
        await page.locator('#open-box').waitFor({ state: 'visible', timeout: 60_000 });
        cold.push({ loaded, checkIn: performance.now() - c0 });
        await page.click('#check-out-button');
        // The camera: decode for five seconds of video (the shell stops at the first code read, so
        // the rate is measured on the frames before it, with and without the code).
        await page.click('#scan-button');
        await page.locator('#screen-stay').waitFor({ state: 'visible', timeout: 60_000 });
        const s = await page.evaluate(() => window.spurStats);
        fps.push(s.framesDecoded / (s.decodeMs / 1000));
        decodeMs.push(s.decodeMs / s.framesDecoded);
      } finally {
        await b.close();
      }
    }
    out.push(`| cold load to the register screen (wasm fetched and compiled) | ${median(cold.map((c) => c.loaded)).toFixed(0)} ms | median of ${RUNS} |`);
    out.push(`| check-in (stay chosen → kept and sent) | ${median(cold.map((c) => c.checkIn)).toFixed(0)} ms | median of ${RUNS} |`);
    out.push(`| register with Argon2id USR derivation, Chromium (wasm) | ${median(browserKdf).toFixed(0)} ms | median of ${RUNS} |`);
    out.push(`| register with Argon2id USR derivation, native \`spur app register\` (baseline) | ${median(nativeKdf).toFixed(0)} ms | median of ${RUNS} |`);
    out.push(`| camera frames decoded per second (640×480, decoder time only) | ${median(fps).toFixed(1)} /s | ${median(decodeMs).toFixed(1)} ms per frame |`);
  } finally {
    closeWebTown({ town, proxies });
  }
  console.log('| what | figure | note |\n|---|---|---|');
  console.log(out.join('\n'));
}

main().catch((e) => { console.error(e); process.exit(1); });
