using HandPose.Torch.Serialization;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HandPose.Torch.Models.Hand3d;

/// <summary>
/// hand3d's HandSegNet (Zimmermann &amp; Brox 2017, <c>ColorHandPose3DNetwork.inference_detection</c>): a VGG-style
/// encoder (<c>conv1_1 … conv4_4</c>, three 2×2 max-pools), <c>conv5_1</c>/<c>conv5_2</c>, 1×1 <c>conv6_1</c> and the linear
/// 1×1 <c>conv6_2</c> giving background/hand logits at 1/8 of the input, resized back to the input size with TF1's
/// bilinear rule. Every convolution is 'SAME' with bias and leaky ReLU (slope 0.01) except <c>conv6_2</c>.
/// Parameter names are the TensorFlow layer names (<c>conv1_1.weight</c> = <c>HandSegNet/conv1_1/weights</c>).
/// </summary>
/// <remarks>Input: N × 3 × H × W RGB scaled to [−0.5, 0.5] (x/255 − 0.5), H and W multiples of 8. Not thread-safe.</remarks>
public sealed class HandSegNet : nn.Module<Tensor, Tensor>, ITensorFlowNamed
{
    private readonly (Conv2d Conv, bool PoolAfter)[] _encoder;
    private readonly Conv2d _conv6_2;

    /// <summary>Creates the network with the official initialisation (Xavier uniform, biases 1e-4).</summary>
    /// <exception cref="BackendUnavailableException">libtorch does not load.</exception>
    public HandSegNet()
        : base(SimpleBaseline.Checked(nameof(HandSegNet)))
    {
        var layers = new List<(string Name, Conv2d Conv, bool Pool)>();
        long channels = 3;
        int[] perBlock = [2, 2, 4, 4];
        long[] widths = [64, 128, 256, 512];
        for (int block = 0; block < 4; block++)
        {
            for (int i = 0; i < perBlock[block]; i++)
            {
                layers.Add(($"conv{block + 1}_{i + 1}", TfLayers.Conv(channels, widths[block], 3), block < 3 && i == perBlock[block] - 1));
                channels = widths[block];
            }
        }

        layers.Add(("conv5_1", TfLayers.Conv(512, 512, 3), false));
        layers.Add(("conv5_2", TfLayers.Conv(512, 128, 3), false));
        layers.Add(("conv6_1", TfLayers.Conv(128, 512, 1), false));
        foreach ((string name, Conv2d conv, _) in layers)
        {
            register_module(name, conv);
        }

        _conv6_2 = TfLayers.Conv(512, 2, 1);
        register_module("conv6_2", _conv6_2);
        _encoder = [.. layers.Select(l => (l.Conv, l.Pool))];
    }

    /// <inheritdoc/>
    string ITensorFlowNamed.TensorFlowName(string parameterName) => TensorFlowNames.Layer(Scope, parameterName);

    /// <inheritdoc/>
    IReadOnlyList<string> ITensorFlowNamed.Scopes => [Scope];

    /// <summary>The variable scope of the official weights (<c>HandSegNet/</c>).</summary>
    internal const string Scope = "HandSegNet";

    /// <summary>Background (channel 0) and hand (channel 1) logits: N × 2 × H × W.</summary>
    /// <param name="input">N × 3 × H × W, values in [−0.5, 0.5].</param>
    /// <returns>The logits at the input size.</returns>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        Tensor x = TfLayers.Encode(_encoder, input);
        Tensor logits = TfLayers.Same(_conv6_2, x);
        return TfLayers.ResizeBilinear(logits, input.shape[2], input.shape[3]).MoveToOuterDisposeScope();
    }
}
