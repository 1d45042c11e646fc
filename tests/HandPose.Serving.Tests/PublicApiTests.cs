using HandPose.Testing;

namespace HandPose.Serving.Tests;

public sealed class PublicApiTests
{
    [Test]
    public void Public_api_matches_the_committed_snapshot() => ApiSnapshot.AssertMatches(typeof(HandPoseServer).Assembly);
}
