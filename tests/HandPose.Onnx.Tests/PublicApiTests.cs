using HandPose.Testing;

namespace HandPose.Onnx.Tests;

public sealed class PublicApiTests
{
    [Test]
    public void Public_api_matches_the_committed_snapshot() => ApiSnapshot.AssertMatches(System.Reflection.Assembly.Load("HandPose.Onnx"));
}
