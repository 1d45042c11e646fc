"""Reference outputs for HandPose.Torch's hand3d tests, written by Debian's PyTorch 1.13 and numpy.

Usage: /usr/bin/python3 make_hand3d_references.py OUT_DIR

An independent PyTorch/numpy implementation of lmb-freiburg/hand3d (nets/ColorHandPose3DNetwork.py,
utils/general.py, utils/canonical_trafo.py at 9f00633), written from the official TensorFlow code:
TF 'SAME' padding computed per layer, TF1 resize_images / crop_and_resize written out in numpy, NHWC flattening
before the dense layers. Seeded random weights (biases random too) are saved twice:
  * as torch.save state dicts with HandPose's names (layer.weight / layer.bias, PyTorch layouts);
  * as pickles of numpy arrays keyed by the official TF variable names in TF layouts (HWIO, [in, out]), in the
    structure of the released files: handsegnet-rhd.pickle holds HandSegNet/*, posenet3d-*.pickle holds
    PoseNet2D/* + PosePrior/* + ViewpointNet/*; extra copies of the PosePrior weights in pickle protocols 3 and 4
    and in Python 2's byte-string encoding (BINSTRING), which is what a Python 2 pickle.dump writes.
Nothing here is committed: the tests run this script into the setup cache when its outputs are missing.
"""
import io
import math
import os
import pickle
import struct
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

out = sys.argv[1]
group = sys.argv[2]  # small | segnet | posenet3d | pipeline
os.makedirs(out, exist_ok=True)
torch.set_num_threads(1)
SLOPE = 0.01


def same_pads(n, k, s):
    """TF 'SAME': total padding max((ceil(n/s)-1)*s + k - n, 0), the smaller half before."""
    total = max((math.ceil(n / s) - 1) * s + k - n, 0)
    return total // 2, total - total // 2


class TfConv(nn.Conv2d):
    def __init__(self, cin, cout, k, s=1):
        super().__init__(cin, cout, k, stride=s, padding=0, bias=True)

    def forward(self, x):
        k, s = self.kernel_size[0], self.stride[0]
        top, bottom = same_pads(x.shape[2], k, s)
        left, right = same_pads(x.shape[3], k, s)
        return super().forward(F.pad(x, (left, right, top, bottom)))


def lrelu(x):
    return torch.maximum(x, SLOPE * x)  # NetworkOps.leaky_relu


def tf1_resize_bilinear(x, oh, ow):
    """tf.image.resize_images(bilinear), TF1 defaults: src = dst * in/out (float32), next pixel clamped."""
    a = x.numpy().astype(np.float32)
    n, c, h, w = a.shape

    def axis(insz, outsz):
        scale = np.float32(insz) / np.float32(outsz)
        src = np.arange(outsz, dtype=np.float32) * scale
        lo = np.floor(src).astype(np.int64)
        hi = np.minimum(lo + 1, insz - 1)
        return lo, hi, (src - lo).astype(np.float32)

    ylo, yhi, yf = axis(h, oh)
    xlo, xhi, xf = axis(w, ow)
    res = np.zeros((n, c, oh, ow), np.float32)
    for i in range(oh):
        top_l = a[:, :, ylo[i], xlo]
        top_r = a[:, :, ylo[i], xhi]
        bot_l = a[:, :, yhi[i], xlo]
        bot_r = a[:, :, yhi[i], xhi]
        top = top_l + (top_r - top_l) * xf
        bot = bot_l + (bot_r - bot_l) * xf
        res[:, :, i, :] = top + (bot - top) * yf[i]
    return torch.from_numpy(res)


class HandSegNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.names = []
        cin = 3
        for b, (n, c) in enumerate(zip([2, 2, 4, 4], [64, 128, 256, 512]), 1):
            for i in range(n):
                setattr(self, 'conv%d_%d' % (b, i + 1), TfConv(cin, c, 3))
                self.names.append(('conv%d_%d' % (b, i + 1), b < 4 and i == n - 1))
                cin = c
        self.conv5_1 = TfConv(512, 512, 3)
        self.conv5_2 = TfConv(512, 128, 3)
        self.conv6_1 = TfConv(128, 512, 1)
        self.conv6_2 = TfConv(512, 2, 1)

    def forward(self, image):
        x = image
        for name, pool in self.names:
            x = lrelu(getattr(self, name)(x))
            if pool:
                x = F.max_pool2d(x, 2, 2)
        x = lrelu(self.conv5_2(lrelu(self.conv5_1(x))))
        x = self.conv6_2(lrelu(self.conv6_1(x)))
        return tf1_resize_bilinear(x, image.shape[2], image.shape[3])


class PoseNet(nn.Module):
    def __init__(self, joints=21):
        super().__init__()
        self.names = []
        cin = 3
        for b, (n, c) in enumerate(zip([2, 2, 4, 2], [64, 128, 256, 512]), 1):
            for i in range(n):
                setattr(self, 'conv%d_%d' % (b, i + 1), TfConv(cin, c, 3))
                self.names.append(('conv%d_%d' % (b, i + 1), b < 4 and i == n - 1))
                cin = c
        for i, c in enumerate([256, 256, 256, 256, 128], 3):
            setattr(self, 'conv4_%d' % i, TfConv(cin, c, 3))
            self.names.append(('conv4_%d' % i, False))
            cin = c
        self.conv5_1 = TfConv(128, 512, 1)
        self.conv5_2 = TfConv(512, joints, 1)
        for p in (6, 7):
            for r in range(1, 6):
                setattr(self, 'conv%d_%d' % (p, r), TfConv(128 + joints if r == 1 else 128, 128, 7))
            setattr(self, 'conv%d_6' % p, TfConv(128, 128, 1))
            setattr(self, 'conv%d_7' % p, TfConv(128, joints, 1))

    def forward(self, crop):
        x = crop
        for name, pool in self.names:
            x = lrelu(getattr(self, name)(x))
            if pool:
                x = F.max_pool2d(x, 2, 2)
        encoding = x
        maps = [self.conv5_2(lrelu(self.conv5_1(encoding)))]
        for p in (6, 7):
            x = torch.cat([maps[-1], encoding], 1)
            for r in range(1, 7):
                x = lrelu(getattr(self, 'conv%d_%d' % (p, r))(x))
            maps.append(getattr(self, 'conv%d_7' % p)(x))
        return maps


def nhwc_flatten(x):
    return x.permute(0, 2, 3, 1).reshape(x.shape[0], -1)


