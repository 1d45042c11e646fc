using System.Text.Json;
using HandPose.Imaging;
using HandPose.Onnx.MediaPipe;
using HandPose.Onnx.Runtime;
using HandPose.Testing;

namespace HandPose.Onnx.Tests.MediaPipe;

/// <summary>One hand as MediaPipe itself reported it (TestData/mediapipe-reference, see its PROVENANCE.md).</summary>
internal sealed record ReferenceHand(string Label, double Score, double[][] Landmarks, double[][] WorldLandmarks);

/// <summary>MediaPipe's results for one photo, both model complexities.</summary>
internal sealed record ReferencePhoto(string Image, int Width, int Height, IReadOnlyDictionary<string, ReferenceHand[]> Results)
{
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "TestData", "mediapipe-reference");

    public static IEnumerable<string> Names() =>
        System.IO.Directory.GetFiles(Directory, "*.json").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal)!;

    public static ReferencePhoto Load(string name)
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Directory, name + ".json")));
        JsonElement root = doc.RootElement;
        var results = new Dictionary<string, ReferenceHand[]>();
        foreach (JsonProperty model in root.GetProperty("results").EnumerateObject())
        {
            results[model.Name] = model.Value.GetProperty("hands").EnumerateArray().Select(h => new ReferenceHand(
                h.GetProperty("label").GetString()!,
                h.GetProperty("score").GetDouble(),
                Points(h.GetProperty("landmarks")),
                Points(h.GetProperty("worldLandmarks")))).ToArray();
        }
        return new ReferencePhoto(root.GetProperty("image").GetString()!, root.GetProperty("width").GetInt32(), root.GetProperty("height").GetInt32(), results);
    }

    public ImageBuffer LoadImage() => ImageDecoder.Load(Path.Combine(Directory, "images", Image));

    private static double[][] Points(JsonElement array) =>
        array.EnumerateArray().Select(p => p.EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToArray();
}

/// <summary>Creates estimators for tests, failing (under scripts/test.sh) when ONNX Runtime or the models are missing.</summary>
internal static class MediaPipeTestModels
{
    public static MediaPipeHandEstimator Create(MediaPipeHandModel model, int maxHands = 2, int threads = 1)
    {
        NativeEngineInfo info = OnnxSession.ProbeRuntime();
        NativeRequirement.Require(info.IsAvailable, "ONNX Runtime", string.Join("; ", info.PathsTried) + " " + info.Detail);
        var options = new MediaPipeHandEstimatorOptions { Model = model, MaxHands = maxHands, Threads = threads };
        (string palm, string landmark) = MediaPipeHandEstimator.GetModelPaths(options);
        NativeRequirement.Require(File.Exists(palm) && File.Exists(landmark), "MediaPipe ONNX models",
            $"{palm} / {landmark} not found; run `bash scripts/setup.sh`");
        return new MediaPipeHandEstimator(options);
    }
}
