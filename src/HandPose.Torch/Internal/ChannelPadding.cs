using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HandPose.Torch.Internal;

/// <summary>
/// Works around a libtorch 2.10 CPU defect seen with TorchSharp 0.107 on AVX-512 (Zen 5) and AVX2 machines: float32
/// convolutions whose input channel count is above 16 and not a multiple of 16 (e.g. CPM's 128 + 21 = 149, hand3d's
/// 21-channel lifting input) return wrong values (errors of 10–20 % of the output range against float64 and against
/// PyTorch 1.13) once the map is larger than a few pixels. Zero channels added to the input and to the weight's input
/// dimension change nothing mathematically and take the correct kernel. This is the one place every zoo model runs
/// such convolutions through; pinned by ZooParityTests, Hand3dParityTests and the libtorch check in ChannelPaddingTests.
/// </summary>
internal static class ChannelPadding
{
    /// <summary>The multiple of input channels the correct kernels get.</summary>
    public const int Multiple = 16;

    /// <summary>Whether a convolution with that many input channels needs the padded path.</summary>
    public static bool Needed(long inChannels) => inChannels > Multiple && inChannels % Multiple != 0;

    /// <summary>
    /// Runs <paramref name="conv"/> (groups 1) on <paramref name="input"/> with the layer's own stride, padding and
    /// dilation, padding the channels when <see cref="Needed"/> on the CPU (other devices take the plain call).
    /// </summary>
    public static Tensor Conv(Conv2d conv, Tensor input)
    {
        long channels = input.shape[1];
        if (!Needed(channels) || input.device_type != DeviceType.CPU)
        {
            return conv.call(input);
        }

        long extra = Multiple - (channels % Multiple);
        using var scope = NewDisposeScope();
        Tensor x = nn.functional.pad(input, [0, 0, 0, 0, 0, extra]);
        Tensor w = nn.functional.pad(conv.weight!, [0, 0, 0, 0, 0, extra]);
        return nn.functional.conv2d(x, w, conv.bias, strides: conv.stride, padding: conv.padding, dilation: conv.dilation)
            .MoveToOuterDisposeScope();
    }
}
