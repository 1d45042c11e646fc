using HandPose.Onnx.Internal.Native;
using HandPose.Onnx.Runtime;

namespace HandPose.Onnx.Tests.Runtime;

public sealed class OrtLibraryTests
{
    [Test]
    public void Missing_library_is_backend_unavailable_with_every_path_tried()
    {
        var trace = new List<string>();
        var ex = Assert.Throws<BackendUnavailableException>(() => OrtLibrary.LoadFrom(["/nonexistent/a/libonnxruntime.so.1", "/nonexistent/b/libonnxruntime.so.1"], trace));
        Assert.That(ex!.PathsTried, Has.Count.EqualTo(2));
        Assert.That(ex.PathsTried[0], Is.EqualTo("/nonexistent/a/libonnxruntime.so.1: not found"));
        Assert.That(ex.Message, Does.Contain("/nonexistent/b/libonnxruntime.so.1"));
        Assert.That(ex.InstallHint, Does.Contain("scripts/setup.sh").And.Contain(OrtLibrary.PathVariable));
    }

    [Test]
    public void A_library_without_OrtGetApiBase_is_rejected_with_the_reason()
    {
        var trace = new List<string>();
        var ex = Assert.Throws<BackendUnavailableException>(() => OrtLibrary.LoadFrom(["libm.so.6"], trace));
        Assert.That(ex!.PathsTried[^1], Does.Contain("does not export OrtGetApiBase"));
    }

    [Test]
    public void Candidates_follow_the_documented_order()
    {
        List<string> c = [.. OrtLibrary.Candidates("/explicit/libonnxruntime.so")];
        Assert.That(c[0], Is.EqualTo("/explicit/libonnxruntime.so"));
        int app = c.FindIndex(p => p.StartsWith(AppContext.BaseDirectory, StringComparison.Ordinal));
        int runtimes = c.FindIndex(p => p.Contains("/runtimes/", StringComparison.Ordinal));
        int cache = c.FindIndex(p => p.StartsWith(HandPoseEnvironment.CacheDirectory, StringComparison.Ordinal));
        Assert.That(app, Is.GreaterThan(0));
        Assert.That(runtimes, Is.GreaterThan(app));
        Assert.That(cache, Is.EqualTo(c.Count - 1));
    }

    [Test, Category("Native")]
    public void Probe_reports_version_origin_and_cpu_provider()
    {
        OrtTestEnvironment.RequireRuntime();
        NativeEngineInfo info = OnnxSession.ProbeRuntime();
        Assert.That(info.Version, Is.EqualTo("1.30.0"));
        Assert.That(info.LoadedFrom, Does.EndWith("libonnxruntime.so.1"));
        Assert.That(info.Detail, Does.Contain("CPUExecutionProvider"));
    }

    [Test]
    public void Error_codes_have_ort_names() =>
        Assert.That(OrtLibrary.ErrorCodeName(7), Is.EqualTo("InvalidProtobuf"));
}
