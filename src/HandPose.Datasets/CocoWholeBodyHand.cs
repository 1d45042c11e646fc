using System.Text.Json;
using HandPose.Datasets.Internal;

namespace HandPose.Datasets;

/// <summary>
/// COCO-WholeBody-Hand as MMPose reads it: the COCO-WholeBody annotation JSON, one hand sample per annotation side
/// whose <c>{left,right}hand_valid</c> is true and whose keypoints are not all zero; <c>{side}hand_kpts</c> = 21 × (x, y,
/// v) with v = 0 unlabelled, <c>{side}hand_box</c> = [x, y, w, h]. The keypoint order is the canonical one.
/// </summary>
public static class CocoWholeBodyHand
{
    private const string Format = "COCO-WholeBody";

    /// <summary>Reads the hands of an annotation file.</summary>
    /// <param name="annotationFile">E.g. <c>coco_wholebody_val_v1.0.json</c>.</param>
    /// <param name="imageRoot">The image folder (e.g. <c>val2017/</c>).</param>
    /// <returns>Left then right hand of each annotation, in annotation order.</returns>
    /// <exception cref="DataFormatException">The file is missing or malformed (file and field named).</exception>
    public static HandDataset Load(string annotationFile, string imageRoot)
    {
        ArgumentNullException.ThrowIfNull(annotationFile);
        ArgumentNullException.ThrowIfNull(imageRoot);
        using JsonDocument doc = Json.Parse(annotationFile, Format);
        JsonElement root = doc.RootElement;
        var images = new Dictionary<long, string>();
        int i = 0;
        foreach (JsonElement image in Json.Array(Json.Property(root, "images", annotationFile, "the root object", Format), annotationFile, "images", Format).EnumerateArray())
        {
            string where = $"images[{i++}]";
            long id = (long)Json.Number(Json.Property(image, "id", annotationFile, where, Format), annotationFile, $"{where}.id", Format);
            images[id] = Json.String(Json.Property(image, "file_name", annotationFile, where, Format), annotationFile, $"{where}.file_name", Format);
        }

        var samples = new List<HandSample>();
        i = 0;
        foreach (JsonElement ann in Json.Array(Json.Property(root, "annotations", annotationFile, "the root object", Format), annotationFile, "annotations", Format).EnumerateArray())
        {
            string where = $"annotations[{i++}]";
            long imageId = (long)Json.Number(Json.Property(ann, "image_id", annotationFile, where, Format), annotationFile, $"{where}.image_id", Format);
            if (!images.TryGetValue(imageId, out string? file))
            {
                throw new DataFormatException(Format, $"{annotationFile}: {where}.image_id {imageId} names no entry of images.");
            }

            foreach ((string side, Handedness handedness) in new[] { ("left", Handedness.Left), ("right", Handedness.Right) })
            {
                if (!ann.TryGetProperty($"{side}hand_valid", out JsonElement valid) || valid.ValueKind != JsonValueKind.True)
                {
                    continue;
                }

                JsonElement kpts = Json.Array(Json.Property(ann, $"{side}hand_kpts", annotationFile, where, Format), annotationFile, $"{where}.{side}hand_kpts", Format, 63);
                var keypoints = new Keypoint2D[21];
                bool any = false;
                for (int k = 0; k < 21; k++)
                {
                    string at = $"{where}.{side}hand_kpts[{3 * k}..{(3 * k) + 2}]";
                    double x = Json.Number(kpts[3 * k], annotationFile, at, Format), y = Json.Number(kpts[(3 * k) + 1], annotationFile, at, Format);
                    double v = Json.Number(kpts[(3 * k) + 2], annotationFile, at, Format);
                    any |= x != 0 || y != 0 || v != 0;
                    keypoints[k] = v > 0 ? new Keypoint2D((float)x, (float)y) : Keypoint2D.Missing;
                }

                if (!any)
                {
                    continue;
                }

                JsonElement box = Json.Array(Json.Property(ann, $"{side}hand_box", annotationFile, where, Format), annotationFile, $"{where}.{side}hand_box", Format, 4);
                float bx = (float)Json.Number(box[0], annotationFile, $"{where}.{side}hand_box[0]", Format), by = (float)Json.Number(box[1], annotationFile, $"{where}.{side}hand_box[1]", Format);
                float bw = (float)Json.Number(box[2], annotationFile, $"{where}.{side}hand_box[2]", Format), bh = (float)Json.Number(box[3], annotationFile, $"{where}.{side}hand_box[3]", Format);
                samples.Add(new HandSample($"{Path.GetFileNameWithoutExtension(file)}_{side}_{i - 1}", Path.Combine(imageRoot, file), keypoints)
                {
                    Handedness = handedness,
                    Box = (bx, by, bx + bw, by + bh),
                });
            }
        }

        return new HandDataset("coco-wholebody-hand", annotationFile, samples);
    }
}
