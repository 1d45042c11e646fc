namespace HandPose.Abstractions.Tests;

public sealed class KeypointTests
{
    [TestCase(float.NaN, 0f, true)]
    [TestCase(0f, float.NaN, true)]
    [TestCase(float.PositiveInfinity, 0f, true)]
    [TestCase(-3.5f, 1e9f, false)]
    public void Keypoint2D_IsMissing_when_a_coordinate_is_not_finite(float x, float y, bool missing)
    {
        Assert.That(new Keypoint2D(x, y).IsMissing, Is.EqualTo(missing));
    }

    [Test]
    public void Keypoint3D_projects_to_2D_and_flags_NaN_depth_as_missing()
    {
        var p = new Keypoint3D(1, 2, 3, 0.5f);
        Assert.That(p.ToKeypoint2D(), Is.EqualTo(new Keypoint2D(1, 2, 0.5f)));
        Assert.That(new Keypoint3D(1, 2, float.NaN).IsMissing, Is.True);
        Assert.That(Keypoint3D.Missing.IsMissing && Keypoint2D.Missing.IsMissing, Is.True);
    }

    [Test]
    public void Hand_requires_one_keypoint_per_schema_entry()
    {
        var ex = Assert.Throws<ArgumentException>(() => _ = new Hand(KeypointSchema.Hand21, new Keypoint3D[20]));
        Assert.That(ex!.Message, Does.Contain("21"));
        var hand = new Hand(KeypointSchema.Hand21, new Keypoint3D[21]) { Handedness = Handedness.Left, Score = 0.9f };
        Assert.That(hand.Handedness, Is.EqualTo(Handedness.Left));
    }
}
