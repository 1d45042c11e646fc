using HandPose.Testing;

namespace HandPose.Onnx.Tests.TfLite;

/// <summary>The four MediaPipe Hands models: the .tflite files that scripts/setup.d/40-mediapipe-models.sh puts in the
/// setup cache, and the .onnx files src/HandPose.Models.MediaPipe converts from them and copies next to the tests.</summary>
internal static class MediaPipeModels
{
    public static readonly string[] Names = ["hand_landmark_full", "hand_landmark_lite", "palm_detection_full", "palm_detection_lite"];

    public static string Directory => Path.Combine(HandPoseEnvironment.CacheDirectory, "models", "mediapipe");

    /// <summary>The path of <c>NAME.tflite</c> (setup cache) or <c>NAME.onnx</c> (next to the tests); fails (under
    /// scripts/test.sh) or ignores when setup has not run.</summary>
    public static string Require(string name, string extension)
    {
        string folder = extension == ".onnx" ? Onnx.MediaPipe.MediaPipeHandEstimator.DefaultModelDirectory : Directory;
        string path = Path.Combine(folder, name + extension);
        NativeRequirement.Require(File.Exists(path), "MediaPipe models", $"{path} is missing; run scripts/setup.sh (step 40-mediapipe-models)");
        return path;
    }

    public static byte[] TfLite(string name) => File.ReadAllBytes(Require(name, ".tflite"));

    public static string Tensors(string file) => Path.Combine(AppContext.BaseDirectory, "TestData", "mediapipe-tensors", file);

    public static float[] ReadF32(string file)
    {
        byte[] bytes = File.ReadAllBytes(Tensors(file));
        var values = new float[bytes.Length / 4];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = BitConverter.ToSingle(bytes, 4 * i);
        }

        return values;
    }
}
