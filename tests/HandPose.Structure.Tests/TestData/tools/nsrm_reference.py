#!/usr/bin/python3
"""Independent numpy reference of NSRM's structure targets (our code, written from ../shared/specs/nsrm.md).

Formulas and float64 operation order follow the released NSRM code as documented in nsrm.md sections 2-4 and 13
(heatmaps in float32 like the released torch code). `--check-golden DIR` proves this reference reproduces the
official outputs stored in TestData/golden bit for bit; `--generate OUT --count N --seed S` writes N new cases
(random hands, out-of-frame points, exact border coordinates, degenerate limbs, 32/46/64 maps, non-default
sigma/width, anisotropic crops, missing keypoints) for the C# tests and the CLI tests.

Run with Debian's interpreter: /usr/bin/python3 (it has numpy).
"""
import argparse
import json
import os
import sys

import numpy as np

LIMBS = [(0, 1), (1, 2), (2, 3), (3, 4), (0, 5), (5, 6), (6, 7), (7, 8), (0, 9), (9, 10), (10, 11), (11, 12),
         (0, 13), (13, 14), (14, 15), (15, 16), (0, 17), (17, 18), (18, 19), (19, 20)]
GROUPS6 = [[1, 2, 3], [5, 6, 7], [9, 10, 11], [13, 14, 15], [17, 18, 19], [0, 4, 8, 12, 16]]


def crop_to_map(kp_raw, crop_w, crop_h, img_size=368, stride=8):
    kp = np.array(kp_raw, dtype=np.float64).copy()
    kp[:, 0] = kp[:, 0] * img_size / stride / crop_w
    kp[:, 1] = kp[:, 1] * img_size / stride / crop_h
    return kp


def grid(n_w, n_h):
    xx, yy = np.meshgrid(np.arange(n_w, dtype=np.float64), np.arange(n_h, dtype=np.float64))
    return xx, yy


def heatmaps(kp, n_w, n_h, sigma):
    """float32 math: ((c - X)^2 + (r - Y)^2) / 2 / sigma / sigma, then exp(-.); missing point -> zeros."""
    out = np.zeros((len(kp), n_h, n_w), dtype=np.float32)
    xx, yy = grid(n_w, n_h)
    xx = xx.astype(np.float32)
    yy = yy.astype(np.float32)
    s = np.float32(sigma)
    for k, (x, y) in enumerate(kp):
        if not (np.isfinite(x) and np.isfinite(y)):
            continue
        x32 = np.float32(x)
        y32 = np.float32(y)
        d = (xx - x32) ** 2 + (yy - y32) ** 2
        e = d / np.float32(2) / s / s
        out[k] = np.exp(-e)
    return out


