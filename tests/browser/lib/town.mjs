//! A small town of real `spur` processes for the desk's browser test: the operator's vault, one
//! authority desk (Munich), the TAG and POST servers on 127.0.0.1 (random ports), citizens with
//! their own app folders (cheap test KDF), and the desk's web server. Everything lives in one
//! temporary folder that `close()` removes.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const SPUR = process.env.SPUR_BIN;
const HOST = 'spur.example';

/** Runs `spur args…` to completion and returns its standard output (throws with stderr on failure). */
export function spur(args, { env = {}, input } = {}) {
  const clean = { ...process.env };
  delete clean.SPUR_CLOCK_SHIFT_DAYS;
  delete clean.SPUR_SECRET;
  try {
    return execFileSync(SPUR, args, { env: { ...clean, ...env }, input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
  } catch (e) {
    throw new Error(`spur ${args.join(' ')} failed: ${e.stderr || e.message}`);
  }
}

/** Starts a long-running `spur args…` and waits for `ready` lines `… ready on port N`. */
export function start(args, ready = 1) {
  const proc = spawn(SPUR, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const ports = [];
  let out = '';
  let err = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`spur ${args.join(' ')} not ready: ${out}${err}`)), 60_000);
    proc.stderr.on('data', (d) => { err += d; });
    proc.stdout.on('data', (d) => {
      out += d;
      for (const m of out.matchAll(/ready on port (\d+)/g)) {
        if (!ports.includes(Number(m[1]))) ports.push(Number(m[1]));
      }
      if (ports.length >= ready) {
        clearTimeout(timer);
        resolve({ port: ports[0], proc, stop: () => proc.kill('SIGTERM') });
      }
    });
    proc.on('exit', (code) => { clearTimeout(timer); if (ports.length < ready) reject(new Error(`spur ${args.join(' ')} exited ${code}: ${err}`)); });
  });
}

/** Today (UTC) moved by `shift` days, as YYYY-MM-DD. */
export function date(shift = 0) {
  return new Date(Date.now() + shift * 86_400_000).toISOString().slice(0, 10);
}

function keyHex(path) {
  return readFileSync(path, 'utf8').split('\n')[1].trim();
}

/** The `.ext` files in `dir`, sorted (none if it does not exist). */
export function filesWith(dir, ext) {
  try {
    return readdirSync(dir).filter((n) => n.endsWith(`.${ext}`)).sort().map((n) => join(dir, n));
  } catch {
    return [];
  }
}

export class Town {
  /** Vault, Munich desk (authority 1), directory, both servers; the desk's staff account.
   * `serverArgs` go to both the TAG and the POST server (e.g. `--web-origin` for the web check-in). */
  static async create({ serverArgs = [] } = {}) {
    const t = new Town();
    t.root = mkdtempSync(join(tmpdir(), 'spur-desk-web-'));
    t.vault = join(t.root, 'vault');
    t.desk = join(t.root, 'desk');
    spur(['vault', '--dir', t.vault, 'init']);
    spur(['authority', '--dir', t.desk, 'init', '--id', '1', '--name', 'Gesundheitsamt München', '--range', 'DE:80000-81999']);
    // The TAG server's POPRF key goes into the signed directory: make its secret first.
    mkdirSync(join(t.root, 'tag'));
    const tagKey = spur(['server', 'tag-key', '--secret-file', join(t.root, 'tag', 'tag-secret'), '--create-secret']).trim();
    spur(['vault', '--dir', t.vault, 'sign-directory', '--entry', join(t.desk, 'entry.json'), '--default-authority', '1', '--serial', '1', '--tag-key', tagKey]);
    spur(['authority', '--dir', t.desk, 'pin', '--root', join(t.vault, 'root.pub'), '--directory', join(t.vault, 'directory.bin'), '--op', join(t.vault, 'op.pub')]);
    t.rootHex = keyHex(join(t.vault, 'root.pub'));
    t.opHex = keyHex(join(t.vault, 'op.pub'));
    t.token = join(t.root, 'export-token');
    writeFileSync(t.token, 'browser-export-token-0123456789abcdef');
    mkdirSync(join(t.root, 'post'));
    t.procs = [];
    const tag = await start(['server', 'tag', '--listen', '127.0.0.1:0', '--secret-file', join(t.root, 'tag', 'tag-secret'), '--create-secret',
      '--directory', join(t.vault, 'directory.bin'), '--directory-root', t.rootHex, '--rate-limit', '0', ...serverArgs]);
    const post = await start(['server', 'post', '--listen', '127.0.0.1:0', '--sqlite', join(t.root, 'post', 'post.sqlite'),
      '--export-token-file', t.token, '--rate-limit', '0', ...serverArgs]);
    t.procs.push(tag, post);
    t.tagUrl = `http://127.0.0.1:${tag.port}`;
    t.postUrl = `http://127.0.0.1:${post.port}`;
    t.postPort = post.port;
    spur(['vault', '--dir', t.vault, 'pin-post-key', join(t.root, 'post', 'export-sign.key.pub')]);
    return t;
  }

