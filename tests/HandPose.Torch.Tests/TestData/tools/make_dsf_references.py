"""Reference outputs for HandPose.Torch's DSF tests, written by Debian's PyTorch 1.13 (torchvision's ResNet-18 blocks).

Usage: /usr/bin/python3 make_dsf_references.py OUT_DIR

An independent PyTorch implementation of DSF's stage-1 depth network with the official names (PengfeiRen96/DSF
model/backbone.py MANO_OCR_stage('ResNet_stage_18', 21, refine=False) at 5625910) and of its joint decoding
(offset2joint_softmax). Seeded random weights, BatchNorm running statistics included, saved as a float16 state dict
(values rounded to float16 first, so nothing is lost; half the disk). Written into a temporary folder by the tests.
"""
import os
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
torch.set_num_threads(1)


def deconv(cin):
    return nn.Sequential(nn.ConvTranspose2d(cin, 256, 4, 2, 1, 0, bias=False), nn.BatchNorm2d(256, momentum=0.1), nn.ReLU(inplace=True))


class DsfStage1(nn.Module):
    def __init__(self, joints=21):
        super().__init__()
        self.pre = nn.Sequential(nn.Conv2d(1, 64, 5, 1, 2, bias=False), nn.BatchNorm2d(64, momentum=0.1), nn.ReLU(inplace=True),
                                 nn.MaxPool2d(3, 2, 1))
        r = torchvision.models.resnet18()
        self.layer1, self.layer2, self.layer3, self.layer4 = r.layer1, r.layer2, r.layer3, r.layer4
        self.mano_regress = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(512, 62))
        self.deconv_layer4 = deconv(512)
        self.deconv_layer3 = deconv(256)
        self.deconv_layer2 = deconv(256)
        self.finals = nn.ModuleList([nn.Conv2d(256, joints * 3, 1, 1), nn.Conv2d(256, joints, 1, 1)])

    def forward(self, img):
        c4 = self.layer4(self.layer3(self.layer2(self.layer1(self.pre(img)))))
        mano = self.mano_regress(c4)
        f = self.deconv_layer2(self.deconv_layer3(self.deconv_layer4(c4)))
        return torch.cat([layer(f) for layer in self.finals], 1), mano


def offset2joint_softmax(offset, depth, kernel_size, scale=30):
    b, c, fs, _ = offset.size()
    j = c // 4
    if depth.size(-1) != fs:
        depth = F.interpolate(depth, size=[fs, fs])
    unit = offset[:, :j * 3]
    heat = offset[:, j * 3:]
    mesh_x = 2.0 * (torch.arange(fs).unsqueeze(1).expand(fs, fs).float() + 0.5) / fs - 1.0
    mesh_y = 2.0 * (torch.arange(fs).unsqueeze(0).expand(fs, fs).float() + 0.5) / fs - 1.0
    coords = torch.stack((mesh_y, mesh_x), dim=0).unsqueeze(0).repeat(b, 1, 1, 1)
    coords = torch.cat((coords, depth), dim=1).repeat(1, j, 1, 1).view(b, j, 3, -1)
    mask = depth.lt(0.99).float().view(b, 1, fs, fs)
    unit = (unit * mask).view(b, j, 3, -1)
    heat = (heat * mask).view(b, j, -1)
    w = F.softmax(heat * scale, dim=-1)
    dist = kernel_size - heat * kernel_size
    return torch.sum((unit * dist.unsqueeze(2).repeat(1, 1, 3, 1) + coords) * w.unsqueeze(2).repeat(1, 1, 3, 1), dim=-1)


torch.manual_seed(51)
net = DsfStage1()
with torch.no_grad():
    for name, p in net.named_parameters():
        p.copy_(torch.randn_like(p) * (0.05 if name.endswith('bias') else (2.0 / p[0].numel()) ** 0.5))
        p.copy_(p.half().float())
    for m in net.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.running_mean.copy_((torch.randn_like(m.running_mean) * 0.1).half().float())
            m.running_var.copy_((torch.rand_like(m.running_var) + 0.5).half().float())
net.eval()
torch.save({k: (v.half() if v.is_floating_point() else v) for k, v in net.state_dict().items()}, os.path.join(out, 'dsf.pt'))
depth = torch.ones(2, 1, 128, 128)
depth[:, :, 30:100, 40:90] = torch.rand(2, 1, 70, 50) * 0.6 - 0.3  # a hand-sized foreground blob, background at the far plane
with torch.no_grad():
    dense, mano = net(depth)
    joints = offset2joint_softmax(dense, depth, 0.8)
for name, a in (('dsf_in', depth), ('dsf_out', dense), ('dsf_mano', mano), ('dsf_joints', joints)):
    np.save(os.path.join(out, name + '.npy'), a.numpy().astype(np.float32))
open(os.path.join(out, 'done'), 'w').write('ok')
