using System.Text;
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
    ];
}
