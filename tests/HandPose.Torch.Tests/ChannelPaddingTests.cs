using HandPose.Torch.Internal;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HandPose.Torch.Tests;

/// <summary>
/// The channel-padding workaround for libtorch 2.10's float32 convolutions with an input channel count above 16 that
/// is not a multiple of 16 (wrong by 10-20 % of the output range on this AVX-512 machine): the padded path matches
/// the float64 convolution.
/// </summary>
public sealed class ChannelPaddingTests : TorchTestBase
{
    [TestCase(149, 7, 1, 1)]
    [TestCase(135, 7, 1, 1)]
    [TestCase(129, 3, 1, 1)]
    [TestCase(24, 7, 1, 1)]
    [TestCase(50, 3, 1, 1)]
    [TestCase(21, 3, 2, 1)]
    [TestCase(149, 3, 1, 2)]
    public void Padded_convolution_matches_float64(int channels, int kernel, int stride, int dilation)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        manual_seed(channels);
        Tensor x = randn(2, channels, 23, 19);
        long padding = dilation * (kernel / 2);
        using Conv2d conv = nn.Conv2d(channels, 128, kernel, stride: stride, padding: padding, dilation: dilation);
        Tensor expected = nn.functional.conv2d(x.to_type(ScalarType.Float64), conv.weight!.to_type(ScalarType.Float64),
            conv.bias!.to_type(ScalarType.Float64), strides: [stride, stride], padding: [padding, padding], dilation: [dilation, dilation]);
        double largest = expected.abs().max().item<double>();
        double padded = (ChannelPadding.Conv(conv, x).to_type(ScalarType.Float64) - expected).abs().max().item<double>();
        double plain = (conv.call(x).to_type(ScalarType.Float64) - expected).abs().max().item<double>();
        TestContext.Out.WriteLine($"{channels} channels, {kernel}x{kernel} stride {stride} dilation {dilation}: plain libtorch error {plain:g3}, padded {padded:g3}, largest {largest:g3}");
        Assert.That(ChannelPadding.Needed(channels), Is.True);
        Assert.That(padded, Is.LessThanOrEqualTo(1e-5 * largest));
    }

    [TestCase(3)]
    [TestCase(16)]
    [TestCase(128)]
    [TestCase(304)]
    public void Multiples_of_16_and_small_inputs_take_the_plain_path(int channels) => Assert.That(ChannelPadding.Needed(channels), Is.False);
}
