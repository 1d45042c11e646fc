"""Reference for the FreiHAND seed's PoseNetwork (freihand-resnet*), written by Debian's PyTorch (python3-torch 1.13).

Usage: /usr/bin/python3 make_freihand_references.py OUT_DIR
The class below is the seed's network as its README/issue #20 describes it: encoder = the torchvision ResNet's
children without avgpool and fc, decoder = 3 x [ConvTranspose2d(., 256, 4, 2, 1, bias=False), BatchNorm2d, ReLU]
+ Conv2d(256, joints, 1). Writes a seeded random-weight state dict (torch.save), a small input and its output.
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


class PoseNetwork(nn.Module):
    def __init__(self, resnet, joints=21):
        super().__init__()
        self.encoder = nn.Sequential(*list(resnet.children())[:-2])
        channels = resnet.fc.in_features
        layers = []
        for _ in range(3):
            layers += [nn.ConvTranspose2d(channels, 256, 4, 2, 1, 0, bias=False), nn.BatchNorm2d(256), nn.ReLU(inplace=True)]
            channels = 256
        layers.append(nn.Conv2d(256, joints, 1))
        self.decoder = nn.Sequential(*layers)

    def forward(self, x):
        return self.decoder(self.encoder(x))


torch.manual_seed(20)
model = PoseNetwork(torchvision.models.resnet18())
for m in model.modules():
    if isinstance(m, nn.BatchNorm2d):  # non-trivial statistics, so eval-mode batch norm is really exercised
        with torch.no_grad():
            m.running_mean.copy_(torch.randn_like(m.running_mean) * 0.1)
            m.running_var.copy_(torch.rand_like(m.running_var) + 0.5)
            m.weight.copy_(torch.rand_like(m.weight) + 0.5)
            m.bias.copy_(torch.randn_like(m.bias) * 0.1)
model.eval()
torch.save(model.state_dict(), os.path.join(out, "freihand_r18.pt"))
x = torch.randn(2, 3, 96, 128)
with torch.no_grad():
    y = model(x)
np.save(os.path.join(out, "freihand_r18_in.npy"), x.numpy())
np.save(os.path.join(out, "freihand_r18_out.npy"), y.numpy())
with open(os.path.join(out, "freihand_r18_names.txt"), "w") as f:
    f.write("\n".join(model.state_dict().keys()) + "\n")
with open(os.path.join(out, "done"), "w") as f:
    f.write("ok\n")
