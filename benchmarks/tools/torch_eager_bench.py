#!/usr/bin/python3
"""PyTorch 1.13 eager reference timing for OnnxBenchmarks.SimpleBaselinesResNet18 (Debian python3-torch).

usage: torch_eager_bench.py THREADS [ITERATIONS]
Builds the same Simple Baselines ResNet-18 as tests/HandPose.Onnx.Tests/TestData/tools/make_models.py, runs 224x224
batch 1 under torch.no_grad() with torch.set_num_threads(THREADS), prints mean/median ms per forward.
"""
import os, sys, time, statistics
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "tests", "HandPose.Onnx.Tests", "TestData", "tools"))
import torch
from make_models import SimpleBaselines

threads = int(sys.argv[1])
iterations = int(sys.argv[2]) if len(sys.argv) > 2 else 40
torch.manual_seed(1234)
torch.set_num_threads(threads)
model = SimpleBaselines().eval()
x = torch.rand(1, 3, 224, 224)
times = []
with torch.no_grad():
    for _ in range(5):
        model(x)
    for _ in range(iterations):
        t = time.perf_counter()
        model(x)
        times.append((time.perf_counter() - t) * 1000)
print(f"torch {torch.__version__} eager, {threads} thread(s), {iterations} runs: "
      f"mean {statistics.mean(times):.2f} ms, median {statistics.median(times):.2f} ms, min {min(times):.2f} ms")
