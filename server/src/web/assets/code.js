// spur's code page: reads the code from the address's fragment (the part after "#"), here in the
// browser only, and shows what kind of code it is. It sends nothing anywhere: the page's
// Content-Security-Policy (default-src 'none') leaves it no connection to make, and it writes the
// code's text into the page as text (textContent), never as markup.
// The layout it parses is docs/protocol.md's "QR payloads" (protocol/src/qr.rs).
'use strict';

(function () {
  const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  // Characters a place name or postcode keeps as they are in the fragment (RFC 3986 fragment-safe).
  const KEEPS = /^[A-Za-z0-9\-._~!$&'()*,;:@/?]$/;

  // Base32 (RFC 4648, upper case, no padding) to bytes; null when it is not canonical base32.
  function base32(s) {
    if (!/^[A-Z2-7]*$/.test(s)) return null;
    const out = [];
    let bits = 0;
    let value = 0;
    for (const c of s) {
      value = (value << 5) | B32.indexOf(c);
      bits += 5;
      if (bits >= 8) {
        bits -= 8;
        out.push((value >> bits) & 0xff);
      }
    }
    // Leftover bits must be zero and fewer than five (canonical, as the apps insist).
    if (bits >= 5 || (value & ((1 << bits) - 1)) !== 0) return null;
    return out;
  }

  // The fragment's text encoding: "+" for space, "%XX" (upper-case hex) for other bytes; null when bad.
  function fragmentText(s) {
    const bytes = [];
    for (let i = 0; i < s.length; i++) {
      const c = s[i];
      if (c === '+') {
        bytes.push(0x20);
      } else if (c === '%') {
        const hex = s.slice(i + 1, i + 3);
        if (!/^[0-9A-F]{2}$/.test(hex)) return null;
        bytes.push(parseInt(hex, 16));
        i += 2;
      } else if (KEEPS.test(c)) {
        bytes.push(c.charCodeAt(0));
      } else {
        return null;
      }
    }
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(new Uint8Array(bytes));
    } catch (_) {
      return null;
    }
  }

  // What is safe to show: no control, format (bidi overrides, isolates, zero-width) or separator characters.
  function shown(s) {
    return s.replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, '').trim();
  }

  // `P#<base32(01 ‖ id[16] ‖ TAG[16])>.<CC><postcode>.<name>`: the place's name and postcode.
  function place(fragment) {
    const first = fragment.indexOf('.');
    const second = fragment.indexOf('.', first + 1);
    if (first < 0 || second < 0) return null;
    const bin = base32(fragment.slice(0, first));
    if (!bin || bin.length !== 33 || bin[0] !== 1) return null;
    const region = fragment.slice(first + 1, second);
    const country = region.slice(0, 2);
    if (!/^[A-Z]{2}$/.test(country)) return null;
    const postcode = fragmentText(region.slice(2));
    const name = fragmentText(fragment.slice(second + 1));
    if (postcode === null || name === null) return null;
    const nameBytes = new TextEncoder().encode(name).length;
    if (nameBytes < 1 || nameBytes > 64) return null;
    const n = shown(name);
    const p = shown(postcode);
    if (!n || !p) return null;
    return { name: n, postcode: country + ' ' + p };
  }

  // `C#<base32(01 ‖ flags ‖ id[16] ‖ key[16])>`.
  function personal(fragment) {
    const bin = base32(fragment);
    return bin !== null && bin.length === 34 && bin[0] === 1 && (bin[1] === 0 || bin[1] === 1);
  }

  // `A#<base32(consent code)>`: version 2, then the authority's number (big-endian u16).
  function consentAuthority(fragment) {
    const bin = base32(fragment);
    if (!bin || bin.length < 4 || bin[0] !== 2) return null;
    return (bin[1] << 8) | bin[2];
  }

  function unreadable() {
    document.getElementById('unreadable').hidden = false;
  }

  function main() {
    const what = document.getElementById('what');
    if (!what) return;
    const fragment = window.location.hash.slice(1);
    const open = document.getElementById('open-app');
    // "Open in the app" is the same address: an installed app claims it through app links.
    if (open && fragment) open.href = window.location.href;
    // "Check in here in the browser": the web check-in, with the code in its fragment again (the
    // fragment is never sent, so the code still reaches no server).
    const browser = document.getElementById('browser-link');
    const letter = { place: 'P', consent: 'A' }[what.dataset.kind];
    if (browser && letter && fragment) browser.href = `/app/#${letter}/${fragment}`;
    if (fragment.length === 0 || fragment.length > 1024) {
      unreadable();
      return;
    }
    switch (what.dataset.kind) {
      case 'place': {
        const p = place(fragment);
        if (!p) return unreadable();
        document.getElementById('place-name').textContent = p.name;
        document.getElementById('place-postcode').textContent = p.postcode;
        document.getElementById('place').hidden = false;
        return;
      }
      case 'personal':
        if (!personal(fragment)) unreadable();
        return;
      case 'consent': {
        const authority = consentAuthority(fragment);
        if (authority === null) {
          // Not readable as this version: the page keeps saying "a consent code".
          if (base32(fragment) === null) unreadable();
          return;
        }
        what.textContent = what.dataset.consentFrom.replace('{authority}', String(authority));
        return;
      }
      default:
        return;
    }
  }

  main();
  window.addEventListener('hashchange', () => window.location.reload());
})();
