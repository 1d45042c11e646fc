using HandPose.Onnx.MediaPipe;

namespace HandPose.Onnx.Tests.MediaPipe;

public sealed class OneEuroFilterTests
{
    [Test]
    public void First_value_passes_and_a_constant_stays_constant()
    {
        var f = new OneEuroFilter(1f, 0.5f, 1f);
        Assert.That(f.Filter(3f, 0.0), Is.EqualTo(3f));
        for (int i = 1; i < 10; i++)
        {
            Assert.That(f.Filter(3f, i / 30.0), Is.EqualTo(3f));
        }
    }

    [Test]
    public void Without_speed_term_it_is_an_exponential_low_pass_with_the_cutoff_alpha()
    {
        var f = new OneEuroFilter(2f, 0f, 1f);
        f.Filter(0f, 0.0);
        double dt = 0.1, tau = 1 / (2 * Math.PI * 2);
        double alpha = 1 / (1 + (tau / dt));
        Assert.That(f.Filter(1f, 0.1), Is.EqualTo(alpha).Within(1e-6));
        Assert.That(f.Filter(1f, 0.2), Is.EqualTo(alpha + ((1 - alpha) * alpha)).Within(1e-6));
    }

    [Test]
    public void Fast_motion_raises_the_cutoff_so_lag_shrinks()
    {
        var slow = new OneEuroFilter(0.5f, 0f, 1f);
        var fast = new OneEuroFilter(0.5f, 5f, 1f);
        float s = 0, q = 0;
        for (int i = 0; i <= 10; i++)
        {
            s = slow.Filter(i * 10f, i / 30.0);
            q = fast.Filter(i * 10f, i / 30.0);
        }
        Assert.That(100f - q, Is.LessThan((100f - s) / 2), "beta > 0 must follow a fast ramp much more closely");
    }

    [Test]
    public void Repeated_timestamp_returns_the_previous_output()
    {
        var f = new OneEuroFilter(1f, 0f, 1f);
        f.Filter(0f, 1.0);
        float a = f.Filter(5f, 2.0);
        Assert.That(f.Filter(100f, 2.0), Is.EqualTo(a));
    }

    [Test]
    public void Speed_scale_changes_only_the_adaptive_cutoff()
    {
        var unscaled = new OneEuroFilter(1f, 1f, 1f);
        var scaled = new OneEuroFilter(1f, 100f, 1f);
        unscaled.Filter(0f, 0.0);
        scaled.Filter(0f, 0.0, 0.01f);
        Assert.That(scaled.Filter(10f, 0.1, 0.01f), Is.EqualTo(unscaled.Filter(10f, 0.1)).Within(1e-5), "beta × scale is what matters");
    }
}
