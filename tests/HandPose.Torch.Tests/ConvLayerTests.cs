using HandPose.Torch.Modules;

namespace HandPose.Torch.Tests;

public sealed class ConvLayerTests : TorchTestBase
{
    [TestCase(6, 4, 4)]
    [TestCase(4, 6, 4)]
    [TestCase(4, 4, 0)]
    public void Conv2d_and_ConvTranspose2d_reject_groups_that_do_not_divide_the_channels(int inChannels, int outChannels, int groups)
    {
        Assert.Throws(Is.InstanceOf<ArgumentException>(), () => new Conv2d(inChannels, outChannels, 3, groups: groups).Dispose());
        Assert.Throws(Is.InstanceOf<ArgumentException>(), () => new ConvTranspose2d(inChannels, outChannels, 3, groups: groups).Dispose());
    }

    [Test]
    public void Grouped_layers_get_PyTorch_weight_shapes()
    {
        using var conv = new Conv2d(4, 6, 3, groups: 2);
        using var deconv = new ConvTranspose2d(4, 6, 3, groups: 2);
        Assert.That(conv.Weight.Shape, Is.EqualTo(new long[] { 6, 2, 3, 3 }));
        Assert.That(deconv.Weight.Shape, Is.EqualTo(new long[] { 4, 3, 3, 3 }));
    }
}
