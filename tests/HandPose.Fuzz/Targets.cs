using System.Text;
using HandPose.Datasets;
using HandPose.Imaging;
using HandPose.IO;
using HandPose.Onnx.Model;
using HandPose.Onnx.TfLite;
using HandPose.Torch.Serialization;

namespace HandPose.Fuzz;

/// <summary>Every format HandPose reads, through the public API a user calls.</summary>
internal static class Targets
{
    public static IReadOnlyList<FuzzTarget> All { get; } =
    [
        new("npy", bytes => NpyArray.Read(bytes)),
        new("skeleton-json", bytes => KeypointSchema.FromJson(Encoding.UTF8.GetString(bytes))),
        new("image", bytes => ImageDecoder.Decode(bytes), Weight: 3),
        new("onnx", bytes => OnnxModelInfo.FromBytes(bytes), Weight: 2),
        new("tflite", bytes => TfLiteConverter.Convert(bytes, "fuzz input"), Weight: 2),
        new("coco-wholebody", bytes => WithFile(bytes, "ann.json", (dir, file) => CocoWholeBodyHand.Load(file, dir))),
        new("onehand10k", bytes => WithFile(bytes, Path.Combine("Test", "label_joint.txt"), (dir, _) => OneHand10K.Load(dir, "Test"))),
        new("freihand", bytes => WithFile(bytes, "training_xyz.json", (dir, _) =>
        {
            File.WriteAllText(Path.Combine(dir, "training_K.json"), FreiHandIntrinsics);
            FreiHand.Load(dir, "training", versions: 1);
        })),
        new("panoptic-manual", bytes => WithFile(bytes, Path.Combine("manual", "sample.json"), (dir, _) => PanopticHands.LoadManual(Path.Combine(dir, "manual")))),
        new("panoptic-db", bytes => WithFile(bytes, "hands_v143_14817.json", (dir, _) => PanopticHands.LoadPanopticDb(dir))),
        new("synthetic-layout", bytes => WithFile(bytes, "annotations.json", (dir, _) => SyntheticLayout.Load(dir))),
        new("rhd", bytes => WithFile(bytes, Path.Combine("evaluation", "anno_evaluation.pickle"), (dir, _) => Rhd.Load(dir, "evaluation"))),
        new("checkpoint", bytes => WithFile(bytes, "weights.pt", (_, file) =>
        {
            // The reader tells .pt (zip) and safetensors apart by content, as it does for users' files.
            foreach (TorchSharp.torch.Tensor t in StateDicts.Read(file).Values)
            {
                t.Dispose();
            }
        }), Weight: 2),
    ];

    /// <summary>The intrinsics file that goes with the mutated FreiHAND keypoints (two samples, as the seed has).</summary>
    private const string FreiHandIntrinsics = "[[[480.0, 0.0, 112.0], [0.0, 480.0, 112.0], [0.0, 0.0, 1.0]], [[480.0, 0.0, 112.0], [0.0, 480.0, 112.0], [0.0, 0.0, 1.0]]]";

    /// <summary>Dataset readers take folders: the input is written where the reader expects its file.</summary>
    private static void WithFile(byte[] bytes, string relativePath, Action<string, string> load)
    {
        string dir = Path.Combine(Path.GetTempPath(), "handpose-fuzz", Environment.CurrentManagedThreadId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        string file = Path.Combine(dir, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllBytes(file, bytes);
        load(dir, file);
    }
}
