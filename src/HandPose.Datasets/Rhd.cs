using System.Collections;
using HandPose.Datasets.Internal;
using HandPose.IO;

namespace HandPose.Datasets;

/// <summary>
/// The Rendered Hand Pose dataset (RHD, Zimmermann &amp; Brox 2017): <c>{training,evaluation}/anno_{split}.pickle</c>, a
/// Python pickle of <c>{sample_id: {"uv_vis": 42×3, "xyz": 42×3 (metres), "K": 3×3}}</c> (NumPy arrays), with
/// <c>color/%05d.png</c>, <c>mask/%05d.png</c> and <c>depth/%05d.png</c> beside it. Rows 0–20 are the left hand, 21–41
/// the right; each finger is stored tip→base and is reversed here to the canonical base→tip order.
/// </summary>
public static class Rhd
{
    private const string Format = "RHD";

    /// <summary>Canonical index i takes RHD row <c>ToCanonical[i]</c> of a hand (wrist; each finger base→tip).</summary>
    public static IReadOnlyList<int> ToCanonical { get; } = [0, 4, 3, 2, 1, 8, 7, 6, 5, 12, 11, 10, 9, 16, 15, 14, 13, 20, 19, 18, 17];

    /// <summary>
    /// Reads a split: one sample per hand with at least one visible keypoint, id <c>"%05d/left"</c> or
    /// <c>"%05d/right"</c>, in sample-id order. Keypoints hidden in the image keep their position with confidence 0.
    /// </summary>
    /// <param name="root">The dataset folder holding <c>training/</c> and <c>evaluation/</c>.</param>
    /// <param name="split">"training" or "evaluation".</param>
    /// <returns>The samples, with 3D keypoints (mm), K, handedness, box, mask and depth files.</returns>
    /// <exception cref="DataFormatException">The pickle is missing, not an RHD annotation pickle, or a sample lacks a field or has a wrong shape (file, sample and field named).</exception>
    public static HandDataset Load(string root, string split)
    {
        ArgumentNullException.ThrowIfNull(root);
        if (split is not ("training" or "evaluation"))
        {
            throw new ArgumentException($"Unknown split '{split}'; expected training or evaluation.", nameof(split));
        }

        string folder = Path.Combine(root, split), path = Path.Combine(folder, $"anno_{split}.pickle");
        object? top = NumpyPickle.Read(Files.ReadAll(path, Format), path, Format);
        if (top is not Hashtable all)
        {
            throw new DataFormatException(Format, $"{path}: expected a dict of sample id → annotation; got {top?.GetType().Name ?? "None"}.");
        }

        var samples = new List<HandSample>();
        foreach ((long id, DictionaryEntry entry) in all.Cast<DictionaryEntry>().Select(e => (SampleId(e.Key, path), e)).OrderBy(e => e.Item1))
        {
            string where = $"sample {id}";
            if (entry.Value is not Hashtable anno)
            {
                throw new DataFormatException(Format, $"{path}: {where} is not a dict of uv_vis, xyz, K.");
            }

            double[] uv = Field(anno, "uv_vis", [42, 3], path, where);
            double[] xyz = Field(anno, "xyz", [42, 3], path, where);
            double[] k = Field(anno, "K", [3, 3], path, where);
            string name = id.ToString("D5", System.Globalization.CultureInfo.InvariantCulture);
            foreach ((Handedness side, int offset, string label) in (ReadOnlySpan<(Handedness, int, string)>)[(Handedness.Left, 0, "left"), (Handedness.Right, 21, "right")])
            {
                var keypoints = new Keypoint2D[21];
                var points3D = new Keypoint3D[21];
                bool any = false;
                for (int c = 0; c < 21; c++)
                {
                    int row = offset + ToCanonical[c];
                    bool visible = uv[(row * 3) + 2] > 0.5;
                    any |= visible;
                    keypoints[c] = new Keypoint2D((float)uv[row * 3], (float)uv[(row * 3) + 1], visible ? 1f : 0f);
                    points3D[c] = new Keypoint3D((float)(xyz[row * 3] * 1000), (float)(xyz[(row * 3) + 1] * 1000), (float)(xyz[(row * 3) + 2] * 1000));
                }

                if (!any)
                {
                    continue;
                }

                samples.Add(new HandSample($"{name}/{label}", Path.Combine(folder, "color", name + ".png"), keypoints)
                {
                    Keypoints3D = points3D,
                    Intrinsics = k,
                    Handedness = side,
                    Box = Files.TightBox(keypoints),
                    MaskPath = Path.Combine(folder, "mask", name + ".png"),
                    DepthPath = Path.Combine(folder, "depth", name + ".png"),
                });
            }
        }

        return new HandDataset("rhd", path, samples);
    }

    /// <summary>Decodes an RHD depth PNG (8-bit RGB): depth in metres = (R·256 + G) / 65535 × 5.</summary>
    /// <param name="rgb">Width × height × 3 bytes.</param>
    /// <param name="destination">Receives width × height depths in metres.</param>
    /// <exception cref="ArgumentException">The lengths do not match.</exception>
    public static void DecodeDepth(ReadOnlySpan<byte> rgb, Span<float> destination)
    {
        if (rgb.Length != destination.Length * 3)
        {
            throw new ArgumentException($"Expected 3 bytes per depth value; got {rgb.Length} bytes for {destination.Length} values.", nameof(rgb));
        }

        for (int i = 0; i < destination.Length; i++)
        {
            destination[i] = ((rgb[3 * i] * 256) + rgb[(3 * i) + 1]) / 65535f * 5f;
        }
    }

    private static long SampleId(object key, string path) => key switch
    {
        int or long or short or byte => Convert.ToInt64(key, System.Globalization.CultureInfo.InvariantCulture),
        System.Numerics.BigInteger big when big >= long.MinValue && big <= long.MaxValue => (long)big,
        _ => throw new DataFormatException(Format, $"{path}: sample ids must be integers; got {(key is string s ? $"'{s}'" : key.GetType().Name)}."),
    };

    private static double[] Field(Hashtable anno, string name, int[] shape, string path, string where)
    {
        if (!anno.ContainsKey(name))
        {
            throw new DataFormatException(Format, $"{path}: {where} has no field '{name}'.");
        }

        if (anno[name] is not PickledArray array)
        {
            throw new DataFormatException(Format, $"{path}: {where}.{name} must be a NumPy array; got {anno[name]?.GetType().Name ?? "None"}.");
        }

        if (!array.Shape.SequenceEqual(shape))
        {
            throw new DataFormatException(Format, $"{path}: {where}.{name} must have shape ({string.Join(", ", shape)}); got ({string.Join(", ", array.Shape)}).");
        }

        return array.ToDoubles();
    }
}
