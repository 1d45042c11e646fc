namespace HandPose.Abstractions.Tests;

public sealed class KeypointOrderTests
{
    [Test]
    public void RhdLeft_reverses_each_finger_as_architectures_5_7()
    {
        IReadOnlyList<int> map = KeypointOrder.RhdLeft.SourceIndexOfCanonical;
        Assert.That(map[0], Is.EqualTo(0));
        Assert.That(map.Skip(1).Take(4), Is.EqualTo(new[] { 4, 3, 2, 1 }), "thumb CMC..tip = RHD 4,3,2,1");
        Assert.That(map[9], Is.EqualTo(12), "middle MCP = RHD 12 (hand3d's crop centre)");
        Assert.That(map[17], Is.EqualTo(20), "little MCP = RHD 20");
        Assert.That(map[20], Is.EqualTo(17));
    }

    [Test]
    public void RhdRight_is_RhdLeft_offset_by_21()
    {
        Assert.That(KeypointOrder.RhdRight.SourceIndexOfCanonical,
            Is.EqualTo(KeypointOrder.RhdLeft.SourceIndexOfCanonical.Select(i => i + 21)));
        Assert.That(KeypointOrder.RhdRight.SourceKeypointCount, Is.EqualTo(42));
    }

    [TestCase("panoptic")]
    [TestCase("freihand")]
    [TestCase("onehand10k")]
    [TestCase("mediapipe")]
    [TestCase("coco-wholebody-hand")]
    public void Canonical_datasets_are_identity(string name)
    {
        KeypointOrder order = KeypointOrder.BuiltIn.Single(o => o.Name == name);
        Assert.That(order.SourceIndexOfCanonical, Is.EqualTo(Enumerable.Range(0, 21)));
    }

    [Test]
    public void ToCanonical_then_FromCanonical_restores_the_record()
    {
        int[] source = Enumerable.Range(100, 42).ToArray();
        var canonical = new int[21];
        KeypointOrder.RhdRight.ToCanonical<int>(source, canonical);
        Assert.That(canonical[1], Is.EqualTo(100 + 25));
        var back = new int[42];
        KeypointOrder.RhdRight.FromCanonical<int>(canonical, back);
        Assert.That(back.Skip(21), Is.EqualTo(source.Skip(21)));
        Assert.That(back.Take(21), Is.All.EqualTo(0), "left-hand slots untouched");
    }

    [Test]
    public void ToCanonical_with_wrong_length_throws_naming_the_count()
    {
        var ex = Assert.Throws<ArgumentException>(() => KeypointOrder.RhdLeft.ToCanonical<int>(new int[21], new int[21]));
        Assert.That(ex!.Message, Does.Contain("expects 42"));
    }

    [Test]
    public void Constructor_rejects_repeated_indices()
    {
        Assert.Throws<ArgumentException>(() => _ = new KeypointOrder("bad", 3, [0, 0, 1]));
    }
}
