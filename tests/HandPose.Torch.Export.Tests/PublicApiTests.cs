using HandPose.Testing;

namespace HandPose.Torch.Export.Tests;

public sealed class PublicApiTests
{
    [Test]
    public void Public_api_matches_the_committed_snapshot() => ApiSnapshot.AssertMatches(typeof(TorchOnnxExporter).Assembly);
}
