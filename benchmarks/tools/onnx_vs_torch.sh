#!/usr/bin/env bash
# Side by side: OnnxBenchmarks.SimpleBaselinesResNet18 (BenchmarkDotNet, ONNX Runtime through HandPose.Onnx) and
# PyTorch eager (torch_eager_bench.py) with the same thread counts, in one session: ORT, torch, ORT again, so load
# drift on a shared machine shows. Prints the load average before each step.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
ort() {
  echo "== load: $(cut -d' ' -f1-3 /proc/loadavg)"
  dotnet run -c Release --project benchmarks/HandPose.Benchmarks -- --filter '*OnnxBenchmarks.SimpleBaselines*' --job short \
    | grep -E '^\| (Method|SimpleBaselines)'
}
ort
for t in 1 2; do
  echo "== load: $(cut -d' ' -f1-3 /proc/loadavg)"
  /usr/bin/python3 benchmarks/tools/torch_eager_bench.py "$t" 20 2>/dev/null
done
ort
