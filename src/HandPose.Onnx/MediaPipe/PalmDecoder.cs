using HandPose.Imaging;

namespace HandPose.Onnx.MediaPipe;

/// <summary>
/// Decodes the palm detector's raw outputs (MediaPipe's TensorsToDetections for the 2016 SSD anchors) and merges
/// overlapping boxes with weighted non-maximum suppression.
/// </summary>
internal static class PalmDecoder
{
    /// <summary>Palm model input side in pixels; also the scale of the box and keypoint regressors.</summary>
    public const int InputSize = 192;

    /// <summary>Number of anchors (24×24×2 + 12×12×6).</summary>
    public const int AnchorCount = 2016;

    /// <summary>Regressor values per anchor: box (x, y, w, h) then 7 keypoints (x, y).</summary>
    public const int ValuesPerAnchor = 18;

    private const float ScoreClip = 100f;
    private const float SuppressionIou = 0.3f;

    private static readonly float[] AnchorCenters = CreateAnchors();

    /// <summary>The anchor centres (x, y interleaved, normalized); anchor sizes are fixed to 1.</summary>
    public static ReadOnlySpan<float> Anchors => AnchorCenters;

    /// <summary>
    /// SsdAnchorsCalculator for the palm model: 4 layers, strides 8, 16, 16, 16 (equal strides merge into one
    /// feature map), 2 anchors per layer (aspect ratio 1 plus the interpolated scale), fixed size, offset 0.5,
    /// order y, x, anchor.
    /// </summary>
    private static float[] CreateAnchors()
    {
        ReadOnlySpan<int> strides = [8, 16, 16, 16];
        var centers = new float[AnchorCount * 2];
        int n = 0;
        int layer = 0;
        while (layer < strides.Length)
        {
            int last = layer;
            while (last + 1 < strides.Length && strides[last + 1] == strides[layer])
            {
                last++;
            }
            int anchorsPerCell = 2 * (last - layer + 1);
            int featureMap = (int)Math.Ceiling((double)InputSize / strides[layer]);
            for (int y = 0; y < featureMap; y++)
            {
                for (int x = 0; x < featureMap; x++)
                {
                    for (int a = 0; a < anchorsPerCell; a++)
                    {
                        centers[n++] = (x + 0.5f) / featureMap;
                        centers[n++] = (y + 0.5f) / featureMap;
                    }
                }
            }
            layer = last + 1;
        }
        return n == centers.Length ? centers : throw new InvalidOperationException($"Anchor generation produced {n / 2} anchors, expected {AnchorCount}.");
    }

    /// <summary>Decodes every anchor whose sigmoid score reaches <paramref name="minScore"/>.</summary>
    /// <param name="regressors">[2016 × 18] raw regressors in input pixels (x, y, w, h, then keypoints).</param>
    /// <param name="logits">[2016] raw score logits.</param>
    /// <param name="minScore">Minimum score (after the sigmoid).</param>
    /// <returns>The detections in letterboxed normalized coordinates, in anchor order.</returns>
    public static List<PalmDetection> Decode(ReadOnlySpan<float> regressors, ReadOnlySpan<float> logits, float minScore)
    {
        if (regressors.Length != AnchorCount * ValuesPerAnchor || logits.Length != AnchorCount)
        {
            throw new InputShapeException("palm outputs", $"[{AnchorCount}x{ValuesPerAnchor}] regressors and [{AnchorCount}] scores", $"{regressors.Length} and {logits.Length} values");
        }
        var result = new List<PalmDetection>();
        ReadOnlySpan<float> anchors = AnchorCenters;
        for (int i = 0; i < AnchorCount; i++)
        {
            float logit = Math.Clamp(logits[i], -ScoreClip, ScoreClip);
            float score = 1f / (1f + MathF.Exp(-logit));
            if (!(score >= minScore))
            {
                continue;
            }
            ReadOnlySpan<float> r = regressors.Slice(i * ValuesPerAnchor, ValuesPerAnchor);
            float ax = anchors[2 * i];
            float ay = anchors[(2 * i) + 1];
            float xc = (r[0] / InputSize) + ax;
            float yc = (r[1] / InputSize) + ay;
            float w = r[2] / InputSize;
            float h = r[3] / InputSize;
            var keypoints = new float[PalmDetection.KeypointCount * 2];
            for (int k = 0; k < PalmDetection.KeypointCount; k++)
            {
                keypoints[2 * k] = (r[4 + (2 * k)] / InputSize) + ax;
                keypoints[(2 * k) + 1] = (r[5 + (2 * k)] / InputSize) + ay;
            }
            result.Add(new PalmDetection(Box.FromCenter(xc, yc, w, h), keypoints, score));
        }
        return result;
    }

