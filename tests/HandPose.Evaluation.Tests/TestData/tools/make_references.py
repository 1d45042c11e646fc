#!/usr/bin/env python3
"""Writes the evaluation fixtures and their expected metrics (run with Debian's /usr/bin/python3 + numpy).

The expected values come from the metric definitions as published, written here independently of the C# code:
- MMPose 1.x keypoint_pck_accuracy / keypoint_auc / keypoint_epe (mask, per-keypoint accuracy averaged over
  keypoints that are valid at least once, normaliser per sample; AUC = left Riemann sum over i/20 of 30 px);
- NSRM (HowieMa/NSRMhand src/utils.py): first arg-max, x = int(c * (int(W) / 46.0)), y likewise with H, PCK per
  image = #(dist < tau * (W / 2.2)) / 21, averaged over images;
- hand3d EvalUtil: per-keypoint mean / median / PCK curve over linspace(0, max, steps), trapezoid AUC / range,
  averaged over keypoints;
- FreiHAND align_w_scale: centre, unit Frobenius norm (+1e-8), R = U V^T of svd((B^T A)^T), scale = sum of singular
  values.
Usage: python3 make_references.py OUTDIR
"""
import json
import os
import sys

import numpy as np

rng = np.random.default_rng(20261205)
out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..")


def save(name, array):
    np.save(os.path.join(out, name), np.ascontiguousarray(array, dtype=np.float32))


# ---------------- MMPose 2D ----------------
n, k = 40, 21
gt = rng.uniform(0, 256, (n, k, 2)).astype(np.float32)
pred = (gt + rng.normal(0, 12, (n, k, 2))).astype(np.float32)
visible = (rng.uniform(0, 1, (n, k)) > 0.15).astype(np.float32)
visible[:, 7] = 0  # a keypoint never labelled: excluded from the average
x0 = rng.uniform(0, 100, n); y0 = rng.uniform(0, 100, n)
bbox = np.stack([x0, y0, x0 + rng.uniform(40, 200, n), y0 + rng.uniform(40, 200, n)], 1).astype(np.float32)
norm = rng.uniform(20, 120, n).astype(np.float32)
for f, a in [("mm_pred.npy", pred), ("mm_gt.npy", gt), ("mm_visible.npy", visible), ("mm_bbox.npy", bbox), ("mm_norm.npy", norm)]:
    save(f, a)

p64, g64, mask = pred.astype(np.float64), gt.astype(np.float64), visible > 0


def pck_per_keypoint(normaliser, thr):
    acc = np.full(k, -1.0)
    for j in range(k):
        valid = mask[:, j] & (normaliser > 0)
        if valid.sum() == 0:
            continue
        d = np.linalg.norm((p64[valid, j] - g64[valid, j]) / normaliser[valid, None], axis=1)
        acc[j] = (d < thr).mean()
    return acc


def pck(normaliser, thr):
    acc = pck_per_keypoint(normaliser, thr)
    ok = acc[acc >= 0]
    return (ok.mean() if len(ok) else 0.0), acc


bsize = np.maximum(bbox[:, 2].astype(np.float64) - bbox[:, 0], bbox[:, 3].astype(np.float64) - bbox[:, 1])
pck_box, per_box = pck(bsize, 0.2)
pck_norm, _ = pck(norm.astype(np.float64), 0.2)
auc = sum(pck(np.full(n, 30.0), i / 20.0)[0] for i in range(20)) / 20.0
errs = np.linalg.norm(p64 - g64, axis=2)[mask]
expected = {
    "pck_bbox_0.2": pck_box, "pck_bbox_per_keypoint": [None if a < 0 else a for a in per_box],
    "pck_norm_0.2": pck_norm, "auc_30_20": auc, "epe": errs.mean(),
}

