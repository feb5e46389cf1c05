// The web core's key store: the app's data key (made by the core) is kept in IndexedDB only
// wrapped by a non-extractable AES-GCM CryptoKey that the browser generates and keeps in the same
// database. Page script can ask the browser to use that CryptoKey, never to export it, so the
// stored bytes alone (a copied profile, a backup of the origin's storage) do not open the data.
// Imported by spur-web (web/src/keys.rs) through wasm-bindgen.

const DB = "spur-keys";
const STORE = "keys";
const WRAP = "wrap";
const DATA = "data";

function request(r) {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
}

async function open() {
  const r = indexedDB.open(DB, 1);
  r.onupgradeneeded = () => r.result.createObjectStore(STORE);
  return request(r);
}

async function get(name) {
  const db = await open();
  try {
    return await request(db.transaction(STORE, "readonly").objectStore(STORE).get(name));
  } finally {
    db.close();
  }
}

async function put(name, value) {
  const db = await open();
  try {
    const tx = db.transaction(STORE, "readwrite");
    tx.objectStore(STORE).put(value, name);
    await new Promise((resolve, reject) => {
      tx.oncomplete = resolve;
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
  } finally {
    db.close();
  }
}

async function wrappingKey() {
  const kept = await get(WRAP);
  if (kept) return kept;
  // extractable = false: the key's bytes never reach script, only encrypt/decrypt with it.
  const key = await crypto.subtle.generateKey({ name: "AES-GCM", length: 256 }, false, [
    "encrypt",
    "decrypt",
  ]);
  await put(WRAP, key);
  return key;
}

/** The data key unwrapped, or null when none was ever kept. */
export async function loadKey() {
  const rec = await get(DATA);
  if (!rec) return null;
  const key = await get(WRAP);
  if (!key) throw new Error("wrapping key missing");
  const plain = await crypto.subtle.decrypt({ name: "AES-GCM", iv: rec.iv }, key, rec.sealed);
  return new Uint8Array(plain);
}

/** Keeps the data key wrapped (a fresh 96-bit nonce for every wrap). */
export async function storeKey(bytes) {
  const key = await wrappingKey();
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const sealed = await crypto.subtle.encrypt({ name: "AES-GCM", iv }, key, bytes);
  await put(DATA, { iv, sealed: new Uint8Array(sealed) });
}

/** Forgets both keys (delete all data). */
export async function forgetKeys() {
  const db = await open();
  try {
    const tx = db.transaction(STORE, "readwrite");
    tx.objectStore(STORE).clear();
    await new Promise((resolve, reject) => {
      tx.oncomplete = resolve;
      tx.onerror = () => reject(tx.error);
    });
  } finally {
    db.close();
  }
}
