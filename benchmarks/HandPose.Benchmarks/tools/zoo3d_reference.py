"""PyTorch side of Zoo3dBenchmarks: hand3d's HandSegNet (3x240x320), PoseNet (3x256x256), PosePrior + ViewpointNet
(21x32x32 + hand side) and DSF's stage-1 depth network (1x128x128), forward at batch 1 and 8 (eval, no grad), in
Debian's python3-torch with the same thread count; FLOPs by forward hooks (2 x multiply-accumulates of every
convolution, deconvolution and linear layer). Layer shapes as the official code; for timing, hand3d's strided 'SAME'
convolutions use symmetric padding (same work).

Usage: /usr/bin/python3 zoo3d_reference.py THREADS REPEATS. Prints "arch bN: median S s, min S s, flops F" lines.
"""
import os
import statistics
import sys
import time

import torch
import torch.nn as nn
import torchvision

threads = int(sys.argv[1]) if len(sys.argv) > 1 else 2
repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 3
torch.set_num_threads(threads)
torch.manual_seed(0)


def conv(cin, cout, k, s=1):
    return [nn.Conv2d(cin, cout, k, s, k // 2), nn.LeakyReLU(0.01)]


def vgg(blocks, widths, pools):
    layers, cin = [], 3
    for n, c, pool in zip(blocks, widths, pools):
        for _ in range(n):
            layers += conv(cin, c, 3)
            cin = c
        if pool:
            layers.append(nn.MaxPool2d(2, 2))
    return layers


segnet = nn.Sequential(*vgg([2, 2, 4, 4], [64, 128, 256, 512], [1, 1, 1, 0]), *conv(512, 512, 3), *conv(512, 128, 3),
                       *conv(128, 512, 1), nn.Conv2d(512, 2, 1), nn.Upsample((240, 320), mode='bilinear'))


class PoseNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc = nn.Sequential(*vgg([2, 2, 4, 2], [64, 128, 256, 512], [1, 1, 1, 0]), *conv(512, 256, 3), *conv(256, 256, 3),
                                 *conv(256, 256, 3), *conv(256, 256, 3), *conv(256, 128, 3))
        self.s1 = nn.Sequential(*conv(128, 512, 1), nn.Conv2d(512, 21, 1))
        self.stages = nn.ModuleList([nn.Sequential(*conv(149, 128, 7), *sum([conv(128, 128, 7) for _ in range(4)], []),
                                                   *conv(128, 128, 1), nn.Conv2d(128, 21, 1)) for _ in range(2)])

    def forward(self, x):
        e = self.enc(x)
        s = self.s1(e)
        for stage in self.stages:
            s = stage(torch.cat([s, e], 1))
        return s


class Prior(nn.Module):
    def __init__(self):
        super().__init__()
        def tower(widths):
            layers, cin = [], 21
            for c in widths:
                layers += conv(cin, c, 3) + conv(c, c, 3, 2)
                cin = c
            return nn.Sequential(*layers, nn.Flatten())
        self.pose, self.vp = tower([32, 64, 128]), tower([64, 128, 256])
        self.fc = nn.Sequential(nn.Linear(2050, 512), nn.LeakyReLU(0.01), nn.Linear(512, 512), nn.LeakyReLU(0.01), nn.Linear(512, 63))
        self.fcv = nn.Sequential(nn.Linear(4098, 256), nn.LeakyReLU(0.01), nn.Linear(256, 128), nn.LeakyReLU(0.01), nn.Linear(128, 3))

    def forward(self, maps, side):
        return self.fc(torch.cat([self.pose(maps), side], 1)), self.fcv(torch.cat([self.vp(maps), side], 1))


class Dsf(nn.Module):
    def __init__(self):
        super().__init__()
        r = torchvision.models.resnet18()
        self.body = nn.Sequential(nn.Conv2d(1, 64, 5, 1, 2, bias=False), nn.BatchNorm2d(64), nn.ReLU(), nn.MaxPool2d(3, 2, 1),
                                  r.layer1, r.layer2, r.layer3, r.layer4)
        layers, cin = [], 512
        for _ in range(3):
            layers += [nn.ConvTranspose2d(cin, 256, 4, 2, 1, bias=False), nn.BatchNorm2d(256), nn.ReLU()]
            cin = 256
        self.head = nn.Sequential(*layers)
        self.mano = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(512, 62))
        self.finals = nn.ModuleList([nn.Conv2d(256, 63, 1), nn.Conv2d(256, 21, 1)])

    def forward(self, x):
        c = self.body(x)
        f = self.head(c)
        return torch.cat([m(f) for m in self.finals], 1), self.mano(c)


models = {
    'hand3d-handsegnet': (segnet, lambda b: (torch.randn(b, 3, 240, 320),)),
    'hand3d-posenet': (PoseNet(), lambda b: (torch.randn(b, 3, 256, 256),)),
    'hand3d-poseprior': (Prior(), lambda b: (torch.randn(b, 21, 32, 32), torch.eye(2)[torch.zeros(b, dtype=torch.long)])),
    'dsf-depth-resnet18': (Dsf(), lambda b: (torch.randn(b, 1, 128, 128),)),
}
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from flop_hooks import MacCounter  # noqa: E402

only = sys.argv[3].split(',') if len(sys.argv) > 3 else list(models)
for name in only:
    model, make = models[name]
    model.eval()
    for batch in (1, 8):
        x = make(batch)
        flops = MacCounter().flops(model, *x)  # also the warm-up
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            with torch.no_grad():
                model(*x)
            times.append(time.perf_counter() - start)
        params = sum(p.numel() for p in model.parameters())
        print(f"{name} b{batch}: median {statistics.median(times):.4f} s, min {min(times):.4f} s, flops {flops}, params {params}", flush=True)
