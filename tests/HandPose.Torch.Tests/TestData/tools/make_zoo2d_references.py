"""Reference weights and outputs for the 2D zoo's parity tests (CPM, NSRM, HandyPose), by Debian's PyTorch 1.13.

Usage: /usr/bin/python3 make_zoo2d_references.py OUT_DIR NAME [estimate IMAGE_NPY CX CY W H ROT SIZE]
NAME: cpm | nsrm_g1 | nsrm_g6 | nsrm_g1g6 | handypose
Writes NAME.pt (torch.save state dict, random weights incl. BatchNorm statistics), NAME_in.npy and one
NAME_<output>.npy per official output. With "estimate", also runs the 2D estimator pipeline on an RGB image
(H x W x 3 uint8 .npy): crop of the rotated box (centre, size, rotation in radians; enlarged to a square) to
SIZE x SIZE by bilinear sampling with a black border, the architecture's normalisation (NSRM/CPM: RGB ImageNet;
HandyPose: BGR, (v - 128) / 256), the final heatmaps, the arg-max (first maximum in row-major order) and the
mapping back to image pixels; writes est_crop.npy, est_heatmaps.npy, est_keypoints.npy (K x 2). The networks are written here from our reading of the official code
(HowieMa/NSRMhand CPM/cpm.py and model/cpm_limb.py; D1vyansh/HandyPose model/modules/backbone/resnet.py and
model/modules/wasp2mlf.py), independently of the C# port; module names follow the official attribute names so
the state dict has the official keys. The weights of one network are 150-190 MB, so the tests generate one
network at a time into a temporary folder and delete it afterwards; nothing here is committed.
"""
import math
import os
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F



# ---------------------------------------------------------------- NSRMhand: CPM baseline and NSRM

def vgg19_first_27():
    """torchvision vgg19().features[:27]: conv1_1 .. conv4_4 with ReLUs and three 2x2 max-pools."""
    layers, c = [], 3
    for v in [64, 64, "M", 128, 128, "M", 256, 256, 256, 256, "M", 512, 512, 512, 512]:
        if v == "M":
            layers.append(nn.MaxPool2d(2, 2))
        else:
            layers += [nn.Conv2d(c, v, 3, padding=1), nn.ReLU(inplace=True)]
            c = v
    return nn.Sequential(*layers)


class Backbone(nn.Module):
    def __init__(self):
        super().__init__()
        self.backbone = vgg19_first_27()
        self.conv5_1 = nn.Conv2d(512, 512, 3, padding=1)
        self.conv5_2 = nn.Conv2d(512, 512, 3, padding=1)
        self.conv5_3 = nn.Conv2d(512, 128, 3, padding=1)

    def forward(self, x):
        x = self.backbone(x)
        for conv in (self.conv5_1, self.conv5_2, self.conv5_3):
            x = F.relu(conv(x))
        return x


class Block7(nn.Module):
    def __init__(self, cin):
        super().__init__()
        self.conv = nn.Conv2d(cin, 128, 7, padding=3)

    def forward(self, x):
        return self.conv(x)