def ldm_limb(a, b, n_w, n_h, width, paper):
    xx, yy = grid(n_w, n_h)
    if paper and a[0] == b[0] and a[1] == b[1]:
        return np.zeros((n_h, n_w), dtype=np.float64)
    length = np.sqrt((a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2)
    dx = b[0] - a[0]
    dy = b[1] - a[1]
    ux = dx / (length + 1e-8)
    uy = dy / (length + 1e-8)
    px = xx - a[0]
    py = yy - a[1]
    along = ux * px + uy * py
    perp = np.abs(uy * px - ux * py)
    return ((along >= 0) & (along <= length) & (perp <= width)).astype(np.float64)


def lpm_limb(a, b, n_w, n_h, sigma, paper):
    xx, yy = grid(n_w, n_h)
    dx = b[0] - a[0]
    dy = b[1] - a[1]
    px = xx - a[0]
    py = yy - a[1]
    cross = dx * px + dy * py
    l2 = dx * dx + dy * dy
    if paper:
        t = np.clip(cross / l2, 0.0, 1.0) if l2 > 0 else np.zeros_like(cross)
        qx = px - t * dx
        qy = py - t * dy
        d2 = qx * qx + qy * qy
    else:
        t = (cross + 1e-8) / (l2 + 1e-8)
        qx = a[0] + t * dx
        qy = a[1] + t * dy
        m1 = (cross <= 0).astype(np.float64)
        m2 = (cross >= l2).astype(np.float64)
        m3 = (1 - m1).astype(bool) | m2.astype(bool)  # the released precedence: (NOT m1) OR m2
        d2 = np.zeros_like(cross)
        d2 += m1 * (px * px + py * py)
        d2 += m2 * ((xx - b[0]) * (xx - b[0]) + (yy - b[1]) * (yy - b[1]))
        d2 += m3 * ((xx - qx) * (xx - qx) + (qy - yy) * (qy - yy))
    return np.exp(((-d2) / 2) / sigma / sigma)


def limb_maps(kind, kp, n_w, n_h, param, paper):
    """[20][n_h][n_w] float64; a limb touching a missing keypoint is all zero."""
    out = np.zeros((len(LIMBS), n_h, n_w), dtype=np.float64)
    for k, (i, j) in enumerate(LIMBS):
        a, b = kp[i], kp[j]
        if not np.all(np.isfinite(a)) or not np.all(np.isfinite(b)):
            continue
        out[k] = ldm_limb(a, b, n_w, n_h, param, paper) if kind == "ldm" else lpm_limb(a, b, n_w, n_h, param, paper)
    return out


def compose(limbs):
    g1 = limbs.max(axis=0, initial=0.0)[None]
    g6 = np.stack([limbs[g].max(axis=0, initial=0.0) for g in GROUPS6])
    return g1.astype(np.float32), g6.astype(np.float32), limbs.astype(np.float32)


def render_all(kp, n_w, n_h, hm_sigma, ldm_width, lpm_sigma):
    out = {"heatmaps": heatmaps(kp, n_w, n_h, hm_sigma)}
    for paper in (False, True):
        suffix = "_paper" if paper else ""
        g1, g6, limbs = compose(limb_maps("ldm", kp, n_w, n_h, ldm_width, paper))
        out["ldm_g1" + suffix], out["ldm_g6" + suffix], out["ldm_limbs" + suffix] = g1, g6, limbs
        g1, g6, limbs = compose(limb_maps("lpm", kp, n_w, n_h, lpm_sigma, paper))
        out["lpm_g1" + suffix], out["lpm_g6" + suffix], out["lpm_limbs" + suffix] = g1, g6, limbs
    return out


def check_golden(golden_dir):
    index = json.load(open(os.path.join(golden_dir, "index.json")))
    bad = 0
    for case in index["cases"]:
        files = case["files"]
        kp = np.fromfile(os.path.join(golden_dir, files["kp_map_f64"]["file"]), dtype=np.float64).reshape(21, 2)
        raw = np.fromfile(os.path.join(golden_dir, files["kp_raw_f64"]["file"]), dtype=np.float64).reshape(21, 2)
        conv = crop_to_map(raw, case["crop_w"], case["crop_h"], case["img_size"], case["stride"])
        if not np.array_equal(conv, kp):
            print(f"{case['id']}: crop_to_map differs from kp_map.f64")
            bad += 1
        n = case["map_size"]
        out = render_all(kp, n, n, case["heatmap_sigma"], case["ldm_width"], case["lpm_sigma"])
        for name, spec in files.items():
            if not name.startswith(("ldm", "lpm", "heatmaps")):
                continue
            expected = np.fromfile(os.path.join(golden_dir, spec["file"]), dtype=np.float32).reshape(spec["shape"])
            ours = out[name.replace("_fixed", "_paper")]
            diff = float(np.abs(ours - expected).max())
            exact = np.array_equal(ours, expected)
            print(f"{case['id']:28s} {name:14s} max|diff| {diff:.3g} {'bit-exact' if exact else ''}")
            limit = 2e-6 if name == "heatmaps" else 0.0
            if diff > limit:
                bad += 1
    print("golden check:", "OK" if bad == 0 else f"{bad} mismatches")
    return bad


def random_hand(rng, centre, size):
    """A plausible hand: wrist, five fingers fanning out, four joints each, in map units."""
    kp = np.zeros((21, 2))
    angle0 = rng.uniform(0, 2 * np.pi)
    kp[0] = centre
    for f in range(5):
        ang = angle0 + (f - 2) * rng.uniform(0.2, 0.45)
        base = kp[0] + size * rng.uniform(0.3, 0.5) * np.array([np.cos(ang), np.sin(ang)])
        kp[1 + 4 * f] = base
        p = base
        for j in range(1, 4):
            ang += rng.uniform(-0.4, 0.4)
            p = p + size * rng.uniform(0.12, 0.25) * np.array([np.cos(ang), np.sin(ang)])
            kp[1 + 4 * f + j] = p
    return kp


def generate(out_dir, count, seed):
    rng = np.random.default_rng(seed)
    os.makedirs(out_dir, exist_ok=True)
    manifest = []
    kinds = ["random", "out_of_frame", "border_integer", "degenerate", "missing", "anisotropic", "tiny_limbs", "axis_aligned"]
    for i in range(count):
        kind = kinds[i % len(kinds)]
        n = int(rng.choice([32, 46, 64]))
        stride = 8
        img = n * stride
        hm_sigma = float(rng.choice([1.0, 1.0, 0.7, 1.5, 2.0]))
        ldm_width = float(rng.choice([1.0, 1.0, 0.5, 1.5, 2.0]))
        lpm_sigma = float(rng.choice([1.0, 1.0, 0.6, 1.5, 2.5]))
        crop_w = crop_h = int(rng.integers(120, 400))
        if kind == "anisotropic":
            crop_h = int(crop_w * rng.uniform(0.6, 1.6))
        size_px = rng.uniform(0.25, 0.5) * min(crop_w, crop_h)
        centre = np.array([crop_w, crop_h]) * rng.uniform(0.35, 0.65, 2)
        raw = random_hand(rng, centre, size_px)
        if kind == "out_of_frame":
            raw += np.array([crop_w, crop_h]) * rng.uniform(-0.7, 0.7, 2)
        if kind == "border_integer":
            # crop = input size: raw multiples of the stride give integer map coordinates, some exactly on the border
            crop_w = crop_h = img
            raw = np.round(raw * img / max(crop_w, 1) / stride) * stride
            raw[int(rng.integers(0, 21))] = [0, 0]
            raw[int(rng.integers(0, 21))] = [img - stride, img - stride]
            raw[int(rng.integers(0, 21))] = [img, rng.integers(0, n) * stride]
        if kind == "axis_aligned":
            raw = np.round(raw)
            for f in range(5):
                b = 1 + 4 * f
                raw[b + 1:b + 4, 0] = raw[b, 0]  # vertical finger
        if kind == "degenerate":
            for _ in range(int(rng.integers(1, 4))):
                i0, j0 = LIMBS[int(rng.integers(0, 20))]
                raw[j0] = raw[i0]
        if kind == "tiny_limbs":
            raw[2] = raw[1] + rng.uniform(-1e-6, 1e-6, 2)
            raw[8] = raw[7] + np.array([1e-9, 0.0])
        if kind != "border_integer":
            raw = raw.astype(np.float32).astype(np.float64)  # float32-exact so JSON round trips are exact
        if kind == "missing":
            for m in rng.choice(21, int(rng.integers(1, 5)), replace=False):
                raw[m] = np.nan
        kp = crop_to_map(raw, crop_w, crop_h, img, stride)
        out = render_all(kp, n, n, hm_sigma, ldm_width, lpm_sigma)
        cid = f"g{i:03d}_{kind}"
        os.makedirs(os.path.join(out_dir, cid), exist_ok=True)
        raw.astype(np.float64).tofile(os.path.join(out_dir, cid, "kp_raw.f64"))
        kp.astype(np.float64).tofile(os.path.join(out_dir, cid, "kp_map.f64"))
        for name, arr in out.items():
            arr.astype(np.float32).tofile(os.path.join(out_dir, cid, name + ".f32"))
        manifest.append({"id": cid, "kind": kind, "crop_w": crop_w, "crop_h": crop_h, "img_size": img, "stride": stride,
                         "map_size": n, "heatmap_sigma": hm_sigma, "ldm_width": ldm_width, "lpm_sigma": lpm_sigma,
                         "kp_raw": [[None if not np.isfinite(v) else float(v) for v in p] for p in raw]})
    json.dump({"seed": seed, "cases": manifest}, open(os.path.join(out_dir, "manifest.json"), "w"), indent=1)
    print(f"wrote {count} cases to {out_dir}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check-golden", metavar="DIR")
    ap.add_argument("--generate", metavar="OUT")
    ap.add_argument("--count", type=int, default=64)
    ap.add_argument("--seed", type=int, default=3)
    args = ap.parse_args()
    rc = 0
    if args.check_golden:
        rc = 1 if check_golden(args.check_golden) else 0
    if args.generate:
        generate(args.generate, args.count, args.seed)
    return rc


if __name__ == "__main__":
    sys.exit(main())