# ---------------- NSRM heatmaps ----------------
m, size = 6, 46
heat = rng.uniform(0, 0.5, (m, k, size, size)).astype(np.float32)
crop = np.stack([rng.uniform(200, 320, m), rng.uniform(200, 320, m)], 1).astype(np.float32)
crop[0] = [237.7, 236.2]
gtn = np.zeros((m, k, 2), np.float32)
for i in range(m):
    for j in range(k):
        r, c = rng.integers(0, size, 2)
        heat[i, j, r, c] = 0.9 + 0.1 * rng.uniform()
        if (i + j) % 5 == 0:  # a tie later in row-major order: the first maximum must win
            r2, c2 = min(size - 1, r + 3), (c + 7) % size
            heat[i, j, r2, c2] = heat[i, j, r, c]
        gtn[i, j] = [c * crop[i, 0] / size, r * crop[i, 1] / size] + rng.normal(0, 9, 2)
heat[1, 4] = 0.25  # a constant map: the first cell wins
save("nsrm_heatmaps.npy", heat)
save("nsrm_gt.npy", gtn)
save("nsrm_crop.npy", crop)
sigmas = [0.04, 0.06, 0.08, 0.1, 0.12]
per = {s: [] for s in sigmas}
for i in range(m):
    w, h = float(crop[i, 0]), float(crop[i, 1])
    labels = []
    for j in range(k):
        rows, cols = np.where(heat[i, j] == np.max(heat[i, j]))
        labels.append([int(cols[0] * (int(w) / 46.0)), int(rows[0] * (int(h) / 46.0))])
    for s in sigmas:
        hits = 0
        for j in range(k):
            dist = np.sqrt((labels[j][0] - float(gtn[i, j, 0])) ** 2 + (labels[j][1] - float(gtn[i, j, 1])) ** 2)
            if dist < s * (w / 2.2):
                hits += 1
        per[s].append(hits / 21.0)
expected["nsrm"] = {repr(s): sum(per[s]) / len(per[s]) for s in sigmas}

# ---------------- 3D (Freiburg, FreiHAND) ----------------
q = 30
gt3 = rng.normal(0, 40, (q, k, 3)) + np.array([0, 0, 500])
angle = 0.3
rot = np.array([[np.cos(angle), -np.sin(angle), 0], [np.sin(angle), np.cos(angle), 0], [0, 0, 1]])
pred3 = (gt3 - gt3.mean(1, keepdims=True)) @ rot.T * 1.1 + gt3.mean(1, keepdims=True) + rng.normal(0, 6, (q, k, 3)) + 20
gt3, pred3 = gt3.astype(np.float32), pred3.astype(np.float32)
save("f3_gt.npy", gt3)
save("f3_pred.npy", pred3)
g3, p3 = gt3.astype(np.float64), pred3.astype(np.float64)
e3 = np.linalg.norm(p3 - g3, axis=2)  # [q, k]
thresholds = np.linspace(0, 50, 20)
aucs = []
for j in range(k):
    curve = np.array([(e3[:, j] <= t).mean() for t in thresholds])
    aucs.append(np.trapz(curve, thresholds) / 50.0)


def align(a, b):
    t1, t2 = a.mean(0), b.mean(0)
    a0, b0 = a - t1, b - t2
    s1, s2 = np.linalg.norm(a0) + 1e-8, np.linalg.norm(b0) + 1e-8
    a0, b0 = a0 / s1, b0 / s2
    u, w, vt = np.linalg.svd(b0.T.dot(a0).T)
    r, s = u.dot(vt), w.sum()
    return b0.dot(r.T) * s * s1 + t1


aligned = np.stack([align(g3[i], p3[i]) for i in range(q)])
expected["f3"] = {
    "auc_0_50_20": float(np.mean(aucs)), "epe": float(e3.mean()),
    "mean_per_keypoint": float(np.mean(e3.mean(0))), "median_per_keypoint": float(np.mean(np.median(e3, 0))),
    "epe_procrustes": float(np.linalg.norm(aligned - g3, axis=2).mean()),
}
# A flat prediction (all z = 0): the cross-covariance has rank 2.
flat = p3[0].copy(); flat[:, 2] = 0
expected["f3"]["flat_aligned_first"] = align(g3[0], flat).tolist()

with open(os.path.join(out, "expected.json"), "w") as f:
    json.dump(expected, f, indent=1, default=float)
