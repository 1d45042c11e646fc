"""PyTorch side of TorchBenchmarks: Simple Baselines ResNet-18 (pose_resnet), 256x256, forward at batch 1 and 8 and
one Adam training step at batch 8, in Debian's python3-torch, same thread count; also the FLOP counts (forward hooks on
every convolution, deconvolution and linear layer: 2 x multiply-accumulates).

Usage: /usr/bin/python3 torch_reference.py THREADS REPEATS. Prints "name: median S s, min S s, flops F" lines.
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

body = torchvision.models.resnet18()
head = []
channels = 512
for _ in range(3):
    head += [nn.ConvTranspose2d(channels, 256, 4, 2, 1, 0, bias=False), nn.BatchNorm2d(256), nn.ReLU(inplace=True)]
    channels = 256
model = nn.Sequential(*list(body.children())[:-2], *head, nn.Conv2d(256, 21, 1))

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), 'tools'))
from flop_hooks import MacCounter  # noqa: E402


def forward_flops(batch):
    model.eval()
    return MacCounter().flops(model, torch.randn(batch, 3, 256, 256))


x8 = torch.randn(8, 3, 256, 256)
x1 = torch.randn(1, 3, 256, 256)
target = torch.randn(8, 21, 64, 64)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, foreach=False)


def train_step():
    optimizer.zero_grad()
    nn.functional.mse_loss(model(x8), target).backward()
    optimizer.step()


def forward(x):
    with torch.no_grad():
        model(x)


def measure(name, fn, train, flops):
    model.train(train)
    fn()  # warm-up
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    print(f"{name}: median {statistics.median(times):.4f} s, min {min(times):.4f} s, flops {flops}", flush=True)


f1 = forward_flops(1)
f8 = forward_flops(8)
# A training step: the forward, then the backward's input and weight gradients (2 x forward); the first convolution
# needs no input gradient.
first = 2 * 8 * 128 * 128 * 64 * 3 * 7 * 7
measure("pytorch forward b1", lambda: forward(x1), False, f1)
measure("pytorch forward b8", lambda: forward(x8), False, f8)
measure("pytorch train b8", train_step, True, 3 * f8 - first)