class PosePrior(nn.Module):
    """_inference_pose3d: PosePrior (canonical coords) + ViewpointNet (axis-angle), hand-side conditioned."""

    def __init__(self, joints=21):
        super().__init__()
        self.joints = joints
        cin = joints
        for i, c in enumerate([32, 64, 128]):
            setattr(self, 'conv_pose_%d_1' % i, TfConv(cin, c, 3))
            setattr(self, 'conv_pose_%d_2' % i, TfConv(c, c, 3, 2))
            cin = c
        self.fc_rel0 = nn.Linear(4 * 4 * 128 + 2, 512)
        self.fc_rel1 = nn.Linear(512, 512)
        self.fc_xyz = nn.Linear(512, 3 * joints)
        cin = joints
        for i, c in enumerate([64, 128, 256]):
            setattr(self, 'conv_vp_%d_1' % i, TfConv(cin, c, 3))
            setattr(self, 'conv_vp_%d_2' % i, TfConv(c, c, 3, 2))
            cin = c
        self.fc_vp0 = nn.Linear(4 * 4 * 256 + 2, 256)
        self.fc_vp1 = nn.Linear(256, 128)
        self.fc_vp_ux = nn.Linear(128, 1)
        self.fc_vp_uy = nn.Linear(128, 1)
        self.fc_vp_uz = nn.Linear(128, 1)

    def parts(self, maps, side):
        x = maps
        for i in range(3):
            x = lrelu(getattr(self, 'conv_pose_%d_2' % i)(lrelu(getattr(self, 'conv_pose_%d_1' % i)(x))))
        x = torch.cat([nhwc_flatten(x), side], 1)
        x = lrelu(self.fc_rel1(lrelu(self.fc_rel0(x))))  # dropout is the identity in evaluation
        can = self.fc_xyz(x).reshape(-1, self.joints, 3)
        v = maps
        for i in range(3):
            v = lrelu(getattr(self, 'conv_vp_%d_2' % i)(lrelu(getattr(self, 'conv_vp_%d_1' % i)(v))))
        v = torch.cat([nhwc_flatten(v), side], 1)
        v = lrelu(self.fc_vp1(lrelu(self.fc_vp0(v))))
        ux, uy, uz = self.fc_vp_ux(v)[:, 0], self.fc_vp_uy(v)[:, 0], self.fc_vp_uz(v)[:, 0]
        theta = torch.sqrt(ux * ux + uy * uy + uz * uz + 1e-8)
        st, ct, oc = torch.sin(theta), torch.cos(theta), 1.0 - torch.cos(theta)
        ux, uy, uz = ux / theta, uy / theta, uz / theta
        rot = torch.stack([ct + ux * ux * oc, ux * uy * oc - uz * st, ux * uz * oc + uy * st,
                           uy * ux * oc + uz * st, ct + uy * uy * oc, uy * uz * oc - ux * st,
                           uz * ux * oc - uy * st, uz * uy * oc + ux * st, ct + uz * uz * oc], 1).reshape(-1, 3, 3)
        right = (torch.argmax(side, 1) == 1).reshape(-1, 1, 1)
        flipped = torch.where(right, can * torch.tensor([1.0, 1.0, -1.0]), can)
        return can, rot, torch.matmul(flipped, rot)

    def forward(self, maps, side):
        return self.parts(maps, side)[2]


def randomize(model, seed):
    """He-scaled normal weights, random biases, rounded to float16 values (stored exactly by float16 state dicts)."""
    torch.manual_seed(seed)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name.endswith('bias'):
                p.copy_(torch.randn_like(p) * 0.05)
            else:
                fan_in = p[0].numel()
                p.copy_(torch.randn_like(p) * math.sqrt(2.0 / fan_in))
            p.copy_(p.half().float())
    model.eval()


def tf_variables(model, scope_of):
    """HandPose names/layouts -> official TF variable names/layouts."""
    result = {}
    for name, t in model.state_dict().items():
        layer, kind = name.rsplit('.', 1)
        a = t.numpy()
        if a.ndim == 4:
            a = a.transpose(2, 3, 1, 0)  # OIHW -> HWIO
        elif a.ndim == 2:
            a = a.T  # [out, in] -> [in, out]
        result['%s/%s/%s' % (scope_of(layer), layer, 'weights' if kind == 'weight' else 'biases')] = np.ascontiguousarray(a, np.float32)
    return result


def prior_scope(layer):
    return 'PosePrior' if layer.startswith(('conv_pose', 'fc_rel', 'fc_xyz')) else 'ViewpointNet'


class Py2Pickler(pickle._Pickler):
    """Writes bytes as Python 2 byte strings (BINSTRING / SHORT_BINSTRING), as Python 2's pickle.dump does."""
    dispatch = dict(pickle._Pickler.dispatch)

    def save_py2_str(self, obj):
        if len(obj) < 256:
            self.write(pickle.SHORT_BINSTRING + bytes([len(obj)]) + obj)
        else:
            self.write(pickle.BINSTRING + struct.pack('<i', len(obj)) + obj)
        self.memoize(obj)

    dispatch[bytes] = save_py2_str


def dump(obj, name, protocol, py2=False):
    with open(os.path.join(out, name), 'wb') as f:
        if py2:
            Py2Pickler(f, protocol=2).dump(obj)
        else:
            pickle.dump(obj, f, protocol=protocol)


def save(name, array):
    np.save(os.path.join(out, name), np.ascontiguousarray(array, np.float32))


# ---- networks: state dicts, TF pickles, inputs and outputs ---------------------------------------------------
def build(cls, seed):
    model = cls()
    randomize(model, seed)
    return model


