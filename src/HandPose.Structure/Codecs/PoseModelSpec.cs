using System.Globalization;

namespace HandPose.Structure.Codecs;

/// <summary>
/// What a deployed pose model needs besides its weights: the architecture, the input (size, channels, layout, pixel
/// normalisation, channel order), the keypoint schema and the heatmap codec (stride, decoder), and the names of its
/// outputs. <c>handpose export</c> writes it into an ONNX model's <c>metadata_props</c> (<see cref="ToMetadata"/>);
/// <c>OnnxHeatmapEstimator</c> reads it back (<see cref="FromMetadata"/>), so both backends feed and decode a model alike.
/// </summary>
/// <remarks>Immutable; keys are listed in <see cref="Keys"/>. Numbers are written with the invariant culture.</remarks>
public sealed record PoseModelSpec
{
    /// <summary>The architecture name (e.g. <c>simplebaseline-resnet18</c>).</summary>
    public required string Architecture { get; init; }

    /// <summary>The input width in pixels.</summary>
    public required int InputWidth { get; init; }

    /// <summary>The input height in pixels.</summary>
    public required int InputHeight { get; init; }

    /// <summary>The image input's channels (3 for RGB, 1 for a depth map).</summary>
    public int InputChannels { get; init; } = 3;

    /// <summary>The memory layout of the image input and heatmap outputs: <c>NCHW</c> (PyTorch) or <c>NHWC</c>.</summary>
    public string Layout { get; init; } = "NCHW";

    /// <summary>Per-channel mean subtracted after scaling by <see cref="PixelScale"/> (R, G, B); <see langword="null"/> when the input is not an 8-bit image.</summary>
    public IReadOnlyList<float>? Mean { get; init; }

    /// <summary>Per-channel divisor applied after subtracting <see cref="Mean"/> (R, G, B).</summary>
    public IReadOnlyList<float>? Std { get; init; }

    /// <summary>The factor applied to 0–255 pixel values before the normalisation (1/255 by default).</summary>
    public float PixelScale { get; init; } = 1f / 255f;

    /// <summary>Whether channels are fed as B, G, R (HandyPose) instead of R, G, B.</summary>
    public bool Bgr { get; init; }

    /// <summary>The keypoints and skeleton the heatmaps follow; <see langword="null"/> for a model that is not a keypoint model.</summary>
    public KeypointSchema? Schema { get; init; }

    /// <summary>Input pixels per heatmap pixel (4 for Simple Baselines, 8 for CPM/NSRM); <see langword="null"/> when not a heatmap model.</summary>
    public int? HeatmapStride { get; init; }

    /// <summary>How a heatmap peak is refined; <see langword="null"/> when not a heatmap model.</summary>
    public HeatmapRefinement? Decoder { get; init; }

    /// <summary>The output holding the final heatmaps (N × K × h × w), or the final output of a non-heatmap model.</summary>
    public string? FinalOutput { get; init; }

    /// <summary>Every output name of the model, in order.</summary>
    public IReadOnlyList<string> Outputs { get; init; } = [];

    /// <summary>The <c>metadata_props</c> keys.</summary>
    public static class Keys
    {
        /// <summary>The architecture name.</summary>
        public const string Architecture = "handpose.architecture";

        /// <summary><c>W,H</c>, e.g. <c>256,256</c>.</summary>
        public const string InputSize = "handpose.input_size";

        /// <summary>The image input's channel count.</summary>
        public const string InputChannels = "handpose.input_channels";

        /// <summary><c>NCHW</c> or <c>NHWC</c> (input and heatmaps).</summary>
        public const string Layout = "handpose.heatmap_layout";

        /// <summary>Three comma-separated floats (R, G, B).</summary>
        public const string Mean = "handpose.mean";

        /// <summary>Three comma-separated floats (R, G, B).</summary>
        public const string Std = "handpose.std";

        /// <summary>One float, e.g. <c>0.003921569</c>.</summary>
        public const string PixelScale = "handpose.pixel_scale";

        /// <summary><c>RGB</c> or <c>BGR</c>.</summary>
        public const string ColorOrder = "handpose.color_order";

        /// <summary>The schema's short name (<c>hand21</c>, <c>coco17</c>).</summary>
        public const string KeypointSchema = "handpose.keypoint_schema";

        /// <summary>The whole schema (keypoints, limbs, groups) as <see cref="HandPose.KeypointSchema"/> JSON.</summary>
        public const string Skeleton = "handpose.skeleton";

        /// <summary>Input pixels per heatmap pixel.</summary>
        public const string HeatmapStride = "handpose.heatmap_stride";

        /// <summary>The <see cref="HeatmapRefinement"/> name: <c>None</c>, <c>QuarterOffset</c>, <c>Dark</c>.</summary>
        public const string Decoder = "handpose.decoder";

        /// <summary>The name of the final (heatmap) output.</summary>
        public const string FinalOutput = "handpose.final_output";

        /// <summary>Every output name, comma-separated.</summary>
        public const string Outputs = "handpose.outputs";
    }

