"""PyTorch side of Zoo2dBenchmarks: forward (eval, no grad) of CPM, NSRM G1&6 and HandyPose at batch 1 and 8 in
Debian's python3-torch with the same thread count, and each network's FLOPs (forward hooks on every convolution:
2 x multiply-accumulates). The networks are the independent PyTorch implementations of the parity tests
(tests/HandPose.Torch.Tests/TestData/tools/make_zoo2d_references.py), imported by path.

Usage: /usr/bin/python3 zoo2d_reference.py REPO_ROOT THREADS REPEATS SIZE
Prints "name batch B: median S s, min S s, flops F" lines.
"""
import importlib.util
import os
import statistics
import sys
import time

import torch
import torch.nn as nn

root, threads, repeats, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
spec = importlib.util.spec_from_file_location(
    "zoo", os.path.join(root, "tests", "HandPose.Torch.Tests", "TestData", "tools", "make_zoo2d_references.py"))
zoo = importlib.util.module_from_spec(spec)
spec.loader.exec_module(zoo)
torch.set_num_threads(threads)
torch.manual_seed(0)

macs = [0]


def count(module, inputs, output):
    if isinstance(module, nn.Conv2d):
        macs[0] += output.numel() * module.in_channels // module.groups * module.kernel_size[0] * module.kernel_size[1]


for name, make in [("cpm", zoo.CPMHand), ("nsrm-lpm-g1g6", lambda: zoo.CPMHandLimb(7)), ("handypose", zoo.HandyPose)]:
    model = make().eval()
    handles = [m.register_forward_hook(count) for m in model.modules()]
    macs[0] = 0
    with torch.no_grad():
        model(torch.randn(1, 3, size, size))
    for h in handles:
        h.remove()
    flops = 2 * macs[0]
    for batch in (1, 8):
        x = torch.randn(batch, 3, size, size)
        times = []
        with torch.no_grad():
            model(x)  # warm-up
            for _ in range(repeats):
                t = time.perf_counter()
                model(x)
                times.append(time.perf_counter() - t)
        print("%s batch %d: median %.4f s, min %.4f s, flops %d" % (name, batch, statistics.median(times), min(times), flops * batch),
              flush=True)