def save_half(model, name):
    """A float16 state dict (half the disk; the weights are float16 values, so nothing is lost)."""
    torch.save({k: v.half() for k, v in model.state_dict().items()}, os.path.join(out, name))


def save_prior_io():
    with torch.no_grad():
        torch.manual_seed(33)
        maps = torch.randn(2, 21, 32, 32)
        side = torch.tensor([[1.0, 0.0], [0.0, 1.0]])
        save('hand3d_poseprior_in.npy', maps)
        save('hand3d_poseprior_side.npy', side)
        can, rot, rel = prior.parts(maps, side)
        save('hand3d_poseprior_out.npy', rel)
        save('hand3d_poseprior_can.npy', can)
        save('hand3d_poseprior_rot.npy', rot)


seg = build(HandSegNet, 21) if group in ('segnet', 'pipeline') else None
pose = build(PoseNet, 22) if group in ('posenet3d', 'pipeline') else None
prior = build(PosePrior, 23)

if group == 'segnet':
    save_half(seg, 'hand3d_segnet.pt')
    dump(tf_variables(seg, lambda layer: 'HandSegNet'), 'handsegnet.pickle', 3)
    torch.manual_seed(31)
    with torch.no_grad():
        x = torch.rand(1, 3, 48, 64) - 0.5
        save('hand3d_segnet_in.npy', x)
        save('hand3d_segnet_out.npy', seg(x))

if group == 'posenet3d':
    save_half(pose, 'hand3d_posenet.pt')
    # The released posenet3d-*.pickle holds the 2D network and both lifting streams.
    dump(dict(tf_variables(pose, lambda layer: 'PoseNet2D'), **tf_variables(prior, prior_scope)), 'posenet3d.pickle', 3)
    torch.manual_seed(32)
    with torch.no_grad():
        x = torch.rand(2, 3, 64, 64) - 0.5
        save('hand3d_posenet_in.npy', x)
        for i, m in enumerate(pose(x)):
            save('hand3d_posenet_out%d.npy' % (i + 1), m)
    save_prior_io()

if group == 'small':
    save_half(prior, 'hand3d_poseprior.pt')
    prior_tf = tf_variables(prior, prior_scope)
    dump(prior_tf, 'poseprior_p2.pickle', 2)
    # Small dicts of known arrays in every pickle flavour the reader must take.
    rng = np.random.RandomState(3)
    tiny = {'Net/conv/weights': rng.randn(3, 3, 2, 4).astype(np.float32),
            'Net/conv/biases': rng.randn(4).astype(np.float32),
            'Net/fc/weights': rng.randn(5, 3).astype(np.float64),
            'Net/fortran/weights': np.asfortranarray(rng.randn(3, 4).astype(np.float32)),
            'Net/big_endian/biases': rng.randn(6).astype('>f4'),
            'global_step': np.array(1234, np.int64)}
    for k, v in tiny.items():
        save('tiny_%s.npy' % k.replace('/', '_'), v)
    for proto in (2, 3, 4, 5):
        dump(tiny, 'tiny_p%d.pickle' % proto, proto)
    dump(tiny, 'tiny_py2.pickle', 2, py2=True)
    # A misfit: conv_pose_0_1 with the wrong input channels, one variable missing, one extra under the scope,
    # and an unrelated scope that must be ignored.
    bad = {k: v for k, v in prior_tf.items() if not k.startswith(('PosePrior/fc_rel', 'ViewpointNet/fc_vp0', 'ViewpointNet/fc_vp1'))}
    bad['PosePrior/conv_pose_0_1/weights'] = np.zeros((3, 3, 20, 32), np.float32)
    del bad['ViewpointNet/fc_vp_uz/biases']
    bad['PosePrior/fc_extra/weights'] = np.zeros((2, 2), np.float32)
    bad['OtherNet/conv1/weights'] = np.zeros((1, 1, 1, 1), np.float32)
    dump(bad, 'poseprior_bad.pickle', 2)
    save_prior_io()

# ---- TF1 resize and crop_and_resize on a small random image ------------------------------------------------------