  /** A registered citizen with their own app folder. */
  citizen(name, phone, postcode) {
    const dir = join(this.root, 'phones', name);
    const secret = `correct horse battery ${name} staple`;
    const c = {
      name, phone, postcode, dir,
      app: (args, shift = 0) => spur(['app', '--data-dir', dir, ...args], { env: { SPUR_SECRET: secret, ...(shift ? { SPUR_CLOCK_SHIFT_DAYS: String(shift) } : {}) } }),
    };
    spur(['app', '--data-dir', dir, 'init', '--host', HOST, '--tag-url', this.tagUrl, '--post-url', this.postUrl,
      '--op-key', this.opHex, '--root-key', this.rootHex, '--test-kdf']);
    const out = c.app(['register', '--phone', phone, '--postcode', postcode]);
    if (!out.split('\n').includes('registered')) throw new Error(out);
    return c;
  }

  /** A place code made by `owner`; returns the PNG's path. */
  place(owner, name, postcode, responsible) {
    const prefix = join(owner.dir, `place-${name.replace(/\W/g, '_')}`);
    owner.app(['place-code', '--phone', responsible, '--postcode', postcode, '--name', name, '--kind', 'gastronomy', '--out', prefix]);
    return `${prefix}.png`;
  }

  /** `citizen` checks in at the picture's code for `minutes` now; the phone syncs a day later. */
  visit(citizen, picture, minutes) {
    citizen.app(['check-in', '--stay', String(minutes), '--image', picture]);
    const out = citizen.app(['sync'], 1);
    if (!out.includes('pending 0')) throw new Error(out);
  }

  /** Pulls the POST server's export and imports it into the vault. */
  pullAndImport(name) {
    const dir = join(this.root, name);
    spur(['server', 'pull', '--server', `127.0.0.1:${this.postPort}`, '--token-file', this.token, '--dir', dir]);
    spur(['vault', '--dir', this.vault, 'import', ...filesWith(dir, 'spurx')]);
  }

  /** `spur vault --dir V args…`. */
  vaultRun(args) {
    return spur(['vault', '--dir', this.vault, ...args]);
  }

  /** Creates the staff account and starts `spur authority serve` (with `extra` flags); returns its base URL. */
  async serve(staff, password, extra = []) {
    spur(['authority', '--dir', this.desk, 'staff', 'add', '--name', staff], { input: `${password}\n` });
    const web = await start(['authority', '--dir', this.desk, 'serve', '--listen', '127.0.0.1:0', '--host', HOST, '--test-kdf', ...extra]);
    this.procs.push(web);
    return `http://127.0.0.1:${web.port}`;
  }

  /** The desk's consent code for `caseId` asking `phone` for today and the two days before. */
  consentCode(caseId, phone) {
    const out = spur(['authority', '--dir', this.desk, 'consent-code', '--case', caseId, '--phone', phone,
      '--first-day', date(-2), '--days', '3', '--host', HOST, '--out', join(this.root, `consent-${caseId}`)]);
    return out.split('\n')[0].trim();
  }

  /**
   * After a consent: pull and import, the vault takes the consent, the desk opens it, the vault
   * traces, and desk and vault resolve until nothing is asked (docs/vault-authority.md, every step
   * its own process). Returns the desk's contact list as CSV text.
   */
  trace(caseId) {
    const step = join(this.root, `trace-${caseId}`);
    this.pullAndImport(`export-${caseId}`);
    this.vaultRun(['consent', 'take', '--code', join(this.root, `consent-${caseId}.code`), '--out', join(step, '1')]);
    const desk = (args) => spur(['authority', '--dir', this.desk, ...args]);
    desk(['open', 'consent', filesWith(join(step, '1'), 'spkg')[0], '--out', join(step, '2')]);
    this.vaultRun(['trace', join(step, '2', `scan-keys-${caseId}.spkg`), '--out', join(step, '3')]);
    const queue = [join(step, '2', `resolve-places-${caseId}.spkg`)];
    filesWith(join(step, '3'), 'spkg').forEach((f, i) => {
      desk(['open', 'contacts', f, '--out', join(step, `4-${i}`)]);
      queue.push(...filesWith(join(step, `4-${i}`), 'spkg'));
    });
    for (let n = 1; queue.length; n += 1) {
      if (n > 20) throw new Error('the resolve rounds do not end');
      this.vaultRun(['resolve', queue.pop(), '--out', join(step, `5-${n}`)]);
      for (const f of filesWith(join(step, `5-${n}`), 'spkg')) {
        const name = f.split('/').pop();
        const out = join(step, `6-${n}-${name}`);
        desk(['open', name.startsWith('resolved-') ? 'resolved' : 'contacts', f, '--out', out]);
        queue.push(...filesWith(out, 'spkg'));
      }
    }
    const csv = join(step, 'list.csv');
    desk(['contacts', '--case', caseId, '--authority', '1', '--csv', csv]);
    return readFileSync(csv, 'utf8');
  }

  close() {
    for (const p of this.procs) p.stop();
    rmSync(this.root, { recursive: true, force: true });
  }
}
