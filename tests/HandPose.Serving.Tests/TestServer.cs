using HandPose.Onnx.MediaPipe;
using HandPose.Onnx.Runtime;
using HandPose.Testing;

namespace HandPose.Serving.Tests;

/// <summary>A real server on a free loopback port, shared by the tests of this assembly, and the photo they send.</summary>
internal static class TestServer
{
    private static readonly Lazy<Task<HandPoseServer>> Shared = new(() => HandPoseServer.StartAsync(new HandPoseServerOptions
    {
        Port = 0,
        Models = ["full", "lite"],
        MaxConcurrentRequests = 2,
        MaxRequestBytes = 4 * 1024 * 1024,
    }));

    /// <summary>The bundled photo with two hands (samples/data, see its ATTRIBUTION.md).</summary>
    public static string TwoHandsPhoto => Path.Combine(RepoPaths.Root, "samples", "data", "two_hands.jpg");

    /// <summary>The shared server (started on first use, stopped when the test run ends).</summary>
    public static async Task<HandPoseServer> GetAsync()
    {
        RequireModels();
        return await Shared.Value.ConfigureAwait(false);
    }

    public static async Task StopAsync()
    {
        if (Shared.IsValueCreated && Shared.Value.IsCompletedSuccessfully)
        {
            await Shared.Value.Result.DisposeAsync().ConfigureAwait(false);
        }
    }

    public static void RequireModels()
    {
        NativeEngineInfo info = OnnxSession.ProbeRuntime();
        NativeRequirement.Require(info.IsAvailable, "ONNX Runtime", string.Join("; ", info.PathsTried));
        (string palm, string landmark) = MediaPipeHandEstimator.GetModelPaths(MediaPipeHandEstimatorOptions.Default);
        NativeRequirement.Require(File.Exists(palm) && File.Exists(landmark), "MediaPipe ONNX models", "run `bash scripts/setup.sh`");
    }
}

[SetUpFixture]
public sealed class ServerLifetime
{
    [OneTimeTearDown]
    public Task StopAsync() => TestServer.StopAsync();
}