def tf_crop_and_resize(a, box, size):
    """tf.image.crop_and_resize for one image and one box [y1, x1, y2, x2] (normalized), extrapolation 0."""
    _, c, h, w = a.shape
    y1, x1, y2, x2 = box
    res = np.zeros((1, c, size, size), np.float32)
    hs = (y2 - y1) * (h - 1) / (size - 1)
    ws = (x2 - x1) * (w - 1) / (size - 1)
    for i in range(size):
        iy = y1 * (h - 1) + i * hs
        if iy < 0 or iy > h - 1:
            continue
        t, b = int(math.floor(iy)), int(math.ceil(iy))
        yl = iy - t
        for j in range(size):
            ix = x1 * (w - 1) + j * ws
            if ix < 0 or ix > w - 1:
                continue
            lft, rgt = int(math.floor(ix)), int(math.ceil(ix))
            xl = ix - lft
            top = a[0, :, t, lft] + (a[0, :, t, rgt] - a[0, :, t, lft]) * xl
            bot = a[0, :, b, lft] + (a[0, :, b, rgt] - a[0, :, b, lft]) * xl
            res[0, :, i, j] = top + (bot - top) * yl
    return res




# ---- canonical frame (utils/canonical_trafo.py + BinaryDbReader's normalisation) --------------------------------
def atan2_tf(y, x):
    tan = np.arctan(y / (x + 1e-8))
    tan = tan + (np.pi if x + 1e-8 < 0 else 0.0)
    tan = tan + (2 * np.pi if tan < 0 else 0.0)
    return tan - (2 * np.pi if tan > np.pi else 0.0)


def rot_x(a):
    return np.array([[1, 0, 0], [0, np.cos(a), np.sin(a)], [0, -np.sin(a), np.cos(a)]])


def rot_y(a):
    return np.array([[np.cos(a), 0, -np.sin(a)], [0, 1, 0], [np.sin(a), 0, np.cos(a)]])


def rot_z(a):
    return np.array([[np.cos(a), np.sin(a), 0], [-np.sin(a), np.cos(a), 0], [0, 0, 1]])


def canonical(xyz, right):
    rel = xyz - xyz[0]
    s = np.linalg.norm(xyz[12] - xyz[11])
    rel = rel / s
    r1 = rot_z(atan2_tf(rel[12, 0], rel[12, 1]))
    p = rel @ r1
    r2 = rot_x(-atan2_tf(p[12, 2], p[12, 1]) + 3.141592653589793)
    p = p @ r2
    r3 = rot_y(atan2_tf(p[20, 2], p[20, 0]))
    can = p @ r3
    total = r1 @ r2 @ r3
    if right:
        can = can * np.array([1, 1, -1])
    return can, np.linalg.inv(total), s, rel


if group == 'small':
    rng = np.random.RandomState(5)
    img = rng.rand(1, 2, 7, 9).astype(np.float32)
    save('tf_resize_in.npy', img)
    save('tf_resize_out.npy', tf1_resize_bilinear(torch.from_numpy(img), 20, 13))
    boxes = np.array([[0.1, -0.2, 0.9, 0.7], [-0.3, 0.25, 1.2, 1.1]], np.float32)
    save('tf_crop_boxes.npy', boxes)
    for k, box in enumerate(boxes):
        save('tf_crop_out%d.npy' % k, tf_crop_and_resize(img, box, 11))
    xyz = rng.randn(2, 21, 3) * 0.03 + np.array([0.02, -0.01, 0.45])
    save('canonical_in.npy', xyz)
    results = [canonical(xyz[k], k == 1) for k in range(2)]
    save('canonical_can.npy', np.stack([r[0] for r in results]))
    save('canonical_rot.npy', np.stack([r[1] for r in results]))
    save('canonical_scale.npy', np.array([r[2] for r in results]))
    save('canonical_rel.npy', np.stack([r[3] for r in results]))


