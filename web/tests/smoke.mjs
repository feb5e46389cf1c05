// Node smoke of the built web bundle (target/web/pkg, from scripts/build-web.sh): the ES module
// loads, the facade opens in memory, reads a real place code from the protocol's committed
// vectors, speaks German and English, and refuses a check-in before registration with a typed,
// worded error. The browser tests (tests/browser/) drive the same bundle in Chromium.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const pkg = join(root, "target", "web", "pkg");
const { default: init, WebSpur } = await import(join(pkg, "spur_web.js"));
await init({ module_or_path: readFileSync(join(pkg, "spur_web_bg.wasm")) });

const vectors = Object.fromEntries(
  readFileSync(join(root, "protocol", "tests", "vectors.txt"), "utf8")
    .split("\n")
    .filter((l) => l && !l.startsWith("#"))
    .map((l) => l.split(" = ")),
);
const placeUrl = Buffer.from(vectors.place_url, "hex").toString("utf8");

const config = {
  data_dir: "smoke",
  host: "spur.example",
  tag_url: "http://127.0.0.1:9",
  post_url: "http://127.0.0.1:9",
  // RFC 7748's and RFC 8032's public test keys: well-formed, and nothing is sent to anyone.
  op_public_key: "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a",
  directory_root_key: "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
  locale: "en",
};

test("the facade opens and reads a place code", () => {
  const spur = WebSpur.openInMemory(config);
  assert.equal(spur.isRegistered(), false);
  const seen = spur.scan(placeUrl);
  assert.equal(seen.Place.name, "Café Zur Post");
  assert.ok(spur.stayOptions().length > 3);
});

test("the words are the apps' Fluent texts, in English and German", () => {
  const spur = WebSpur.openInMemory(config);
  const en = spur.captions();
  spur.setLocale("de");
  const de = spur.captions();
  assert.equal(en.language_tag, "en");
  assert.equal(de.language_tag, "de");
  assert.notDeepEqual(en, de);
  const words = spur.proposePassphrase().split(/[-\s]/);
  assert.equal(words.length, 5);
  assert.equal(spur.secretStrength("1234", "").level, "Refused");
});

test("errors cross as typed, worded objects", async () => {
  const spur = WebSpur.openInMemory(config);
  await assert.rejects(spur.checkIn(placeUrl, "Short", undefined), (e) => {
    assert.equal(e.kind, "NotRegistered");
    assert.equal(e.policy, "Relogin");
    assert.ok(e.message.length > 0);
    return true;
  });
  assert.throws(
    () => spur.scan("https://elsewhere.example/P#x"),
    (e) => e.kind === "InvalidInput" && e.policy === "FixInput" && e.message.length > 0,
  );
});
