"""FLOP counting shared by the PyTorch sides of the Torch benchmarks: forward hooks adding the multiply-accumulates of
every convolution, deconvolution and linear layer (FLOPs = 2 x MACs)."""
import torch.nn as nn


class MacCounter:
    def __init__(self):
        self.macs = 0

    def __call__(self, module, inputs, output):
        if isinstance(module, nn.Conv2d):
            self.macs += output.numel() * module.in_channels // module.groups * module.kernel_size[0] * module.kernel_size[1]
        elif isinstance(module, nn.ConvTranspose2d):
            self.macs += inputs[0].numel() * module.out_channels // module.groups * module.kernel_size[0] * module.kernel_size[1]
        elif isinstance(module, nn.Linear):
            self.macs += output.numel() * module.in_features

    def flops(self, model, *inputs):
        """2 x MACs of one forward of model on inputs (no grad)."""
        import torch
        handles = [m.register_forward_hook(self) for m in model.modules()]
        self.macs = 0
        with torch.no_grad():
            model(*inputs)
        for h in handles:
            h.remove()
        return 2 * self.macs
