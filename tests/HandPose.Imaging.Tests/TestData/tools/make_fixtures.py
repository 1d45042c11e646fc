#!/usr/bin/python3
"""Generates the PNG decoder and resize fixtures of HandPose.Imaging.Tests (run with Debian's /usr/bin/python3).

PNG files are written by the small independent writer below (every colour type, bit depth, Adam7, tRNS, all five
filter types cycled per row); the expected pixels come from Pillow's decode of those same files, except for 16-bit
colour/alpha images: Pillow keeps only the high byte there, while HandPose rounds (v / 257), so the expectation is
computed from the source samples and Pillow is only checked to agree on the high byte.

Outputs (TestData/png): NAME.png + NAME.raw (expected 8-bit pixels, Gray8/Rgb24/Rgba32) and manifest.json.
Resize fixtures (TestData/resize): Pillow BILINEAR upscale and PyTorch bilinear (align_corners=False) downscale.
"""
import json, os, struct, zlib
import numpy as np
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "png")
RS = os.path.join(HERE, "..", "resize")
rng = np.random.default_rng(20261122)

ADAM7 = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]
CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}


def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def pack_row(samples, depth):
    """samples: 1-D int array of one scanline's samples."""
    if depth == 8:
        return bytes(samples.astype(np.uint8))
    if depth == 16:
        return samples.astype(">u2").tobytes()
    per = 8 // depth
    out = bytearray((len(samples) * depth + 7) // 8)
    for i, s in enumerate(samples):
        out[i // per] |= int(s) << (8 - depth - (i % per) * depth)
    return bytes(out)


def paeth(a, b, c):
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    return a if pa <= pb and pa <= pc else (b if pb <= pc else c)


def filter_rows(rows, bpp):
    out, prev = bytearray(), bytes(len(rows[0])) if rows else b""
    for j, row in enumerate(rows):
        ft = j % 5
        f = bytearray(len(row))
        for i in range(len(row)):
            a = row[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            pred = [0, a, b, (a + b) >> 1, paeth(a, b, c)][ft]
            f[i] = (row[i] - pred) & 0xFF
        out += bytes([ft]) + f
        prev = row
    return bytes(out)


def write_png(path, data, depth, ctype, interlace, plte=None, trns=None):
    """data: array [H, W, C] of samples."""
    h, w, c = data.shape
    bpp = max(1, depth * c // 8)
    raw = b""
    passes = ADAM7 if interlace else [(0, 0, 1, 1)]
    for (x0, y0, dx, dy) in passes:
        sub = data[y0::dy, x0::dx, :]
        if sub.shape[0] == 0 or sub.shape[1] == 0:
            continue
        rows = [pack_row(sub[j].reshape(-1), depth) for j in range(sub.shape[0])]
        raw += filter_rows(rows, bpp)
    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, depth, ctype, 0, 0, interlace))
    if plte is not None:
        png += chunk(b"PLTE", bytes(plte.astype(np.uint8).reshape(-1)))
    if trns is not None:
        png += chunk(b"tRNS", trns)
    png += chunk(b"tEXt", b"Comment\x00ancillary chunks are skipped")
    comp = zlib.compress(raw, 9)
    half = len(comp) // 2  # two IDAT chunks
    png += chunk(b"IDAT", comp[:half]) + chunk(b"IDAT", comp[half:]) + chunk(b"IEND", b"")
    with open(path, "wb") as f:
        f.write(png)


def r16(v):
    return ((v.astype(np.int64) + 128) // 257).astype(np.uint8)


def case(name, w, h, depth, ctype, interlace, with_trns=False):
    c = CHANNELS[ctype]
    maxv = (1 << depth) - 1
    plte = trns = None
    if ctype == 3:
        n = min(1 << depth, 200)
        data = rng.integers(0, n, (h, w, 1))
        plte = rng.integers(0, 256, (n, 3))
        if with_trns:
            trns = bytes(rng.integers(0, 256, n // 2 + 1).astype(np.uint8))
    else:
        data = rng.integers(0, maxv + 1, (h, w, c))
        if with_trns and ctype == 0:
            key = int(data[0, 0, 0])
            data[1::3, ::2, 0] = key
            trns = struct.pack(">H", key)
        if with_trns and ctype == 2:
            key = data[0, 0].copy()
            data[1::3, ::2] = key
            trns = struct.pack(">HHH", *[int(k) for k in key])
    path = os.path.join(OUT, name + ".png")
    write_png(path, data, depth, ctype, interlace, plte, trns)

    im = Image.open(path)
    im.load()
    alpha = ctype in (4, 6) or trns is not None
    fmt = "Rgba32" if alpha else ("Gray8" if ctype == 0 else "Rgb24")
    if depth == 16 and ctype == 0 and not alpha:
        got = np.asarray(im).astype(np.int64)
        assert (got == data[:, :, 0]).all(), name  # Pillow decodes I;16 exactly
        expected = r16(data[:, :, 0])
    elif depth == 16:
        # Pillow truncates 16-bit colour to the high byte; check that, expect rounding.
        mode = {2: "RGB", 4: "LA", 6: "RGBA"}[ctype]
        got = np.asarray(im.convert(mode)).astype(np.int64)
        assert (got.reshape(h, w, -1) == (data >> 8).reshape(h, w, -1)).all(), name
        v = r16(data)
        if ctype == 2 and trns is not None:
            a = np.where((data == data[0, 0]).all(axis=2), 0, 255).astype(np.uint8)
            expected = np.dstack([v, a])
        elif ctype == 4:
            expected = np.dstack([v[:, :, 0]] * 3 + [v[:, :, 1]])
        else:
            expected = v
    else:
        expected = np.asarray(im.convert({"Gray8": "L", "Rgb24": "RGB", "Rgba32": "RGBA"}[fmt]))
    expected = np.ascontiguousarray(expected, dtype=np.uint8)
    expected.tofile(os.path.join(OUT, name + ".raw"))
    return {"name": name, "width": w, "height": h, "format": fmt, "bitDepth": depth, "colorType": ctype, "interlaced": bool(interlace)}


def main():
    os.makedirs(OUT, exist_ok=True)
    os.makedirs(RS, exist_ok=True)
    cases = []
    for il in (0, 1):
        s = "_i" if il else ""
        for d in (1, 2, 4, 8, 16):
            cases.append(case(f"gray{d}{s}", 13, 11, d, 0, il))
        for d in (1, 2, 4, 8):
            cases.append(case(f"pal{d}{s}", 17, 9, d, 3, il))
        for d in (8, 16):
            cases.append(case(f"rgb{d}{s}", 19, 10, d, 2, il))
            cases.append(case(f"ga{d}{s}", 9, 12, d, 4, il))
            cases.append(case(f"rgba{d}{s}", 11, 13, d, 6, il))
    cases.append(case("gray8_trns", 12, 9, 8, 0, 0, True))
    cases.append(case("rgb8_trns", 12, 9, 8, 2, 1, True))
    cases.append(case("rgb16_trns", 12, 9, 16, 2, 0, True))
    cases.append(case("pal4_trns", 15, 8, 4, 3, 0, True))
    cases.append(case("pal8_trns_i", 15, 8, 8, 3, 1, True))
    cases.append(case("one_pixel_i", 1, 1, 8, 6, 1))
    cases.append(case("wide_i", 37, 3, 8, 2, 1))
    with open(os.path.join(OUT, "manifest.json"), "w") as f:
        json.dump(cases, f, indent=1)

    # Resize references: an RGB source; Pillow BILINEAR upscale (same geometry as 2-tap half-pixel when enlarging)
    # and PyTorch bilinear align_corners=False downscale in float64 (no antialias): the OpenCV INTER_LINEAR geometry.
    src = rng.integers(0, 256, (29, 41, 3)).astype(np.uint8)
    src.tofile(os.path.join(RS, "src_41x29_rgb.raw"))
    up = np.asarray(Image.fromarray(src).resize((100, 70), Image.BILINEAR))
    up.tofile(os.path.join(RS, "pillow_up_100x70_rgb.raw"))
    import torch
    t = torch.from_numpy(src.astype(np.float64)).permute(2, 0, 1)[None]
    for (w, h) in ((13, 9), (100, 70)):
        r = torch.nn.functional.interpolate(t, size=(h, w), mode="bilinear", align_corners=False)
        r[0].permute(1, 2, 0).contiguous().numpy().astype("<f8").tofile(os.path.join(RS, f"torch_{w}x{h}_rgb.f64"))


if __name__ == "__main__":
    main()
