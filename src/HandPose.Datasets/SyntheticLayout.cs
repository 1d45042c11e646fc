using System.Text.Json;
using HandPose.Datasets.Internal;

namespace HandPose.Datasets;

/// <summary>
/// The layout <c>handpose synth</c> writes: <c>rgb/ID.png</c>, <c>depth/ID.png</c> (16-bit, mm), <c>mask/ID.png</c>
/// and <c>annotations.json</c> with per sample <c>id</c>, <c>handedness</c>, <c>K</c>, <c>keypoints_3d</c> (mm),
/// <c>keypoints_2d</c> (pixels) and <c>bbox</c>, in the canonical keypoint order.
/// </summary>
public static class SyntheticLayout
{
    private const string Format = "synthetic";

    /// <summary>Reads a folder written by <c>handpose synth</c>.</summary>
    /// <param name="root">The output folder.</param>
    /// <returns>The samples in annotation order.</returns>
    /// <exception cref="DataFormatException">annotations.json is missing or malformed (file and field named).</exception>
    public static HandDataset Load(string root)
    {
        ArgumentNullException.ThrowIfNull(root);
        string path = Path.Combine(root, "annotations.json");
        using JsonDocument doc = Json.Parse(path, Format);
        JsonElement list = Json.Array(Json.Property(doc.RootElement, "samples", path, "the root object", Format), path, "samples", Format);
        var samples = new List<HandSample>(list.GetArrayLength());
        int i = 0;
        foreach (JsonElement s in list.EnumerateArray())
        {
            string where = $"samples[{i++}]";
            string id = Json.String(Json.Property(s, "id", path, where, Format), path, $"{where}.id", Format);
            string side = Json.String(Json.Property(s, "handedness", path, where, Format), path, $"{where}.handedness", Format);
            Handedness handedness = side switch
            {
                "left" => Handedness.Left,
                "right" => Handedness.Right,
                _ => throw new DataFormatException(Format, $"{path}: {where}.handedness must be \"left\" or \"right\"; got \"{side}\"."),
            };
            JsonElement box = Json.Array(Json.Property(s, "bbox", path, where, Format), path, $"{where}.bbox", Format, 4);
            samples.Add(new HandSample(id, Path.Combine(root, "rgb", id + ".png"), Json.Points2D(Json.Property(s, "keypoints_2d", path, where, Format), 21, path, $"{where}.keypoints_2d", Format, flagged: false))
            {
                Keypoints3D = Json.Points3D(Json.Property(s, "keypoints_3d", path, where, Format), 21, 1, path, $"{where}.keypoints_3d", Format),
                Intrinsics = Json.Matrix3(Json.Property(s, "K", path, where, Format), path, $"{where}.K", Format),
                Handedness = handedness,
                Box = ((float)Json.Number(box[0], path, $"{where}.bbox[0]", Format), (float)Json.Number(box[1], path, $"{where}.bbox[1]", Format),
                       (float)Json.Number(box[2], path, $"{where}.bbox[2]", Format), (float)Json.Number(box[3], path, $"{where}.bbox[3]", Format)),
                MaskPath = Path.Combine(root, "mask", id + ".png"),
                DepthPath = Path.Combine(root, "depth", id + ".png"),
            });
        }

        return new HandDataset("synthetic", root, samples);
    }
}
