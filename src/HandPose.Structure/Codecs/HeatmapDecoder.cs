namespace HandPose.Structure.Codecs;

/// <summary>How a heatmap peak is refined below one heatmap pixel.</summary>
public enum HeatmapRefinement
{
    /// <summary>The arg-max pixel itself.</summary>
    None = 0,

    /// <summary>
    /// Simple Baselines (Xiao et al. 2018): move a quarter pixel from the arg-max towards the larger neighbour, in x and
    /// y separately, when the peak is at least two pixels from the border (as the reference implementation does).
    /// </summary>
    QuarterOffset = 1,

    /// <summary>
    /// DARK-style (Zhang et al. 2020): a second-order Taylor step on the log-heatmap at the arg-max,
    /// <c>-H⁻¹∇</c> with central differences (exact for a Gaussian peak); needs two pixels of margin on each side,
    /// otherwise falls back to the arg-max. The heatmap is not re-blurred first.
    /// </summary>
    Dark = 2,
}

/// <summary>The memory layout of a stack of heatmaps.</summary>
public enum HeatmapLayout
{
    /// <summary><c>[K, H, W]</c>: one plane per keypoint (PyTorch models, NCHW).</summary>
    ChannelsFirst = 0,

    /// <summary><c>[H, W, K]</c>: keypoints interleaved per pixel (TensorFlow models, NHWC).</summary>
    ChannelsLast = 1,
}

/// <summary>Decodes keypoint heatmaps to sub-pixel peak positions.</summary>
/// <remarks>Coordinates are continuous heatmap coordinates: the centre of heatmap pixel (i, j) is (i + 0.5, j + 0.5).
/// Confidence is the peak value (clamped at 0). Stateless and thread-safe.</remarks>
public static class HeatmapDecoder
{
    /// <summary>Decodes one peak per keypoint.</summary>
    /// <param name="heatmaps">The heatmaps of one image, <paramref name="keypoints"/> × <paramref name="height"/> × <paramref name="width"/> values.</param>
    /// <param name="keypoints">The number of heatmaps (K).</param>
    /// <param name="height">The heatmap height (H).</param>
    /// <param name="width">The heatmap width (W).</param>
    /// <param name="layout">The memory layout.</param>
    /// <param name="refinement">The sub-pixel refinement.</param>
    /// <param name="destination">Receives K keypoints in heatmap coordinates.</param>
    /// <exception cref="ArgumentException">The sizes do not match the spans, or a size is not positive.</exception>
    public static void Decode(ReadOnlySpan<float> heatmaps, int keypoints, int height, int width, HeatmapLayout layout,
                              HeatmapRefinement refinement, Span<Keypoint2D> destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(keypoints);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        long needed = (long)keypoints * height * width;
        if (heatmaps.Length != needed)
        {
            throw new ArgumentException($"{keypoints} heatmaps of {height}x{width} need {needed} values; got {heatmaps.Length}.", nameof(heatmaps));
        }

        if (destination.Length < keypoints)
        {
            throw new ArgumentException($"The destination holds {destination.Length} keypoints; {keypoints} are needed.", nameof(destination));
        }

        for (int k = 0; k < keypoints; k++)
        {
            var map = new Plane(heatmaps, k, keypoints, height, width, layout);
            destination[k] = DecodeOne(in map, refinement);
        }
    }

    private static Keypoint2D DecodeOne(in Plane map, HeatmapRefinement refinement)
    {
        int bestX = 0, bestY = 0;
        float best = float.NegativeInfinity;
        for (int y = 0; y < map.Height; y++)
        {
            for (int x = 0; x < map.Width; x++)
            {
                float v = map[x, y];
                if (v > best)
                {
                    best = v;
                    bestX = x;
                    bestY = y;
                }
            }
        }

        if (!float.IsFinite(best))
        {
            return Keypoint2D.Missing;
        }

        double px = bestX, py = bestY;
        if (refinement == HeatmapRefinement.QuarterOffset && bestX > 1 && bestX < map.Width - 1 && bestY > 1 && bestY < map.Height - 1)
        {
            px += 0.25 * Math.Sign(map[bestX + 1, bestY] - map[bestX - 1, bestY]);
            py += 0.25 * Math.Sign(map[bestX, bestY + 1] - map[bestX, bestY - 1]);
        }
        else if (refinement == HeatmapRefinement.Dark && bestX > 1 && bestX < map.Width - 2 && bestY > 1 && bestY < map.Height - 2)
        {
            (double dx, double dy) = TaylorOffset(in map, bestX, bestY);
            px += dx;
            py += dy;
        }

        return new Keypoint2D((float)(px + 0.5), (float)(py + 0.5), Math.Max(best, 0f));
    }

    private static (double Dx, double Dy) TaylorOffset(in Plane map, int x, int y)
    {
        double center = LogAt(map, x, y);
        double gx = 0.5 * (LogAt(map, x + 1, y) - LogAt(map, x - 1, y));
        double gy = 0.5 * (LogAt(map, x, y + 1) - LogAt(map, x, y - 1));
        double hxx = 0.25 * (LogAt(map, x + 2, y) - (2 * center) + LogAt(map, x - 2, y));
        double hyy = 0.25 * (LogAt(map, x, y + 2) - (2 * center) + LogAt(map, x, y - 2));
        double hxy = 0.25 * (LogAt(map, x + 1, y + 1) - LogAt(map, x - 1, y + 1) - LogAt(map, x + 1, y - 1) + LogAt(map, x - 1, y - 1));
        double det = (hxx * hyy) - (hxy * hxy);
        if (!(Math.Abs(det) > 1e-12) || hxx >= 0 || hyy >= 0)
        {
            return (0, 0); // not a proper maximum of a log-concave peak: keep the arg-max
        }

        double dx = -((hyy * gx) - (hxy * gy)) / det;
        double dy = -((hxx * gy) - (hxy * gx)) / det;
        return Math.Abs(dx) <= 1 && Math.Abs(dy) <= 1 ? (dx, dy) : (0, 0);
    }

    private static double LogAt(Plane map, int x, int y) => Math.Log(Math.Max(map[x, y], 1e-10));

    private readonly ref struct Plane
    {
        private readonly ReadOnlySpan<float> _data;
        private readonly int _k;
        private readonly int _keypoints;
        private readonly bool _last;

        public Plane(ReadOnlySpan<float> data, int k, int keypoints, int height, int width, HeatmapLayout layout)
        {
            _data = data;
            _k = k;
            _keypoints = keypoints;
            Height = height;
            Width = width;
            _last = layout == HeatmapLayout.ChannelsLast;
        }

        public int Height { get; }

        public int Width { get; }

        public float this[int x, int y] => _last
            ? _data[(((y * Width) + x) * _keypoints) + _k]
            : _data[(((_k * Height) + y) * Width) + x];
    }
}
