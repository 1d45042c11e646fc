namespace HandPose.Testing;

/// <summary>
/// Gate for tests that need a native engine. Under <c>scripts/test.sh</c> (which sets HANDPOSE_REQUIRE_NATIVE=1 after
/// setup installed the engines) and in CI a missing engine fails the test; elsewhere (an IDE without setup) it is
/// ignored with the loader's trace, so nothing passes silently.
/// </summary>
public static class NativeRequirement
{
    /// <summary>Fails or ignores the current test when <paramref name="available"/> is false.</summary>
    public static void Require(bool available, string engine, string trace)
    {
        if (available)
        {
            return;
        }

        string message = $"{engine} is not available: {trace}";
        bool required = Environment.GetEnvironmentVariable("HANDPOSE_REQUIRE_NATIVE") == "1"
            || string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        if (required)
        {
            Assert.Fail(message);
        }

        Assert.Ignore(message);
    }
}
