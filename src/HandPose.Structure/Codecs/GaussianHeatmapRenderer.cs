using HandPose.Structure.Internal;

namespace HandPose.Structure.Codecs;

/// <summary>
/// Gaussian keypoint confidence maps, one channel per keypoint: exp(−((c − X)² + (r − Y)²) / 2σ²), peak 1 at the exact
/// sub-cell position, no truncation, no background channel (NSRM/CPM targets).
/// </summary>
/// <remarks>
/// Float32 math like the released code (the keypoint is rounded to float32 first); each map is written as the outer
/// product of two 1-D Gaussians, which agrees with the direct formula within 2e-6. A missing keypoint gives an
/// all-zero channel. Immutable and thread-safe.
/// </remarks>
public sealed class GaussianHeatmapRenderer : StructureRenderer
{
    [ThreadStatic]
    private static float[]? t_scratch;

    /// <summary>Creates a heatmap renderer.</summary>
    /// <param name="schema">The skeleton (one channel per keypoint).</param>
    /// <param name="mapWidth">Map width in cells.</param>
    /// <param name="mapHeight">Map height in cells.</param>
    /// <param name="sigma">Gaussian sigma in map cells (NSRM: 1).</param>
    /// <exception cref="ArgumentNullException"><paramref name="schema"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A size or <paramref name="sigma"/> is not positive and finite.</exception>
    public GaussianHeatmapRenderer(KeypointSchema schema, int mapWidth, int mapHeight, double sigma = 1.0)
        : base(RendererChecks.Schema(schema), mapWidth, mapHeight, schema.KeypointCount)
    {
        Sigma = RendererChecks.Positive(sigma, nameof(sigma));
        float s = (float)Sigma;
        _scale = -0.5f / s / s;
    }

    private readonly float _scale;

    /// <summary>Gaussian sigma in map cells.</summary>
    public double Sigma { get; }

    private protected override void RenderCore(ReadOnlySpan<double> keypointsXY, Span<float> destination) =>
        RenderCore(keypointsXY, destination, SimdPath.Active);

    /// <summary>Renders with a chosen SIMD path (tests and benchmarks compare the paths).</summary>
    internal void RenderCore(ReadOnlySpan<double> keypointsXY, Span<float> destination, int simdWidth)
    {
        int plane = MapWidth * MapHeight;
        int perKeypoint = MapWidth + MapHeight;
        int scratchLength = ChannelCount * perKeypoint;
        float[] scratch = t_scratch is { } cached && cached.Length >= scratchLength ? cached : (t_scratch = new float[scratchLength]);

        // The two 1-D Gaussians of every present keypoint.
        for (int k = 0; k < ChannelCount; k++)
        {
            double x = keypointsXY[2 * k];
            double y = keypointsXY[(2 * k) + 1];
            if (double.IsFinite(x) && double.IsFinite(y))
            {
                Span<float> args = scratch.AsSpan(k * perKeypoint, perKeypoint);
                HeatmapKernel.Arguments(simdWidth, (float)x, _scale, args.Slice(0, MapWidth));
                HeatmapKernel.Arguments(simdWidth, (float)y, _scale, args.Slice(MapWidth, MapHeight));
            }
        }

        for (int k = 0; k < ChannelCount; k++)
        {
            Span<float> channel = destination.Slice(k * plane, plane);
            if (!double.IsFinite(keypointsXY[2 * k]) || !double.IsFinite(keypointsXY[(2 * k) + 1]))
            {
                channel.Clear();
                continue;
            }

            ReadOnlySpan<float> gaussians = scratch.AsSpan(k * perKeypoint, perKeypoint);
            HeatmapKernel.OuterProduct(simdWidth, gaussians.Slice(0, MapWidth), gaussians.Slice(MapWidth, MapHeight), channel);
        }
    }
}
