#!/usr/bin/python3
"""Reference models and tensors for HandPose.Onnx tests (test tooling only; Debian's python3-torch 1.13).

  make_models.py small OUTDIR     small parity net (dilated convs, bilinear resize, concat, PReLU, pooling)
                                  + trivial.onnx (y = x + 1, for binding-overhead benchmarks)
  make_models.py resnet OUTDIR    Simple Baselines ResNet-18 (21 heatmaps at 56x56 from 224x224), ~60 MB

Each model X gets X.onnx, X.input.npy and X.output.npy (PyTorch eager output, float32). Seeded: reruns give
identical files on the same torch build.
"""
import sys, os
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


class SmallNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(3, 8, 3, padding=1)
        self.act = nn.PReLU(8)
        self.d2 = nn.Conv2d(8, 8, 3, padding=2, dilation=2)
        self.d4 = nn.Conv2d(8, 8, 3, padding=4, dilation=4)
        self.mix = nn.Conv2d(16, 5, 1)

    def forward(self, x):
        y = self.act(self.stem(x))
        y = F.max_pool2d(y, 2)
        a = F.relu(self.d2(y))
        b = F.avg_pool2d(F.relu(self.d4(y)), 2)
        b = F.interpolate(b, size=a.shape[-2:], mode="bilinear", align_corners=False)
        z = torch.cat([a, b], dim=1)
        z = self.mix(z)
        return F.interpolate(z, scale_factor=2.0, mode="bilinear", align_corners=False)


class SimpleBaselines(nn.Module):
    """ResNet-18 body + 3 x (ConvTranspose 4x4 s2 p1, no bias, BN, ReLU) + 1x1 conv to 21 heatmaps."""

    def __init__(self, joints=21):
        super().__init__()
        import torchvision
        r = torchvision.models.resnet18()
        self.body = nn.Sequential(r.conv1, r.bn1, r.relu, r.maxpool, r.layer1, r.layer2, r.layer3, r.layer4)
        layers, cin = [], 512
        for _ in range(3):
            layers += [nn.ConvTranspose2d(cin, 256, 4, stride=2, padding=1, output_padding=0, bias=False),
                       nn.BatchNorm2d(256, momentum=0.1), nn.ReLU(inplace=True)]
            cin = 256
        self.deconv = nn.Sequential(*layers)
        self.final = nn.Conv2d(256, joints, 1)

    def forward(self, x):
        return self.final(self.deconv(self.body(x)))


def randomize_bn(model, gen):
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.running_mean.copy_(torch.randn(m.num_features, generator=gen) * 0.1)
            m.running_var.copy_(torch.rand(m.num_features, generator=gen) + 0.5)


def export(model, x, outdir, name, dynamic_batch=False):
    model.eval()
    with torch.no_grad():
        y = model(x)
    path = os.path.join(outdir, name + ".onnx")
    axes = {"input": {0: "batch"}, "output": {0: "batch"}} if dynamic_batch else None
    torch.onnx.export(model, x, path, input_names=["input"], output_names=["output"], opset_version=13,
                      dynamic_axes=axes, do_constant_folding=True)
    np.save(os.path.join(outdir, name + ".input.npy"), x.numpy().astype(np.float32))
    np.save(os.path.join(outdir, name + ".output.npy"), y.numpy().astype(np.float32))


def trivial(outdir):
    import onnx
    from onnx import helper, TensorProto
    one = helper.make_tensor("one", TensorProto.FLOAT, [], [1.0])
    node = helper.make_node("Add", ["x", "one"], ["y"])
    graph = helper.make_graph([node], "trivial", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 16])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 16])], [one])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], producer_name="handpose-tests")
    model.ir_version = 8
    helper.set_model_props(model, {"handpose.kind": "trivial", "handpose.note": "y = x + 1"})
    onnx.checker.check_model(model)
    onnx.save(model, os.path.join(outdir, "trivial.onnx"))


def main():
    what, outdir = sys.argv[1], sys.argv[2]
    os.makedirs(outdir, exist_ok=True)
    torch.manual_seed(1234)
    torch.set_num_threads(1)
    gen = torch.Generator().manual_seed(1234)
    if what == "small":
        net = SmallNet()
        with torch.no_grad():
            net.act.weight.copy_(torch.linspace(0.05, 0.4, 8))
        export(net, torch.randn(2, 3, 24, 20, generator=gen), outdir, "small_net", dynamic_batch=True)
        trivial(outdir)
    elif what == "resnet":
        net = SimpleBaselines()
        randomize_bn(net, gen)
        export(net, torch.randn(1, 3, 224, 224, generator=gen), outdir, "simple_baselines_r18")
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main()
