using System.Runtime.Intrinsics;

namespace HandPose.Abstractions.Tests;

[Category("Simd")]
public sealed class EnvironmentTests
{
    [Test]
    public void SimdWidth_reports_the_widest_accelerated_vector()
    {
        int expected = Vector512.IsHardwareAccelerated ? 512 : Vector256.IsHardwareAccelerated ? 256 : Vector128.IsHardwareAccelerated ? 128 : 0;
        Assert.That(HandPoseEnvironment.SimdWidth, Is.EqualTo(expected));
        TestContext.Out.WriteLine($"SIMD width in this run: {expected}");
    }

    [Test]
    public void SimdWidth_matches_the_width_requested_by_the_test_runner()
    {
        // scripts/test.sh re-runs this category with ISAs switched off and sets HANDPOSE_EXPECT_SIMD to what it expects,
        // so a rerun cannot silently test the wrong path.
        string? expected = Environment.GetEnvironmentVariable("HANDPOSE_EXPECT_SIMD");
        if (string.IsNullOrEmpty(expected))
        {
            Assert.That(HandPoseEnvironment.SimdWidth, Is.AnyOf(0, 128, 256, 512));
            return;
        }

        Assert.That(HandPoseEnvironment.SimdWidth.ToString(System.Globalization.CultureInfo.InvariantCulture), Is.EqualTo(expected));
    }

    [Test]
    [NonParallelizable]
    public void CacheDirectory_honours_HANDPOSE_CACHE()
    {
        string? old = Environment.GetEnvironmentVariable(HandPoseEnvironment.CacheVariable);
        try
        {
            Environment.SetEnvironmentVariable(HandPoseEnvironment.CacheVariable, "/tmp/hp-cache-test");
            Assert.That(HandPoseEnvironment.CacheDirectory, Is.EqualTo("/tmp/hp-cache-test"));
            Environment.SetEnvironmentVariable(HandPoseEnvironment.CacheVariable, null);
            Assert.That(HandPoseEnvironment.CacheDirectory, Does.EndWith("/.cache"), "inside a checkout the cache is <repo>/.cache");
        }
        finally
        {
            Environment.SetEnvironmentVariable(HandPoseEnvironment.CacheVariable, old);
        }
    }
}
