using System.Buffers;
using HandPose.Structure.Internal;

namespace HandPose.Structure;

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
    private const int StackScratchLimit = 4096;

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
        int scratchLength = MapWidth + MapHeight;
        float[]? rented = null;
        Span<float> scratch = scratchLength <= StackScratchLimit
            ? stackalloc float[StackScratchLimit].Slice(0, scratchLength)
            : (rented = ArrayPool<float>.Shared.Rent(scratchLength)).AsSpan(0, scratchLength);
        try
        {
            for (int k = 0; k < ChannelCount; k++)
            {
                Span<float> channel = destination.Slice(k * plane, plane);
                double x = keypointsXY[2 * k];
                double y = keypointsXY[(2 * k) + 1];
                if (!double.IsFinite(x) || !double.IsFinite(y))
                {
                    channel.Clear();
                    continue;
                }

                HeatmapKernel.Render(simdWidth, (float)x, (float)y, _scale, channel, scratch.Slice(0, MapWidth), scratch.Slice(MapWidth, MapHeight), MapWidth, MapHeight);
            }
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<float>.Shared.Return(rented);
            }
        }
    }
}
