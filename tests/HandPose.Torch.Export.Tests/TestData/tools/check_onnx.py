#!/usr/bin/python3
"""Checks ONNX files with the ONNX reference checker (Debian's python3-onnx), as a test tool of HandPose.Torch.Export.

Usage: check_onnx.py MODEL.onnx [...]. For each file: onnx.checker.check_model with full_check (types and shapes
inferred through the whole graph), then prints the opset, the IR version and each graph output's inferred shape.
Exits 1 with the checker's message on the first invalid file.
"""
import sys

import onnx


def main(paths):
    for path in paths:
        model = onnx.load(path)
        try:
            onnx.checker.check_model(model, full_check=True)
        except onnx.checker.ValidationError as e:
            print(f"{path}: {e}", file=sys.stderr)
            return 1
        inferred = onnx.shape_inference.infer_shapes(model, strict_mode=True)
        opset = {o.domain or "ai.onnx": o.version for o in model.opset_import}
        print(f"{path}: ok ir={model.ir_version} opset={opset['ai.onnx']}")
        for out in inferred.graph.output:
            dims = [d.dim_param or str(d.dim_value) for d in out.type.tensor_type.shape.dim]
            print(f"  {out.name} [{', '.join(dims)}]")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
