using HandPose.Testing;

namespace HandPose.Cli.Tests;

public sealed class PublicApiTests
{
    [Test]
    public void Public_api_matches_the_committed_snapshot() => ApiSnapshot.AssertMatches(typeof(Program).Assembly);
}
