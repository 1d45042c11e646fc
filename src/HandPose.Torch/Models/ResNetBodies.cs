using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HandPose.Torch.Models;

/// <summary>TorchVision's ResNet without its classifier: the body that pose networks put under their own names.</summary>
internal static class ResNetBodies
{
    /// <summary>The body's children in order (torchvision's names); <c>avgpool</c> and <c>fc</c> follow and are dropped.</summary>
    public static readonly string[] Names = ["conv1", "bn1", "relu", "maxpool", "layer1", "layer2", "layer3", "layer4"];

    /// <summary>The <see cref="Names"/> modules of a freshly initialised torchvision ResNet of that depth.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not a <see cref="ResNetDepth"/> value.</exception>
    public static nn.Module<Tensor, Tensor>[] Create(ResNetDepth depth)
    {
        ResNet resnet = depth switch
        {
            ResNetDepth.ResNet18 => torchvision.models.resnet18(),
            ResNetDepth.ResNet34 => torchvision.models.resnet34(),
            ResNetDepth.ResNet50 => torchvision.models.resnet50(),
            ResNetDepth.ResNet101 => torchvision.models.resnet101(),
            ResNetDepth.ResNet152 => torchvision.models.resnet152(),
            _ => throw new ArgumentOutOfRangeException(nameof(depth), depth, "expected ResNet18, ResNet34, ResNet50, ResNet101 or ResNet152"),
        };
        var children = resnet.named_children().ToDictionary(c => c.name, c => c.module);
        children["fc"].Dispose();
        children["avgpool"].Dispose();
        return Names.Select(n => (nn.Module<Tensor, Tensor>)children[n]).ToArray();
    }

    /// <summary>Channels of the body's output (stride 32): 512 for the BasicBlock ResNets, 2048 for the Bottleneck ones.</summary>
    public static int Channels(ResNetDepth depth) => depth is ResNetDepth.ResNet18 or ResNetDepth.ResNet34 ? 512 : 2048;
}
