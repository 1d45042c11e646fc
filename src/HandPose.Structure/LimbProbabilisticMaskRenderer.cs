using HandPose.Structure.Internal;

namespace HandPose.Structure;

/// <summary>
/// NSRM's limb probabilistic mask (LPM): exp(−D² / 2σ²) with D the distance from a cell to a limb; composed per
/// <see cref="Grouping"/> by per-cell maximum.
/// </summary>
/// <remarks>
/// <see cref="StructureVariant.Paper"/>: D is the true distance to the segment (a zero-length limb gives a Gaussian at
/// its point). <see cref="StructureVariant.OfficialCode"/>: the released code's D² — beyond the distal keypoint
/// |P−B|² + |P−Q|², and 3|P−A|² for a zero-length limb — with every region decision taken in float64 in the
/// released code's order. A limb's values below <see cref="Cutoff"/> (1e-7) may be written as 0: each limb computes
/// only cells within σ·√(2 ln 10⁷) ≈ 5.7σ of its line and of its bounding box, a superset of the cells where its value
/// can reach 1e-7 (in both variants D is at least the distance to the segment). All values agree with float64 math
/// rounded to float32 within 1e-6.
/// Immutable and thread-safe.
/// </remarks>
public sealed class LimbProbabilisticMaskRenderer : StructureRenderer
{
    /// <summary>A limb's values below this may be written as 0 (they need not be computed).</summary>
    public const double Cutoff = 1e-7;

    private readonly LimbMaskEngine _engine;

    /// <summary>Creates an LPM renderer.</summary>
    /// <param name="schema">The skeleton (its limbs and limb groups).</param>
    /// <param name="mapWidth">Map width in cells.</param>
    /// <param name="mapHeight">Map height in cells.</param>
    /// <param name="grouping">Output channels; default G1 followed by the schema's groups.</param>
    /// <param name="sigma">Gaussian sigma in map cells (NSRM: 1).</param>
    /// <param name="variant">Paper (default) or the released code's behaviour.</param>
    /// <exception cref="ArgumentNullException"><paramref name="schema"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A size or <paramref name="sigma"/> is not positive and finite, or an enum value is unknown.</exception>
    /// <exception cref="ArgumentException">The schema gives no channel for the grouping.</exception>
    public LimbProbabilisticMaskRenderer(KeypointSchema schema, int mapWidth, int mapHeight, LimbGrouping grouping = LimbGrouping.G1G6, double sigma = 1.0, StructureVariant variant = StructureVariant.Paper)
        : this(new LimbMaskEngine(RendererChecks.Schema(schema), RendererChecks.Grouping(grouping), mapWidth, mapHeight), schema, mapWidth, mapHeight)
    {
        Sigma = RendererChecks.Positive(sigma, nameof(sigma));
        Variant = RendererChecks.Variant(variant);
        Grouping = grouping;
        _radius = (Sigma * Math.Sqrt(2 * Math.Log(1 / Cutoff))) + RendererChecks.RegionMargin;
    }

    private LimbProbabilisticMaskRenderer(LimbMaskEngine engine, KeypointSchema schema, int mapWidth, int mapHeight)
        : base(schema, mapWidth, mapHeight, engine.ChannelCount) => _engine = engine;

    private readonly double _radius;

    /// <summary>Gaussian sigma in map cells.</summary>
    public double Sigma { get; }

    /// <summary>The formulas used.</summary>
    public StructureVariant Variant { get; }

    /// <summary>How limbs are composed into channels.</summary>
    public LimbGrouping Grouping { get; }

    private protected override void RenderCore(ReadOnlySpan<double> keypointsXY, Span<float> destination) =>
        RenderCore(keypointsXY, destination, SimdPath.Active);

    /// <summary>Renders with a chosen SIMD path (tests and benchmarks compare the paths).</summary>
    internal void RenderCore(ReadOnlySpan<double> keypointsXY, Span<float> destination, int simdWidth) =>
        _engine.Render(
            keypointsXY,
            destination,
            Variant == StructureVariant.OfficialCode ? LimbShade.ProbabilisticOfficial : LimbShade.ProbabilisticPaper,
            halfWidth: 1.0,
            Sigma,
            _radius,
            DegenerateLimb.Render,
            simdWidth);
}
