using System.Text;
using HandPose.Datasets;
using HandPose.Imaging;
using HandPose.IO;
using HandPose.Onnx.Model;

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
        new("coco-wholebody", bytes => WithFile(bytes, "ann.json", (dir, file) => CocoWholeBodyHand.Load(file, dir))),
        new("onehand10k", bytes => WithFile(bytes, Path.Combine("Test", "label_joint.txt"), (dir, _) => OneHand10K.Load(dir, "Test"))),
    ];

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
