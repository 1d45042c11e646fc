using HandPose.Torch.Modules;

namespace HandPose.Torch.Models;

/// <summary>
/// Simple Baselines (Xiao et al., 2018) with the official <c>pose_resnet</c> names: the torchvision ResNet body
/// (<c>conv1, bn1, layer1..4</c>), three 4×4 stride-2 deconvolutions (<c>deconv_layers.{0,1,3,4,6,7}</c>) and a 1×1
/// <c>final_layer</c>. Each deconvolution doubles the size: 256×256 input → 64×64 heatmaps.
/// </summary>
public sealed class SimpleBaseline : Module
{
    private readonly ResNet _body;
    private readonly Sequential _deconv;
    private readonly Conv2d _final;

    /// <summary>Creates the network (deconvolutions N(0, 0.001), BN γ=1 β=0, final conv N(0, 0.001) with zero bias, as the paper's code).</summary>
    /// <param name="depth">The backbone depth.</param>
    /// <param name="joints">Heatmap channels (21 for hands).</param>
    /// <param name="deconvFilters">Channels of each deconvolution.</param>
    public SimpleBaseline(ResNetDepth depth = ResNetDepth.ResNet18, int joints = 21, long deconvFilters = 256)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(joints, 1);
        _body = new ResNet(depth, classes: 0);

        // The body's children are registered under this module's own names (pose_resnet has no "backbone." prefix).
        foreach ((string name, Module child) in _body.Children)
        {
            RegisterModule(name, child);
        }

        var deconv = new List<Module>();
        long inplanes = _body.OutputChannels;
        for (int k = 0; k < 3; k++)
        {
            var up = new ConvTranspose2d(inplanes, deconvFilters, 4, 2, 1, 0, bias: false);
            using (TorchRuntime.NoGrad())
            {
                up.Weight.NormalInPlace(0, 0.001);
            }

            deconv.Add(up);
            deconv.Add(new BatchNorm2d(deconvFilters));
            deconv.Add(Lambda.Relu());
            inplanes = deconvFilters;
        }

        _deconv = RegisterModule("deconv_layers", new Sequential(deconv));
        _final = RegisterModule("final_layer", new Conv2d(deconvFilters, joints, 1));
        using (TorchRuntime.NoGrad())
        {
            _final.Weight.NormalInPlace(0, 0.001);
            _final.Bias!.ZeroInPlace();
        }

        Joints = joints;
    }

    /// <summary>Heatmap channels.</summary>
    public int Joints { get; }

    /// <summary>Heatmaps: N × joints × H/4 × W/4.</summary>
    /// <param name="input">N×3×H×W.</param>
    /// <returns>The heatmaps.</returns>
    public override Tensor Forward(Tensor input) => _final.Forward(_deconv.Forward(_body.Forward(input)));
}
