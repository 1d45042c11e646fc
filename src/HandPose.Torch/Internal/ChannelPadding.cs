using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HandPose.Torch.Internal;

/// <summary>
/// Works around a libtorch 2.10 CPU defect seen with TorchSharp 0.107 on AVX-512 (Zen 5): float32 convolutions whose
/// input channel count is above 16 and not a multiple of 16 (e.g. CPM's 128 + 21 = 149) return wrong values (errors
/// of 10–20 % of the output range against float64 and against PyTorch 1.13) once the map is larger than a few
/// pixels. Zero-padding the input channels (and the weight's input dimension) to the next multiple of 16 is exact and
/// takes the correct kernel. Pinned by ZooParityTests and the libtorch check in ChannelPaddingTests.
/// </summary>
internal static class ChannelPadding
{
    /// <summary>The multiple of input channels the correct kernels get.</summary>
    public const int Multiple = 16;

    /// <summary>Whether a convolution with that many input channels needs the padded path.</summary>
    public static bool Needed(long inChannels) => inChannels > Multiple && inChannels % Multiple != 0;

    /// <summary>Runs <paramref name="conv"/> (stride 1, groups 1) on <paramref name="input"/>, padding channels when <see cref="Needed"/>.</summary>
    public static Tensor Conv(Conv2d conv, Tensor input, long padding, long dilation = 1)
    {
        long c = input.shape[1];
        if (!Needed(c))
        {
            return conv.call(input);
        }

        long extra = Multiple - (c % Multiple);
        using var scope = NewDisposeScope();
        Tensor x = nn.functional.pad(input, [0, 0, 0, 0, 0, extra]);
        Tensor w = nn.functional.pad(conv.weight!, [0, 0, 0, 0, 0, extra]);
        return nn.functional.conv2d(x, w, conv.bias, padding: [padding, padding], dilation: [dilation, dilation]).MoveToOuterDisposeScope();
    }
}
