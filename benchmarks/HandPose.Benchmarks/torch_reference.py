"""PyTorch timing of the same steps as TorchBenchmarks (Simple Baselines ResNet-18, 256x256, batch 8, Adam).

Usage: /usr/bin/python3 torch_reference.py [THREADS] [REPEATS]. Prints one line per measurement (median seconds).
Debian's python3-torch uses the same libtorch 1.13 build as HandPose.Torch's shim.
"""
import statistics
import sys
import time

import torch
import torch.nn as nn
import torchvision

threads = int(sys.argv[1]) if len(sys.argv) > 1 else 1
repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 5
torch.set_num_threads(threads)
torch.manual_seed(0)

body = torchvision.models.resnet18()
head = []
channels = 512
for _ in range(3):
    head += [nn.ConvTranspose2d(channels, 256, 4, 2, 1, 0, bias=False), nn.BatchNorm2d(256), nn.ReLU(inplace=True)]
    channels = 256
model = nn.Sequential(*list(body.children())[:-2], *head, nn.Conv2d(256, 21, 1))
x = torch.randn(8, 3, 256, 256)
target = torch.randn(8, 21, 64, 64)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, foreach=False)


def train_step():
    optimizer.zero_grad()
    loss = nn.functional.mse_loss(model(x), target)
    loss.backward()
    optimizer.step()


def inference():
    with torch.no_grad():
        model(x)


def measure(name, fn, train):
    model.train(train)
    fn()  # warm-up
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    print(f"{name}: median {statistics.median(times):.4f} s, min {min(times):.4f} s over {repeats} (threads {threads})", flush=True)


measure("pytorch train_step", train_step, True)
measure("pytorch inference", inference, False)