    /// <summary>The spec as <c>metadata_props</c> entries (optional parts that are <see langword="null"/> are left out).</summary>
    /// <returns>Key/value pairs in a fixed order.</returns>
    public IReadOnlyList<KeyValuePair<string, string>> ToMetadata()
    {
        var entries = new List<KeyValuePair<string, string>>
        {
            new(Keys.Architecture, Architecture),
            new(Keys.InputSize, Invariant($"{InputWidth},{InputHeight}")),
            new(Keys.InputChannels, Invariant($"{InputChannels}")),
            new(Keys.Layout, Layout),
        };
        if (Mean is not null && Std is not null)
        {
            entries.Add(new(Keys.Mean, Floats(Mean)));
            entries.Add(new(Keys.Std, Floats(Std)));
            entries.Add(new(Keys.PixelScale, PixelScale.ToString("R", CultureInfo.InvariantCulture)));
            entries.Add(new(Keys.ColorOrder, Bgr ? "BGR" : "RGB"));
        }

        if (Schema is not null)
        {
            entries.Add(new(Keys.KeypointSchema, Schema.Name));
            entries.Add(new(Keys.Skeleton, Schema.ToJson()));
        }

        if (HeatmapStride is int stride)
        {
            entries.Add(new(Keys.HeatmapStride, Invariant($"{stride}")));
        }

        if (Decoder is HeatmapRefinement decoder)
        {
            entries.Add(new(Keys.Decoder, decoder.ToString()));
        }

        if (FinalOutput is not null)
        {
            entries.Add(new(Keys.FinalOutput, FinalOutput));
        }

        entries.Add(new(Keys.Outputs, string.Join(",", Outputs)));
        return entries;
    }

    /// <summary>Reads a spec written by <see cref="ToMetadata"/>.</summary>
    /// <param name="metadata">A model's <c>metadata_props</c>.</param>
    /// <returns>The spec, or <see langword="null"/> when the metadata has no <see cref="Keys.Architecture"/> entry (not an exported model).</returns>
    /// <exception cref="DataFormatException">An entry is present but malformed (the key and value are named).</exception>
    public static PoseModelSpec? FromMetadata(IReadOnlyDictionary<string, string> metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        if (!metadata.TryGetValue(Keys.Architecture, out string? architecture))
        {
            return null;
        }

        float[]? size = ReadFloats(metadata, Keys.InputSize);
        if (size is not { Length: 2 } || size.Any(v => v < 1 || v != MathF.Floor(v)))
        {
            throw Malformed(metadata, Keys.InputSize, "two positive whole numbers W,H");
        }

        float[]? mean = ReadFloats(metadata, Keys.Mean), std = ReadFloats(metadata, Keys.Std);
        if ((mean is not null && mean.Length != 3) || (std is not null && (std.Length != 3 || std.Any(s => s == 0))))
        {
            throw Malformed(metadata, mean is not null && mean.Length != 3 ? Keys.Mean : Keys.Std, "three numbers (std non-zero)");
        }

        HeatmapRefinement? decoder = null;
        if (metadata.TryGetValue(Keys.Decoder, out string? decoderText))
        {
            decoder = Enum.TryParse(decoderText, ignoreCase: true, out HeatmapRefinement r) && Enum.IsDefined(r)
                ? r : throw Malformed(metadata, Keys.Decoder, "None, QuarterOffset or Dark");
        }

        KeypointSchema? schema = null;
        if (metadata.TryGetValue(Keys.Skeleton, out string? json))
        {
            try
            {
                schema = KeypointSchema.FromJson(json);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                throw new DataFormatException("ONNX model metadata", $"'{Keys.Skeleton}' is not a keypoint schema: {e.Message}", e);
            }
        }

        return new PoseModelSpec
        {
            Architecture = architecture,
            InputWidth = (int)size[0],
            InputHeight = (int)size[1],
            InputChannels = ReadInt(metadata, Keys.InputChannels) ?? 3,
            Layout = metadata.GetValueOrDefault(Keys.Layout, "NCHW"),
            Mean = mean,
            Std = std,
            PixelScale = ReadFloats(metadata, Keys.PixelScale)?.FirstOrDefault() ?? (1f / 255f),
            Bgr = string.Equals(metadata.GetValueOrDefault(Keys.ColorOrder), "BGR", StringComparison.OrdinalIgnoreCase),
            Schema = schema,
            HeatmapStride = ReadInt(metadata, Keys.HeatmapStride),
            Decoder = decoder,
            FinalOutput = metadata.GetValueOrDefault(Keys.FinalOutput),
            Outputs = metadata.TryGetValue(Keys.Outputs, out string? outputs) && outputs.Length > 0 ? outputs.Split(',') : [],
        };
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static string Floats(IEnumerable<float> values) => string.Join(",", values.Select(v => v.ToString("R", CultureInfo.InvariantCulture)));

    private static float[]? ReadFloats(IReadOnlyDictionary<string, string> metadata, string key)
    {
        if (!metadata.TryGetValue(key, out string? text))
        {
            return null;
        }

        var values = new List<float>();
        foreach (string part in text.Split(','))
        {
            if (!float.TryParse(part.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out float v) || !float.IsFinite(v))
            {
                throw Malformed(metadata, key, "comma-separated finite numbers");
            }

            values.Add(v);
        }

        return [.. values];
    }

    private static int? ReadInt(IReadOnlyDictionary<string, string> metadata, string key) =>
        !metadata.TryGetValue(key, out string? text) ? null
        : int.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) && v > 0 ? v
        : throw Malformed(metadata, key, "a positive whole number");

    private static DataFormatException Malformed(IReadOnlyDictionary<string, string> metadata, string key, string expected) =>
        new("ONNX model metadata", $"'{key}' = '{metadata.GetValueOrDefault(key)}' is malformed; expected {expected}");
}
