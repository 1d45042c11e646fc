"""Reference outputs for HandPose.Torch's parity tests, written by Debian's PyTorch (python3-torch 1.13, torchvision).

Usage: /usr/bin/python3 make_references.py OUT_DIR
Writes seeded random-weight models (torch.save state dicts), inputs and outputs as .npy, and optimizer-step results.
Nothing here is committed: the tests run this script into the setup cache when its outputs are missing.
"""
import os
import sys

import numpy as np
import torch
import torch.nn as nn
import torchvision

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
torch.set_num_threads(1)


def randomize_bn(model):
    # Non-trivial running statistics, so evaluation-mode batch norm is really exercised.
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            with torch.no_grad():
                m.running_mean.copy_(torch.randn_like(m.running_mean) * 0.1)
                m.running_var.copy_(torch.rand_like(m.running_var) + 0.5)
                m.weight.copy_(torch.rand_like(m.weight) + 0.5)
                m.bias.copy_(torch.randn_like(m.bias) * 0.1)


class PoseResNet(nn.Module):
    """Simple Baselines' pose_resnet (lib/models/pose_resnet.py names): torchvision body + 3 deconvs + final 1x1."""

    def __init__(self, joints=21):
        super().__init__()
        body = torchvision.models.resnet18()
        for name in ["conv1", "bn1", "relu", "maxpool", "layer1", "layer2", "layer3", "layer4"]:
            setattr(self, name, getattr(body, name))
        layers = []
        inplanes = 512
        for _ in range(3):
            layers += [nn.ConvTranspose2d(inplanes, 256, 4, 2, 1, 0, bias=False), nn.BatchNorm2d(256), nn.ReLU(inplace=True)]
            inplanes = 256
        self.deconv_layers = nn.Sequential(*layers)
        self.final_layer = nn.Conv2d(256, joints, 1, 1, 0)

    def forward(self, x):
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        x = self.layer4(self.layer3(self.layer2(self.layer1(x))))
        return self.final_layer(self.deconv_layers(x))


def save_model(name, model, shape, seed):
    torch.manual_seed(seed)
    randomize_bn(model)
    model.eval()
    torch.save(model.state_dict(), os.path.join(out, name + ".pt"))
    x = torch.randn(*shape)
    with torch.no_grad():
        y = model(x)
    np.save(os.path.join(out, name + "_in.npy"), x.numpy())
    np.save(os.path.join(out, name + "_out.npy"), y.numpy())


torch.manual_seed(1)
save_model("resnet18", torchvision.models.resnet18(), (2, 3, 224, 224), 11)
torch.manual_seed(2)
save_model("resnet50", torchvision.models.resnet50(), (1, 3, 224, 224), 12)
torch.manual_seed(3)
save_model("sb_r18", PoseResNet(), (1, 3, 256, 256), 13)


def small_net():
    return nn.Sequential(
        nn.Conv2d(3, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU(),
        nn.Conv2d(8, 4, 3, stride=2, padding=1), nn.ReLU(),
        nn.Flatten(), nn.Linear(4 * 4 * 4, 5))


torch.manual_seed(4)
net = small_net()
torch.save(net.state_dict(), os.path.join(out, "small_init.pt"))
x = torch.randn(6, 3, 8, 8)
target = torch.randn(6, 5)
np.save(os.path.join(out, "small_in.npy"), x.numpy())
np.save(os.path.join(out, "small_target.npy"), target.numpy())
for name, make in [
    ("sgd", lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9, nesterov=True, weight_decay=1e-4, foreach=False)),
    ("adam", lambda p: torch.optim.Adam(p, lr=1e-2, weight_decay=1e-4, foreach=False)),
    ("adamw", lambda p: torch.optim.AdamW(p, lr=1e-2, weight_decay=1e-2, foreach=False)),
]:
    model = small_net()
    model.load_state_dict(torch.load(os.path.join(out, "small_init.pt")))
    model.train()
    opt = make(model.parameters())
    for _ in range(2):
        opt.zero_grad()
        loss = nn.functional.mse_loss(model(x), target)
        loss.backward()
        opt.step()
    torch.save(model.state_dict(), os.path.join(out, name + "_after.pt"))

with open(os.path.join(out, "done"), "w") as f:
    f.write(torch.__version__)