# ---- the full pipeline (ColorHandPose3DNetwork.inference + run.py's post-processing) ---------------------------
def single_obj_scoremap(logits):
    """utils/general.py single_obj_scoremap for one image: logits [2, H, W] -> binary object map [H, W]."""
    e = np.exp(logits - logits.max(0, keepdims=True))
    fg = (e / e.sum(0, keepdims=True))[1]
    det = np.round(fg)  # numpy rounds half to even, as tf.round
    h, w = fg.shape
    r, c = np.unravel_index(np.argmax(fg), fg.shape)
    obj = np.zeros((h, w), np.float32)
    obj[r, c] = 1.0
    for _ in range(max(h, w) // 10):
        pad = np.pad(obj, 10, constant_values=-np.inf)
        dil = np.full((h, w), -np.inf)
        for dy in range(21):
            for dx in range(21):
                dil = np.maximum(dil, pad[dy:dy + h, dx:dx + w])
        obj = np.round(det * (dil + 1.0 / 441.0))
    return obj, fg


def calc_center_bb(obj):
    rows, cols = np.nonzero(obj == 1)
    if len(rows) == 0:
        return np.array([160.0, 160.0]), 100.0
    center = np.array([0.5 * (rows.max() + rows.min()), 0.5 * (cols.max() + cols.min())])
    return center, float(max(rows.max() - rows.min(), cols.max() - cols.min()))


def pipeline(image, side):
    with torch.no_grad():
        logits = seg(image)[0].numpy()
    obj, fg = single_obj_scoremap(logits)
    center, size = calc_center_bb(obj)
    size = np.float32(size) * np.float32(1.25)
    scale = np.float32(min(max(np.float32(256.0) / size, 0.25), 5.0))
    side_scaled = np.float32(256.0) / scale
    h, w = image.shape[2], image.shape[3]
    # crop_image_from_xy, in float32 as TF
    center = center.astype(np.float32)
    y1 = center[0] - np.floor(side_scaled / np.float32(2))
    x1 = center[1] - np.floor(side_scaled / np.float32(2))
    box = [y1 / np.float32(h), x1 / np.float32(w), (y1 + side_scaled) / np.float32(h), (x1 + side_scaled) / np.float32(w)]
    crop = tf_crop_and_resize(image.numpy(), box, 256)
    with torch.no_grad():
        maps = pose(torch.from_numpy(crop))[-1]
        rel = prior(maps, side)
    up = tf1_resize_bilinear(maps, 256, 256)[0].numpy()
    coords = np.zeros((21, 2))
    for k in range(21):
        v, u = np.unravel_index(np.argmax(up[k]), up[k].shape)
        coords[k] = (v, u)
    coords = (coords - 128) / scale + center  # trafo_coords: (row, col) in the image
    return obj, center, scale, coords, rel[0].numpy(), up.max(axis=(1, 2))


if group == 'pipeline':
    for model, name in ((seg, 'hand3d_segnet.pt'), (pose, 'hand3d_posenet.pt'), (prior, 'hand3d_poseprior.pt')):
        save_half(model, name)
    torch.manual_seed(41)
    image = (torch.rand(1, 3, 96, 128) - 0.5)
    image[:, :, 30:70, 40:90] += 0.3  # a brighter patch, so the random segmentation has some structure
    image = image.clamp(-0.5, 0.5)
    # The estimator takes 8-bit RGB: quantize first so both sides see the same pixels.
    pixels = np.round((image[0].permute(1, 2, 0).numpy() + 0.5) * 255).astype(np.uint8)
    image = torch.from_numpy(pixels.astype(np.float32) / 255.0 - 0.5).permute(2, 0, 1)[None]
    np.save(os.path.join(out, 'pipeline_rgb.npy'), pixels)
    for name, side in (('left', [[1.0, 0.0]]), ('right', [[0.0, 1.0]])):
        obj, center, scale, coords, rel, peaks = pipeline(image, torch.tensor(side))
        save('pipeline_%s_center.npy' % name, center)
        save('pipeline_%s_scale.npy' % name, np.array([scale]))
        save('pipeline_%s_uv.npy' % name, coords)
        save('pipeline_%s_xyz.npy' % name, rel)
        save('pipeline_%s_peaks.npy' % name, peaks)
    save('pipeline_mask.npy', obj)

open(os.path.join(out, 'done'), 'w').write('ok')
