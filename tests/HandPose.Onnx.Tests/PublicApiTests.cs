using HandPose.Testing;

namespace HandPose.Onnx.Tests;

public sealed class PublicApiTests
{
    [Test]
    public void Public_api_matches_the_committed_snapshot() => ApiSnapshot.AssertMatches(System.Reflection.Assembly.Load("HandPose.Onnx"));

    [Test]
    public void Conversion_public_api_matches_the_committed_snapshot() => ApiSnapshot.AssertMatches(System.Reflection.Assembly.Load("HandPose.Onnx.Conversion"));

    [Test]
    public void Conversion_package_needs_no_onnx_runtime()
    {
        string[] references = [.. System.Reflection.Assembly.Load("HandPose.Onnx.Conversion").GetReferencedAssemblies().Select(a => a.Name!)];
        Assert.That(references, Does.Not.Contain("Microsoft.ML.OnnxRuntime"));
        Assert.That(references, Does.Not.Contain("HandPose.Onnx"));
        Assert.That(references.Where(n => n.StartsWith("HandPose", StringComparison.Ordinal)), Is.EquivalentTo(new[] { "HandPose.Abstractions" }));
    }
}
