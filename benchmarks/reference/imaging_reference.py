#!/usr/bin/python3
"""Side-by-side reference timings for the imaging benchmarks (Debian python3-pil, single thread).

Pillow's Image.transform(AFFINE, BILINEAR) is a 2-tap bilinear warp, i.e. the same work as our resize and rotated
crop; Image.resize(BILINEAR) is Pillow's antialiased (support-scaled) filter, a different, heavier algorithm,
listed for context. Inputs match benchmarks/HandPose.Benchmarks/ImagingBenchmarkData.cs in size and format.
Run: /usr/bin/python3 benchmarks/reference/imaging_reference.py
"""
import math, time
import numpy as np
from PIL import Image

rng = np.random.default_rng(1234)
h, w = 1280, 1920
base = (np.arange(w)[None, :] * 255 // w + np.arange(h)[:, None] * 255 // h)[:, :, None]
rgb = Image.fromarray(((base + rng.integers(0, 32, (h, w, 3))) & 0xFF).astype(np.uint8))


def best(fn, n=200):
    for _ in range(20):
        fn()
    times = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    times.sort()
    return times[0] * 1e3, times[len(times) // 2] * 1e3


sx, sy = w / 224, h / 224
resize_affine = (sx, 0, 0, 0, sy, 0)
cx, cy, side, r = 1210.4, 655.3, 700.0, 0.61
c, s = math.cos(r), math.sin(r)
k = side / 224
crop_affine = (c * k, -s * k, cx - c * side / 2 + s * side / 2, s * k, c * k, cy - s * side / 2 - c * side / 2)

for name, fn in [
    ("Pillow transform(AFFINE, BILINEAR) 1920x1280 -> 224x224 RGB (2-tap resize)", lambda: rgb.transform((224, 224), Image.AFFINE, resize_affine, Image.BILINEAR)),
    ("Pillow resize(BILINEAR, antialiased) 1920x1280 -> 224x224 RGB", lambda: rgb.resize((224, 224), Image.BILINEAR)),
    ("Pillow transform(AFFINE, BILINEAR) 224x224 rotated crop RGB", lambda: rgb.transform((224, 224), Image.AFFINE, crop_affine, Image.BILINEAR)),
]:
    b, m = best(fn)
    print(f"{name}: best {b:.3f} ms, median {m:.3f} ms")
