using HandPose.IO;
using static TorchSharp.torch;

namespace HandPose.Torch.Tests.Hand3d;

/// <summary>
/// One group of TestData/tools/make_hand3d_references.py's outputs (small | segnet | posenet3d | pipeline), or of
/// make_dsf_references.py's, written by
/// Debian's PyTorch into a fresh temporary folder and deleted on dispose: the networks' weights are 40–120 MB per
/// group, too much to keep in the cache of a shared machine.
/// </summary>
internal sealed class Hand3dReferences : IDisposable
{
    public Hand3dReferences(string group, string script = "make_hand3d_references.py")
    {
        Dir = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"hp-zoo-{group}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Dir);
        References.RunTool(script, Dir, group);
    }

    public string Dir { get; }

    public string Path(string name) => System.IO.Path.Combine(Dir, name);

    public NpyArray Npy(string name) => NpyArray.Load(Path(name));

    public Tensor Tensor(string name)
    {
        NpyArray a = Npy(name);
        return tensor(a.Data, [.. a.Shape.Select(d => (long)d)]);
    }

    /// <summary>Asserts the shape and max |actual − expected| ≤ tolerance · max |expected| (and a non-degenerate reference).</summary>
    public void AssertClose(Tensor actual, string expectedFile, double tolerance)
    {
        NpyArray expected = Npy(expectedFile);
        Assert.That(actual.shape.Select(d => (int)d), Is.EqualTo(expected.Shape), expectedFile);
        float[] a = actual.to_type(ScalarType.Float32).contiguous().data<float>().ToArray();
        double largest = expected.Data.Max(v => Math.Abs(v));
        double worst = a.Zip(expected.Data, (x, e) => Math.Abs(x - e)).Max();
        Assert.That(largest, Is.GreaterThan(1e-3), $"{expectedFile}: a degenerate reference proves nothing");
        Assert.That(worst, Is.LessThanOrEqualTo(tolerance * largest), $"{expectedFile}: max |diff| {worst:g3}, largest {largest:g3}");
    }

    public void Dispose() => Directory.Delete(Dir, true);
}
