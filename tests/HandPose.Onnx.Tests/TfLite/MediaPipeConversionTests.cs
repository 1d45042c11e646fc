using System.Security.Cryptography;
using HandPose.Onnx.Model;
using HandPose.Onnx.TfLite;
using HandPose.Testing;

namespace HandPose.Onnx.Tests.TfLite;

/// <summary>Structure of the converted MediaPipe models (no runtime needed) and the setup step's cached ONNX files.</summary>
public sealed class MediaPipeConversionTests
{
    [Test]
    public void Convert_palm_detection_full_has_the_expected_onnx_nodes()
    {
        OnnxModelInfo info = OnnxModelInfo.FromBytes(TfLiteConverter.Convert(MediaPipeModels.TfLite("palm_detection_full")));

        Assert.That(info.OperatorCounts, Is.EquivalentTo(new Dictionary<string, int>
        {
            // 63 convolutions + 31 PReLUs as depthwise pairs (+ Relu, Add) + 3 channel pads as zero convs (+ Concat).
            ["Conv"] = 63 + (2 * 31) + 3, ["Relu"] = 31, ["Add"] = 30 + 31, ["MaxPool"] = 4, ["Resize"] = 2, ["Reshape"] = 4,
            ["Concat"] = 2 + 3, ["Transpose"] = 5,
        }));
        Assert.That(info.OpsetImports[""], Is.EqualTo(13));
    }

    [Test]
    public void Convert_hand_landmark_full_has_the_expected_onnx_nodes()
    {
        OnnxModelInfo info = OnnxModelInfo.FromBytes(TfLiteConverter.Convert(MediaPipeModels.TfLite("hand_landmark_full")));

        Assert.That(info.OperatorCounts, Is.EquivalentTo(new Dictionary<string, int>
        {
            ["Conv"] = 47, ["Clip"] = 32, ["Add"] = 9, ["ReduceMean"] = 1, ["Gemm"] = 4, ["Sigmoid"] = 2, ["Transpose"] = 1,
        }));
    }

    [TestCaseSource(typeof(MediaPipeModels), nameof(MediaPipeModels.Names))]
    public void Convert_mediapipe_model_passes_the_onnx_checker_and_strict_shape_inference(string name)
    {
        string path = Path.Combine(RepoPaths.NewTempDirectory(), name + ".onnx");
        TfLiteConverter.ConvertFile(MediaPipeModels.Require(name, ".tflite"), path);

        string shapes = OnnxPython.CheckModel(path);

        string expected = name.StartsWith("palm", StringComparison.Ordinal)
            ? "Identity 1 [1, 2016, 18]\nIdentity_1 1 [1, 2016, 1]"
            : "Identity 1 [1, 63]\nIdentity_1 1 [1, 1]\nIdentity_2 1 [1, 1]\nIdentity_3 1 [1, 63]";
        Assert.That(shapes.Trim().ReplaceLineEndings("\n"), Is.EqualTo(expected));
    }

    [TestCaseSource(typeof(MediaPipeModels), nameof(MediaPipeModels.Names))]
    public void Packaged_onnx_model_was_converted_from_the_cached_tflite(string name)
    {
        byte[] tflite = MediaPipeModels.TfLite(name);
        OnnxModelInfo info = OnnxModelInfo.Load(MediaPipeModels.Require(name, ".onnx"));

        Assert.That(info.Metadata[TfLiteConverter.SourceHashKey], Is.EqualTo(Convert.ToHexStringLower(SHA256.HashData(tflite))));
        Assert.That(info.Metadata["handpose.source"], Is.EqualTo(name + ".tflite"));
    }
}
