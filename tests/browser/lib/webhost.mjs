//! The web check-in's test host: recording TCP proxies (so every byte a server receives can be
//! searched), `spur server web --web-app` with the repository's shell and a wasm package, and the
//! fake camera's video of a place code (`spur dev camera-video`).
import { createServer, connect } from 'node:net';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Town, spur, start } from './town.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
/** The repository's web shell (web/shell). */
export const SHELL = join(ROOT, 'web', 'shell');
/** The core as WebAssembly, as scripts/build-web.sh leaves it. */
export const PKG = process.env.SPUR_WEB_PKG || join(ROOT, 'target', 'web', 'pkg');
/** Where the tests' screenshots go. */
export const IMAGES = join(ROOT, 'docs', 'images');

/**
 * A TCP proxy on 127.0.0.1 that keeps every byte clients send. It listens at once (so its port
 * can be named before the server behind it starts); `target(port)` sets where it forwards.
 */
export function recordingProxy() {
  return new Promise((resolve) => {
    const received = [];
    let to = null;
    const sockets = new Set();
    const server = createServer((client) => {
      sockets.add(client);
      client.on('close', () => sockets.delete(client));
      if (to === null) return client.destroy();
      const upstream = connect(to, '127.0.0.1');
      sockets.add(upstream);
      upstream.on('close', () => sockets.delete(upstream));
      client.on('data', (d) => { received.push(Buffer.from(d)); upstream.write(d); });
      upstream.on('data', (d) => client.write(d));
      client.on('end', () => upstream.end());
      upstream.on('end', () => client.end());
      client.on('error', () => upstream.destroy());
      upstream.on('error', () => client.destroy());
    });
    server.listen(0, '127.0.0.1', () => {
      const port = server.address().port;
      resolve({
        port,
        origin: `http://127.0.0.1:${port}`,
        received,
        target(p) { to = p; },
        close() { for (const s of sockets) s.destroy(); server.close(); },
      });
    });
  });
}

/**
 * Starts `spur server web` with the web check-in for `town`'s servers (reached through `tagUrl`
 * and `postUrl`); returns `{ port, proc, stop }`. The browser derives keys with the production
 * Argon2id (the web core has no cheaper test setting). `keepNothing`: the page keeps its data in
 * memory only (`--app-keep-nothing`, also with SPUR_WEB_KEEP_NOTHING=1); by default it keeps it in
 * IndexedDB under its wrapped key.
 */
export async function startWebHost(town, { tagUrl, postUrl, shell = SHELL, pkg = PKG, keepNothing = process.env.SPUR_WEB_KEEP_NOTHING === '1' }) {
  return start(['server', 'web', '--listen', '127.0.0.1:0', '--rate-limit', '0',
    '--web-app', shell, '--web-pkg', pkg, '--app-host', 'spur.example', '--app-tag-url', tagUrl,
    '--app-post-url', postUrl, '--app-op-key', town.opHex, '--app-root-key', town.rootHex,
    ...(keepNothing ? ['--app-keep-nothing'] : [])]);
}

/** Writes the fake camera's video of `placeUrl` and returns its path. */
export function cameraVideo(dir, placeUrl) {
  const out = join(dir, 'camera.y4m');
  spur(['dev', 'camera-video', '--place-url', placeUrl, '--out', out]);
  return out;
}

/** The code's URL that `spur scan --image` reads from a picture. */
export function scanUrl(png) {
  const line = spur(['scan', '--image', png]).split('\n').find((l) => l.startsWith('spur code: '));
  if (!line) throw new Error(`no spur code in ${png}`);
  return line.slice('spur code: '.length).trim();
}

/**
 * A town whose TAG, POST and web servers are each reached through a recording proxy (so the tests
 * can search every byte each server received), with the web check-in served for it (`options` as
 * for `startWebHost`). Returns `{ town, proxies: { web, tag, post } }`; `closeWebTown` ends both.
 */
export async function webTown(options = {}) {
  const proxies = { web: await recordingProxy(), tag: await recordingProxy(), post: await recordingProxy() };
  let town;
  try {
    town = await Town.create({ serverArgs: ['--web-origin', proxies.web.origin] });
    proxies.tag.target(Number(new URL(town.tagUrl).port));
    proxies.post.target(town.postPort);
    const web = await startWebHost(town, { ...options, tagUrl: proxies.tag.origin, postUrl: proxies.post.origin });
    town.procs.push(web);
    proxies.web.target(web.port);
  } catch (e) {
    closeWebTown({ town, proxies });
    throw e;
  }
  return { town, proxies };
}

/** Stops what `webTown` started. */
export function closeWebTown({ town, proxies }) {
  town?.close();
  for (const p of Object.values(proxies || {})) p.close();
}