class StageT(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        for i in range(1, 6):
            setattr(self, "Mconv%d" % i, Block7(cin if i == 1 else 128))
        self.Mconv6 = nn.Conv2d(128, 128, 1)
        self.Mconv7 = nn.Conv2d(128, cout, 1)

    def forward(self, x):
        for i in range(1, 6):
            x = F.relu(getattr(self, "Mconv%d" % i)(x))
        return self.Mconv7(F.relu(self.Mconv6(x)))


class StageOne(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.stage1_1 = nn.Conv2d(cin, 512, 1)
        self.stage1_2 = nn.Conv2d(512, cout, 1)

    def forward(self, x):
        return self.stage1_2(F.relu(self.stage1_1(x)))


class CPMHand(nn.Module):
    def __init__(self, k=21):
        super().__init__()
        self.vgg19 = Backbone()
        self.stage1 = StageOne(128, k)
        for t in range(2, 7):
            setattr(self, "stage%d" % t, StageT(128 + k, k))

    def forward(self, x):
        f = self.vgg19(x)
        outs = [self.stage1(f)]
        for t in range(2, 7):
            outs.append(getattr(self, "stage%d" % t)(torch.cat([f, outs[-1]], 1)))
        return (torch.stack(outs, 1),)


class CPMHandLimb(nn.Module):
    def __init__(self, c, k=21):
        super().__init__()
        self.vgg19 = Backbone()
        self.stage1 = StageOne(128, c)
        self.stage2 = StageT(128 + c, c)
        self.stage3 = StageT(128 + c, c)
        self.stage4 = StageT(128 + c, k)
        self.stage5 = StageT(128 + c + k, k)
        self.stage6 = StageT(128 + c + k, k)

    def forward(self, x):
        f = self.vgg19(x)
        s1 = self.stage1(f)
        s2 = self.stage2(torch.cat([f, s1], 1))
        s3 = self.stage3(torch.cat([f, s2], 1))
        k1 = self.stage4(torch.cat([f, s3], 1))
        k2 = self.stage5(torch.cat([f, s3, k1], 1))
        k3 = self.stage6(torch.cat([f, s3, k2], 1))
        return torch.stack([s1, s2, s3], 1).sigmoid(), torch.stack([k1, k2, k3], 1)


# ---------------------------------------------------------------- HandyPose (multi-level WASPv2)

class Bottleneck(nn.Module):
    def __init__(self, cin, width, stride=1, dilation=1, downsample=None):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, width, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(width)
        self.conv2 = nn.Conv2d(width, width, 3, stride=stride, padding=dilation, dilation=dilation, bias=False)
        self.bn2 = nn.BatchNorm2d(width)
        self.conv3 = nn.Conv2d(width, width * 4, 1, bias=False)
        self.bn3 = nn.BatchNorm2d(width * 4)
        self.downsample = downsample

    def forward(self, x):
        y = F.relu(self.bn1(self.conv1(x)))
        y = F.relu(self.bn2(self.conv2(y)))
        y = self.bn3(self.conv3(y))
        return F.relu(y + (x if self.downsample is None else self.downsample(x)))


class DilatedResNet101(nn.Module):
    """Output stride 16: strides 1,2,2,1; layer4 a multi-grid unit with dilations 2, 4, 8."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 64, 7, stride=2, padding=3, bias=False)
        self.bn1 = nn.BatchNorm2d(64)
        self.maxpool = nn.MaxPool2d(3, 2, 1)
        self.cin = 64
        self.layer1 = self.make(64, [1, 1, 1], 1)
        self.layer2 = self.make(128, [1] * 4, 2)
        self.layer3 = self.make(256, [1] * 23, 2)
        self.layer4 = self.make(512, [2, 4, 8], 1)

    def make(self, width, dilations, stride):
        down = None
        if stride != 1 or self.cin != width * 4:
            down = nn.Sequential(nn.Conv2d(self.cin, width * 4, 1, stride=stride, bias=False), nn.BatchNorm2d(width * 4))
        blocks = [Bottleneck(self.cin, width, stride, dilations[0], down)]
        self.cin = width * 4
        blocks += [Bottleneck(self.cin, width, 1, d) for d in dilations[1:]]
        return nn.Sequential(*blocks)

    def forward(self, x):
        x = self.maxpool(F.relu(self.bn1(self.conv1(x))))
        l1 = self.layer1(x)
        l2 = self.layer2(l1)
        l3 = self.layer3(l2)
        return self.layer4(l3), l1, l2, l3


class Atrous(nn.Module):
    def __init__(self, cin, cout, k, dilation):
        super().__init__()
        pad = 0 if k == 1 else dilation
        self.atrous_conv = nn.Conv2d(cin, cout, k, padding=pad, dilation=dilation, bias=False)
        self.bn = nn.BatchNorm2d(cout)

    def forward(self, x):
        return F.relu(self.bn(self.atrous_conv(x)))


def up(x, size):
    return F.interpolate(x, size=size, mode="bilinear", align_corners=True)


class WASPv2MLF(nn.Module):
    def __init__(self, k=21):
        super().__init__()
        self.aspp1 = Atrous(2048, 256, 1, 1)
        self.aspp2 = Atrous(304, 256, 3, 6)
        self.aspp3 = Atrous(304, 256, 3, 12)
        self.aspp4 = Atrous(304, 256, 3, 18)
        self.global_avg_pool = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Conv2d(2048, 256, 1, bias=False),
                                             nn.BatchNorm2d(256), nn.ReLU())
        self.conv1 = nn.Conv2d(1280, 256, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(256)
        self.conv1_low = nn.Conv2d(256, 48, 1, bias=False)
        self.conv1_lower = nn.Conv2d(512, 48, 1, bias=False)
        self.conv1_lowest = nn.Conv2d(1024, 48, 1, bias=False)
        self.bn1_low = nn.BatchNorm2d(48)  # shared by the three reductions, as in the official module
        self.conv2 = nn.Conv2d(256, 48, 1, bias=False)  # present in the official state dict, unused
        self.bn2 = nn.BatchNorm2d(48)  # likewise
        self.last_conv = nn.Sequential(
            nn.Conv2d(400, 256, 3, padding=1, bias=False), nn.BatchNorm2d(256), nn.ReLU(),
            nn.Conv2d(256, 256, 3, padding=1, bias=False), nn.BatchNorm2d(256), nn.ReLU(),
            nn.Conv2d(256, k, 1))

    def forward(self, x, l1, l2, l3):
        l1 = F.relu(self.bn1_low(self.conv1_low(l1)))
        l2 = F.relu(self.bn1_low(self.conv1_lower(l2)))
        l3 = F.relu(self.bn1_low(self.conv1_lowest(l3)))
        s = x.shape[2:]
        x1 = self.aspp1(x)
        x2 = self.aspp2(torch.cat([x1, up(l1, s)], 1))
        x3 = self.aspp3(torch.cat([x2, up(l2, s)], 1))
        x4 = self.aspp4(torch.cat([x3, up(l3, s)], 1))
        x5 = up(self.global_avg_pool(x), s)
        y = F.relu(self.bn1(self.conv1(torch.cat([x1, x2, x3, x4, x5], 1))))
        l1 = F.max_pool2d(l1, 3, 2, 1)
        t = l1.shape[2:]
        y = torch.cat([up(y, t), up(l1, t), up(l2, t), up(l3, t)], 1)
        return self.last_conv(y)


class HandyPose(nn.Module):
    def __init__(self):
        super().__init__()
        self.backbone = DilatedResNet101()
        self.wasp = WASPv2MLF()

    def forward(self, x):
        return (self.wasp(*self.backbone(x)),)


# ---------------------------------------------------------------- random weights and references

def randomize(model):
    """Variance-preserving random weights (outputs stay O(1) through deep cascades) and non-trivial BN statistics."""
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, nn.Conv2d):
                fan_in = m.weight.shape[1] * m.weight.shape[2] * m.weight.shape[3]
                m.weight.normal_(0, math.sqrt(2.0 / fan_in))
                if m.bias is not None:
                    m.bias.uniform_(-0.1, 0.1)
            elif isinstance(m, nn.BatchNorm2d):
                m.running_mean.copy_(torch.randn_like(m.running_mean) * 0.1)
                m.running_var.copy_(torch.rand_like(m.running_var) + 0.5)
                m.weight.copy_(torch.rand_like(m.weight) + 0.5)
                m.bias.copy_(torch.randn_like(m.bias) * 0.1)
                m.num_batches_tracked.fill_(7)
        for m in model.modules():
            if isinstance(m, Bottleneck):  # small residual branches keep 33 stacked blocks from blowing up
                m.bn3.weight.mul_(0.2)


CASES = {
    "cpm": (lambda: CPMHand(), (2, 3, 64, 72), ["stages"]),
    "nsrm_g1": (lambda: CPMHandLimb(1), (1, 3, 64, 64), ["structure", "keypoints"]),
    "nsrm_g6": (lambda: CPMHandLimb(6), (1, 3, 64, 64), ["structure", "keypoints"]),
    "nsrm_g1g6": (lambda: CPMHandLimb(7), (2, 3, 56, 64), ["structure", "keypoints"]),
    "handypose": (lambda: HandyPose(), (2, 3, 80, 96), ["output"]),
}

def crop(image, cx, cy, w, h, rot, size):
    """Destination point (u, v) (continuous, pixel centres at +0.5) samples centre + R(rot) ((u/size - 0.5) w, ...)."""
    side = max(w, h)  # square input: the shorter side grows to the aspect ratio 1
    c, s_ = math.cos(rot), math.sin(rot)
    g = (np.arange(size, dtype=np.float64) + 0.5) / size - 0.5
    dx, dy = np.meshgrid(g * side, g * side)
    sx = cx + c * dx - s_ * dy - 0.5  # pixel-index coordinates: integer = pixel centre
    sy = cy + s_ * dx + c * dy - 0.5
    x0, y0 = np.floor(sx).astype(np.int64), np.floor(sy).astype(np.int64)
    fx, fy = sx - x0, sy - y0
    img = image.astype(np.float64)
    hgt, wid = img.shape[:2]
    outp = np.zeros((size, size, 3))
    for j, wy in ((0, 1 - fy), (1, fy)):
        for i, wx in ((0, 1 - fx), (1, fx)):
            xx, yy = x0 + i, y0 + j
            ok = (xx >= 0) & (xx < wid) & (yy >= 0) & (yy < hgt)
            vals = img[np.clip(yy, 0, hgt - 1), np.clip(xx, 0, wid - 1)]
            outp += (wx * wy * ok)[..., None] * vals
    return outp, side




def main():
    torch.set_num_threads(1)
    out, name = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    make, shape, names = CASES[name]
    torch.manual_seed(17)
    model = make()
    randomize(model)
    model.eval()
    x = torch.randn(*shape)
    with torch.no_grad():
        ys = model(x)
    torch.save(model.state_dict(), os.path.join(out, name + ".pt"))
    np.save(os.path.join(out, name + "_in.npy"), x.numpy())
    for n, y in zip(names, ys):
        np.save(os.path.join(out, "%s_%s.npy" % (name, n)), y.numpy())
    if len(sys.argv) > 3 and sys.argv[3] == "estimate":
        image = np.load(sys.argv[4])
        cx, cy, w, h, rot = (float(v) for v in sys.argv[5:10])
        size = int(sys.argv[10])
        pixels, side = crop(image, cx, cy, w, h, rot, size)
        if name == "handypose":
            x = (pixels[..., ::-1] - 128.0) / 256.0
        else:
            x = (pixels / 255.0 - np.array([0.485, 0.456, 0.406])) / np.array([0.229, 0.224, 0.225])
        x = torch.from_numpy(np.ascontiguousarray(x.transpose(2, 0, 1)[None]).astype(np.float32))
        with torch.no_grad():
            ys = model(x)
        heat = ys[-1]
        heat = heat[:, -1] if heat.dim() == 5 else heat
        heat = heat[0].numpy()
        k, hh, ww = heat.shape
        flat = heat.reshape(k, -1).argmax(1)  # numpy: the first maximum in row-major order
        hx, hy = flat % ww + 0.5, flat // ww + 0.5
        u, v = hx * size / ww, hy * size / hh
        c, s_ = math.cos(rot), math.sin(rot)
        dx, dy = (u / size - 0.5) * side, (v / size - 0.5) * side
        kp = np.stack([cx + c * dx - s_ * dy, cy + s_ * dx + c * dy], 1)
        np.save(os.path.join(out, "est_crop.npy"), x.numpy())
        np.save(os.path.join(out, "est_heatmaps.npy"), heat)
        np.save(os.path.join(out, "est_keypoints.npy"), kp)

    with open(os.path.join(out, name + ".done"), "w") as f:
        f.write(torch.__version__)


if __name__ == "__main__":
    main()
