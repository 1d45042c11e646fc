using System.Globalization;
using System.Text.Json;
using HandPose.Datasets.Internal;

namespace HandPose.Datasets;

/// <summary>
/// FreiHAND (Zimmermann et al., ICCV 2019): <c>{split}_xyz.json</c> (21 × 3 camera coordinates in metres per sample),
/// <c>{split}_K.json</c> (3 × 3 intrinsics), images <c>{split}/rgb/%08d.jpg</c>. The training images come in four
/// versions (green screen, hom, sample, auto): image id = sample + N × version. 2D keypoints are the projections
/// u = (K·xyz)₀ / (K·xyz)₂, v = (K·xyz)₁ / (K·xyz)₂. The keypoint order is the canonical one.
/// </summary>
public static class FreiHand
{
    private const string Format = "FreiHAND";

    /// <summary>Reads a split.</summary>
    /// <param name="root">The folder holding the JSON files and the split folders.</param>
    /// <param name="split">"training" or "evaluation".</param>
    /// <param name="versions">How many image versions to list per sample (training: 1 to 4; evaluation: 1).</param>
    /// <returns>N × versions samples, version-major as the image ids are.</returns>
    /// <exception cref="DataFormatException">A file is missing or malformed, or the lists differ in length.</exception>
    public static HandDataset Load(string root, string split = "training", int versions = 4)
    {
        ArgumentNullException.ThrowIfNull(root);
        if (split is not ("training" or "evaluation"))
        {
            throw new ArgumentException($"Unknown split '{split}'; expected training or evaluation.", nameof(split));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(versions, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(versions, split == "training" ? 4 : 1);
        string xyzPath = Path.Combine(root, $"{split}_xyz.json"), kPath = Path.Combine(root, $"{split}_K.json");
        using JsonDocument xyzDoc = Json.Parse(xyzPath, Format);
        using JsonDocument kDoc = Json.Parse(kPath, Format);
        JsonElement xyz = Json.Array(xyzDoc.RootElement, xyzPath, "the root", Format);
        int n = xyz.GetArrayLength();
        JsonElement ks = Json.Array(kDoc.RootElement, kPath, "the root", Format, n);
        var points3 = new Keypoint3D[n][];
        var points2 = new Keypoint2D[n][];
        var intrinsics = new double[n][];
        for (int i = 0; i < n; i++)
        {
            points3[i] = Json.Points3D(xyz[i], 21, 1000, xyzPath, $"[{i}]", Format);
            intrinsics[i] = Json.Matrix3(ks[i], kPath, $"[{i}]", Format);
            points2[i] = Project(points3[i], intrinsics[i]);
        }

        var samples = new List<HandSample>(n * versions);
        for (int v = 0; v < versions; v++)
        {
            for (int i = 0; i < n; i++)
            {
                string id = ((v * n) + i).ToString("D8", CultureInfo.InvariantCulture);
                samples.Add(new HandSample(id, Path.Combine(root, split, "rgb", id + ".jpg"), points2[i])
                {
                    Keypoints3D = points3[i],
                    Intrinsics = intrinsics[i],
                    Handedness = Handedness.Right, // FreiHAND shows right hands (MANO right model)
                    Box = Files.TightBox(points2[i]),
                    MaskPath = split == "training" ? Path.Combine(root, split, "mask", i.ToString("D8", CultureInfo.InvariantCulture) + ".jpg") : null,
                });
            }
        }

        return new HandDataset($"freihand-{split}", root, samples);
    }

    /// <summary>Pinhole projection of camera-frame points through K (row-major 3 × 3).</summary>
    internal static Keypoint2D[] Project(IReadOnlyList<Keypoint3D> points, IReadOnlyList<double> k)
    {
        var uv = new Keypoint2D[points.Count];
        for (int j = 0; j < points.Count; j++)
        {
            double x = points[j].X, y = points[j].Y, z = points[j].Z;
            double a = (k[0] * x) + (k[1] * y) + (k[2] * z), b = (k[3] * x) + (k[4] * y) + (k[5] * z), c = (k[6] * x) + (k[7] * y) + (k[8] * z);
            uv[j] = c > 0 ? new Keypoint2D((float)(a / c), (float)(b / c)) : Keypoint2D.Missing;
        }

        return uv;
    }
}
