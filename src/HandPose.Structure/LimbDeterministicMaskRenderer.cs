using HandPose.Structure.Internal;

namespace HandPose.Structure;

/// <summary>
/// NSRM's limb deterministic mask (LDM): 1 where a cell lies within <see cref="HalfWidth"/> of a limb, measured
/// perpendicular to it, between its two keypoints (flat ends, inclusive), else 0; composed per
/// <see cref="Grouping"/> by OR.
/// </summary>
/// <remarks>
/// Computed in float64 with the released code's operation order (including the 1e-8 added to the limb length), so
/// every boundary cell is decided as the released code decides it. <see cref="StructureVariant.Paper"/> skips a
/// zero-length limb; <see cref="StructureVariant.OfficialCode"/> fills its channels with 1, as the released code does.
/// Only the cells of each limb's rectangle are visited. Immutable and thread-safe.
/// </remarks>
public sealed class LimbDeterministicMaskRenderer : StructureRenderer
{
    private readonly LimbMaskEngine _engine;

    /// <summary>Creates an LDM renderer.</summary>
    /// <param name="schema">The skeleton (its limbs and limb groups).</param>
    /// <param name="mapWidth">Map width in cells.</param>
    /// <param name="mapHeight">Map height in cells.</param>
    /// <param name="grouping">Output channels; default G1 followed by the schema's groups.</param>
    /// <param name="halfWidth">Half-thickness of a limb in map cells (NSRM: 1).</param>
    /// <param name="variant">Paper (default) or the released code's behaviour.</param>
    /// <exception cref="ArgumentNullException"><paramref name="schema"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A size or <paramref name="halfWidth"/> is not positive and finite, or an enum value is unknown.</exception>
    /// <exception cref="ArgumentException">The schema gives no channel for the grouping.</exception>
    public LimbDeterministicMaskRenderer(KeypointSchema schema, int mapWidth, int mapHeight, LimbGrouping grouping = LimbGrouping.G1G6, double halfWidth = 1.0, StructureVariant variant = StructureVariant.Paper)
        : this(new LimbMaskEngine(RendererChecks.Schema(schema), RendererChecks.Grouping(grouping), mapWidth, mapHeight), schema, mapWidth, mapHeight)
    {
        HalfWidth = RendererChecks.Positive(halfWidth, nameof(halfWidth));
        Variant = RendererChecks.Variant(variant);
        Grouping = grouping;
    }

    private LimbDeterministicMaskRenderer(LimbMaskEngine engine, KeypointSchema schema, int mapWidth, int mapHeight)
        : base(schema, mapWidth, mapHeight, engine.ChannelCount) => _engine = engine;

    /// <summary>Half-thickness of a limb in map cells.</summary>
    public double HalfWidth { get; }

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
            LimbShade.Deterministic,
            HalfWidth,
            sigma: 1.0,
            radius: HalfWidth + RendererChecks.RegionMargin,
            Variant == StructureVariant.OfficialCode ? DegenerateLimb.FillChannels : DegenerateLimb.Skip,
            simdWidth);
}
