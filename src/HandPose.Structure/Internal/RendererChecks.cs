namespace HandPose.Structure.Internal;

/// <summary>Argument checks shared by the renderers' constructors.</summary>
internal static class RendererChecks
{
    /// <summary>Added to every region-of-influence radius: far above float64 rounding, so no needed cell is missed.</summary>
    public const double RegionMargin = 0.01;

    public static KeypointSchema Schema(KeypointSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        return schema;
    }

    public static LimbGrouping Grouping(LimbGrouping grouping) =>
        Enum.IsDefined(grouping) ? grouping : throw new ArgumentOutOfRangeException(nameof(grouping), grouping, "Unknown limb grouping.");

    public static StructureVariant Variant(StructureVariant variant) =>
        Enum.IsDefined(variant) ? variant : throw new ArgumentOutOfRangeException(nameof(variant), variant, "Unknown structure variant.");

    public static double Positive(double value, string name) =>
        value > 0 && double.IsFinite(value)
            ? value
            : throw new ArgumentOutOfRangeException(name, value, $"'{name}' must be a positive, finite number of map cells.");
}