    /// <summary>
    /// Weighted ("blending") NMS: take the best remaining detection and every remaining one overlapping it with
    /// IoU &gt; 0.3, replace them by their score-weighted average (box corners and keypoints; the score stays the best
    /// one), repeat.
    /// </summary>
    public static List<PalmDetection> WeightedNonMaxSuppression(IReadOnlyList<PalmDetection> detections)
    {
        var remaining = Enumerable.Range(0, detections.Count).OrderByDescending(i => detections[i].Score).ToList();
        var output = new List<PalmDetection>();
        var candidates = new List<int>();
        var rest = new List<int>();
        while (remaining.Count > 0)
        {
            PalmDetection top = detections[remaining[0]];
            candidates.Clear();
            rest.Clear();
            candidates.Add(remaining[0]);
            for (int j = 1; j < remaining.Count; j++)
            {
                (Box.Iou(top.Box, detections[remaining[j]].Box) > SuppressionIou ? candidates : rest).Add(remaining[j]);
            }
            output.Add(candidates.Count == 1 ? top : Blend(detections, candidates, top.Score));
            (remaining, rest) = (rest, remaining);
        }
        return output;
    }

    private static PalmDetection Blend(IReadOnlyList<PalmDetection> detections, List<int> candidates, float score)
    {
        float total = 0f, xMin = 0f, yMin = 0f, xMax = 0f, yMax = 0f;
        var keypoints = new float[PalmDetection.KeypointCount * 2];
        foreach (int c in candidates)
        {
            PalmDetection d = detections[c];
            float s = d.Score;
            total += s;
            xMin += d.Box.XMin * s;
            yMin += d.Box.YMin * s;
            xMax += d.Box.XMax * s;
            yMax += d.Box.YMax * s;
            for (int k = 0; k < keypoints.Length; k++)
            {
                keypoints[k] += d.Keypoints[k] * s;
            }
        }
        for (int k = 0; k < keypoints.Length; k++)
        {
            keypoints[k] /= total;
        }
        return new PalmDetection(new Box(xMin / total, yMin / total, xMax / total, yMax / total), keypoints, score);
    }

    /// <summary>Maps a detection from the letterboxed square back to normalized image coordinates.</summary>
    public static PalmDetection RemoveLetterbox(PalmDetection d, in Letterbox letterbox)
    {
        float sx = 1f - letterbox.Left - letterbox.Right;
        float sy = 1f - letterbox.Top - letterbox.Bottom;
        var keypoints = new float[d.Keypoints.Length];
        for (int k = 0; k < PalmDetection.KeypointCount; k++)
        {
            keypoints[2 * k] = (d.KeypointX(k) - letterbox.Left) / sx;
            keypoints[(2 * k) + 1] = (d.KeypointY(k) - letterbox.Top) / sy;
        }
        var box = new Box((d.Box.XMin - letterbox.Left) / sx, (d.Box.YMin - letterbox.Top) / sy,
                          (d.Box.XMax - letterbox.Left) / sx, (d.Box.YMax - letterbox.Top) / sy);
        return new PalmDetection(box, keypoints, d.Score);
    }
}

/// <summary>Padding fractions (of the padded square) added on each side to keep the aspect ratio.</summary>
internal readonly record struct Letterbox(float Left, float Top, float Right, float Bottom)
{
    /// <summary>The padding fractions of a letterbox placement.</summary>
    public static Letterbox From(in LetterboxResult placement) =>
        new((float)placement.PadLeft, (float)placement.PadTop, (float)placement.PadRight, (float)placement.PadBottom);
}
