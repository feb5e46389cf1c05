#!/usr/bin/env python3
"""Times the peer decoders (zxing-cpp with default and with fast options, ZBar) on the corpus `spur bench decode` wrote.

Usage: peers.py MANIFEST.jsonl RESULTS.jsonl [ROUNDS]
MANIFEST has one JSON object per line with at least "file" (a binary PGM, path relative to
the manifest). RESULTS gets one line per (frame, decoder): {"file", "decoder", "texts", "ms"},
where "texts" are the decoded payloads (raw bytes read as UTF-8) and "ms" the fastest of
ROUNDS (default 2) timings of the decode call alone (pixels already in memory); spur's side
takes the fastest of as many rounds, so load from other processes hurts both alike. Install the peers with
scripts/bench-decode-peers.sh.
"""
import ctypes
import json
import os
import sys
import time

import numpy as np
import zxingcpp
from pyzbar import zbar_library  # noqa: F401  (loads libzbar)
from pyzbar import wrapper as zw

ZBAR_CFG_BINARY = 4  # zbar.h 0.23: ENABLE, ADD_CHECK, EMIT_CHECK, ASCII, BINARY
ZBAR_QRCODE = 64
L800 = 0x30303859  # fourcc "Y800": 8-bit grey


def read_pgm(path):
    with open(path, "rb") as f:
        data = f.read()
    parts = data.split(maxsplit=4)
    if parts[0] != b"P5":
        raise ValueError(f"{path}: not a binary PGM")
    w, h = int(parts[1]), int(parts[2])
    pixels = parts[4] if len(parts[4]) == w * h else data[-w * h:]
    return np.frombuffer(pixels, dtype=np.uint8).reshape(h, w)


def as_text(raw):
    return raw.decode("utf-8", errors="replace")


def zxing(img):
    """zxing-cpp with its default options (try rotate, downscale and invert)."""
    found = zxingcpp.read_barcodes(img, formats=zxingcpp.BarcodeFormat.QRCode)
    return [as_text(b.bytes) for b in found]


def zxing_fast(img):
    """zxing-cpp's fast options: one binarisation at full resolution, no rotated or inverted
    retries, no downscaled copies (what a live scanner that must keep up would choose)."""
    found = zxingcpp.read_barcodes(img, formats=zxingcpp.BarcodeFormat.QRCode,
                                   try_rotate=False, try_downscale=False, try_invert=False)
    return [as_text(b.bytes) for b in found]


class Zbar:
    """ZBar through its C API, QR only, binary mode (raw bytes, no charset guessing)."""

    def __init__(self):
        self.scanner = zw.zbar_image_scanner_create()
        zw.zbar_image_scanner_set_config(self.scanner, 0, zw.ZBarConfig.CFG_ENABLE, 0)
        zw.zbar_image_scanner_set_config(self.scanner, ZBAR_QRCODE, zw.ZBarConfig.CFG_ENABLE, 1)
        zw.zbar_image_scanner_set_config(self.scanner, ZBAR_QRCODE, ZBAR_CFG_BINARY, 1)

    def __call__(self, img):
        h, w = img.shape
        buf = img.tobytes()
        image = zw.zbar_image_create()
        try:
            zw.zbar_image_set_format(image, L800)
            zw.zbar_image_set_size(image, w, h)
            zw.zbar_image_set_data(image, ctypes.cast(buf, ctypes.c_void_p), len(buf), None)
            zw.zbar_scan_image(self.scanner, image)
            texts = []
            sym = zw.zbar_image_first_symbol(image)
            while sym:
                n = zw.zbar_symbol_get_data_length(sym)
                texts.append(as_text(ctypes.string_at(zw.zbar_symbol_get_data(sym), n)))
                sym = zw.zbar_symbol_next(sym)
            return texts
        finally:
            zw.zbar_image_destroy(image)


def main():
    manifest, out = sys.argv[1], sys.argv[2]
    rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 2
    base = os.path.dirname(os.path.abspath(manifest))
    with open(manifest) as f:
        frames = [json.loads(line) for line in f if line.strip()]
    decoders = {"zxing-cpp": zxing, "zxing-fast": zxing_fast, "zbar": Zbar()}
    with open(out, "w") as o:
        for fr in frames:
            img = read_pgm(os.path.join(base, fr["file"]))
            for name, dec in decoders.items():
                ms = float("inf")
                for _ in range(rounds):
                    t = time.perf_counter()
                    try:
                        texts = dec(img)
                    except Exception as e:  # a peer failing is a result, not a crash
                        texts = []
                        print(f"{name} failed on {fr['file']}: {e}", file=sys.stderr)
                    ms = min(ms, (time.perf_counter() - t) * 1e3)
                o.write(json.dumps({"file": fr["file"], "decoder": name, "texts": texts, "ms": ms}) + "\n")
    versions = {"zxing-cpp": getattr(zxingcpp, "__version__", None)}
    try:
        from importlib.metadata import version
        versions["zxing-cpp"] = version("zxing-cpp")
    except Exception:
        pass
    print(json.dumps(versions))


if __name__ == "__main__":
    main()
