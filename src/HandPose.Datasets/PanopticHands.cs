using System.Text.Json;
using HandPose.Datasets.Internal;

namespace HandPose.Datasets;

/// <summary>
/// CMU Panoptic HandDB (Simon et al., CVPR 2017) in its three on-disk layouts: NSRM's and HandyPose's preprocessed
/// crops, the original manual annotations (<c>hand_labels</c>: MPII + NZSL), and the multi-view bootstrapped set
/// (<c>hand143_panopticdb</c>). The keypoint order is already the canonical one.
/// </summary>
public static class PanopticHands
{
    private const string Format = "CMU Panoptic";

    /// <summary>The split names of the NSRM layout's <c>partitions.json</c>.</summary>
    public static IReadOnlyList<string> NsrmSplits { get; } = ["train", "valid", "test"];

    /// <summary>
    /// Reads NSRM's layout (<c>imgs/NNNNNNNN.jpg</c> crops of 2.2 × the tight hand box, <c>labels.json</c> = {image:
    /// 21 × [x, y]} in crop pixels, <c>partitions.json</c> = {"train": [...], "valid": [...], "test": [...]}).
    /// </summary>
    /// <param name="root">The folder holding <c>imgs/</c>, <c>labels.json</c> and <c>partitions.json</c>.</param>
    /// <param name="split">"train", "valid" or "test".</param>
    /// <returns>The split's samples, in the order of <c>partitions.json</c>.</returns>
    /// <exception cref="DataFormatException">A file is missing or malformed; the message names the file and the field.</exception>
    public static HandDataset LoadNsrmLayout(string root, string split)
    {
        ArgumentNullException.ThrowIfNull(root);
        if (!NsrmSplits.Contains(split))
        {
            throw new ArgumentException($"Unknown split '{split}'; expected one of {string.Join(", ", NsrmSplits)}.", nameof(split));
        }

        Files.RequireDirectory(root, Format);
        string labelsPath = Path.Combine(root, "labels.json"), partitionsPath = Path.Combine(root, "partitions.json");
        using JsonDocument labels = Json.Parse(labelsPath, Format);
        using JsonDocument partitions = Json.Parse(partitionsPath, Format);
        JsonElement names = Json.Array(Json.Property(partitions.RootElement, split, partitionsPath, "the root object", Format), partitionsPath, $"\"{split}\"", Format);
        var samples = new List<HandSample>();
        foreach (JsonElement nameElement in names.EnumerateArray())
        {
            string name = Json.String(nameElement, partitionsPath, $"an entry of \"{split}\"", Format);
            JsonElement points = Json.Property(labels.RootElement, name, labelsPath, "the root object", Format);
            Keypoint2D[] keypoints = Json.Points2D(points, 21, labelsPath, $"\"{name}\"", Format, flagged: false);
            samples.Add(new HandSample(name, Path.Combine(root, "imgs", name), keypoints) { Box = Files.TightBox(keypoints) });
        }

        return new HandDataset("panoptic-nsrm", root, samples);
    }

    /// <summary>
    /// Reads a folder of the original manual annotations (<c>hand_labels/manual_train</c> or <c>manual_test</c>): one
    /// <c>NAME.json</c> per crop with <c>hand_pts</c> (21 × [x, y, flag], flag 0 = not labelled) and <c>is_left</c>,
    /// optionally <c>head_size</c>; the image is <c>NAME.jpg</c> beside it.
    /// </summary>
    /// <param name="folder">The folder of JSON files.</param>
    /// <returns>One sample per JSON file, in ordinal order of the file names.</returns>
    /// <exception cref="DataFormatException">The folder is missing, or a file is malformed.</exception>
    public static HandDataset LoadManual(string folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        Files.RequireDirectory(folder, Format);
        var samples = new List<HandSample>();
        foreach (string path in Directory.GetFiles(folder, "*.json").Order(StringComparer.Ordinal))
        {
            using JsonDocument doc = Json.Parse(path, Format);
            JsonElement root = doc.RootElement;
            Keypoint2D[] keypoints = Json.Points2D(Json.Property(root, "hand_pts", path, "the root object", Format), 21, path, "hand_pts", Format, flagged: true);
            double isLeft = Json.Number(Json.Property(root, "is_left", path, "the root object", Format), path, "is_left", Format);
            string name = Path.GetFileNameWithoutExtension(path);
            samples.Add(new HandSample(name, Path.ChangeExtension(path, ".jpg"), keypoints)
            {
                Handedness = isLeft != 0 ? Handedness.Left : Handedness.Right,
                Box = Files.TightBox(keypoints),
                HeadSize = root.TryGetProperty("head_size", out JsonElement head) ? (float)Json.Number(head, path, "head_size", Format) : null,
            });
        }

        return new HandDataset("panoptic-manual", folder, samples);
    }

    /// <summary>
    /// Reads <c>hand143_panopticdb</c>: <c>hands_v143_14817.json</c> = {"root": [{"img_paths", "joint_self" (21 ×
    /// [x, y, valid]), "objpos"}, ...]}, image paths relative to <paramref name="root"/>.
    /// </summary>
    /// <param name="root">The folder holding the JSON file and <c>imgs/</c>.</param>
    /// <param name="annotationFile">The annotation file name inside <paramref name="root"/>.</param>
    /// <returns>The records in file order.</returns>
    /// <exception cref="DataFormatException">The file is missing or malformed.</exception>
    public static HandDataset LoadPanopticDb(string root, string annotationFile = "hands_v143_14817.json")
    {
        ArgumentNullException.ThrowIfNull(root);
        string path = Path.Combine(root, annotationFile);
        using JsonDocument doc = Json.Parse(path, Format);
        JsonElement records = Json.Array(Json.Property(doc.RootElement, "root", path, "the root object", Format), path, "root", Format);
        var samples = new List<HandSample>(records.GetArrayLength());
        int i = 0;
        foreach (JsonElement record in records.EnumerateArray())
        {
            string where = $"root[{i++}]";
            string image = Json.String(Json.Property(record, "img_paths", path, where, Format), path, $"{where}.img_paths", Format);
            Keypoint2D[] keypoints = Json.Points2D(Json.Property(record, "joint_self", path, where, Format), 21, path, $"{where}.joint_self", Format, flagged: true);
            samples.Add(new HandSample(Path.GetFileNameWithoutExtension(image), Path.Combine(root, image), keypoints) { Box = Files.TightBox(keypoints) });
        }

        return new HandDataset("panoptic-db", path, samples);
    }
}
