using HandPose.Structure.Codecs;
using System.Buffers;
using System.Globalization;
using HandPose.Imaging;
using HandPose.Onnx.Model;
using HandPose.Onnx.Runtime;

namespace HandPose.Onnx.Estimators;

/// <summary>
/// A single-hand keypoint estimator for heatmap models (Simple Baselines and similar) on ONNX Runtime: crops a region
/// (or the whole image), resizes it to the model input, decodes one heatmap per keypoint and maps the peaks back to
/// image pixels.
/// </summary>
/// <remarks>
/// Input: <c>[1, 3, H, W]</c> (or <c>[1, H, W, 3]</c>) float32 with fixed H and W. Output: <c>[1, K, h, w]</c> (or
/// <c>[1, h, w, K]</c>). The crop keeps the model's aspect ratio by enlarging the region; pixels outside the image
/// are black. Thread-safety: shareable. Every <c>Estimate</c> overload may be called from many threads at once
/// (per-call pooled buffers over one thread-safe session); the video overload keeps no state between frames (it only
/// stamps the result), so it is shareable too.
/// </remarks>
public sealed class OnnxHeatmapEstimator : IHandPoseEstimator
{
    private readonly OnnxSession _session;
    private readonly bool _ownsSession;
    private readonly string _inputName;
    private readonly string _outputName;
    private readonly bool _inputChannelsLast;
    private readonly int _inputWidth;
    private readonly int _inputHeight;
    private readonly PixelNormalization _normalization;
    private readonly bool _bgr;
    private readonly HeatmapLayout _layout;
    private readonly HeatmapRefinement _refinement;
    private bool _disposed;

    /// <summary>Wraps an open session (the caller keeps ownership of it).</summary>
    /// <param name="session">A session over a heatmap model.</param>
    /// <param name="options">Settings; <see langword="null"/> for metadata and defaults.</param>
    /// <exception cref="ModelLoadException">The model's inputs or outputs are not those of a heatmap model, or its metadata is malformed.</exception>
    public OnnxHeatmapEstimator(OnnxSession session, OnnxHeatmapEstimatorOptions? options = null)
        : this(session, options, ownsSession: false)
    {
    }

    private OnnxHeatmapEstimator(OnnxSession session, OnnxHeatmapEstimatorOptions? options, bool ownsSession)
    {
        ArgumentNullException.ThrowIfNull(session);
        options ??= new OnnxHeatmapEstimatorOptions();
        _session = session;
        _ownsSession = ownsSession;
        IReadOnlyDictionary<string, string> meta = session.Metadata;

        if (session.Inputs.Count != 1)
        {
            throw Bad($"a heatmap model has one image input; this one has {session.Inputs.Count}");
        }

        OnnxTensorInfo input = session.Inputs[0];
        IReadOnlyList<long> d = input.Dimensions;
        _inputChannelsLast = d.Count == 4 && d[1] != 3 && d[3] == 3;
        bool fixedHw = d.Count == 4 && (_inputChannelsLast ? d[1] > 0 && d[2] > 0 : d[1] == 3 && d[2] > 0 && d[3] > 0);
        if (input.ElementType != OnnxElementType.Float || !fixedHw || (d[0] != 1 && d[0] >= 0))
        {
            throw Bad($"expected a float32 image input [1, 3, H, W] or [1, H, W, 3] with fixed H and W; '{input.Name}' is {input}");
        }

        _inputName = input.Name;
        _inputHeight = (int)(_inputChannelsLast ? d[1] : d[2]);
        _inputWidth = (int)(_inputChannelsLast ? d[2] : d[3]);
        PoseModelSpec? spec = ReadSpec(meta);
        _outputName = options.OutputName ?? spec?.FinalOutput ?? session.Outputs[0].Name;
        if (!session.Outputs.Any(o => o.Name == _outputName))
        {
            throw Bad($"no output '{_outputName}'; outputs: {string.Join(", ", session.Outputs.Select(o => o.Name))}");
        }

        Schema = options.Schema ?? SchemaFrom(meta, spec) ?? KeypointSchema.Hand21;
        IReadOnlyList<float> mean = options.Mean ?? Floats(meta, OnnxHeatmapEstimatorOptions.MetadataKeys.Mean) ?? [0.485f, 0.456f, 0.406f];
        IReadOnlyList<float> std = options.Std ?? Floats(meta, OnnxHeatmapEstimatorOptions.MetadataKeys.Std) ?? [0.229f, 0.224f, 0.225f];
        float pixelScale = options.PixelScale ?? Floats(meta, OnnxHeatmapEstimatorOptions.MetadataKeys.PixelScale)?[0] ?? (1f / 255f);
        if (mean.Count != 3 || std.Count != 3 || std.Any(s => s == 0f || !float.IsFinite(s)) || !float.IsFinite(pixelScale))
        {
            throw Bad("mean and std need three finite values each (std non-zero) and the pixel scale must be finite");
        }

        // (v · pixelScale − mean) / std as a normalisation of v / 255: mean and std scaled by 1 / (255 · pixelScale).
        float toUnit = 1f / (255f * pixelScale);
        _normalization = new PixelNormalization([.. mean.Select(m => m * toUnit)], [.. std.Select(v => v * toUnit)]);

        _bgr = options.Bgr ?? string.Equals(Text(meta, OnnxHeatmapEstimatorOptions.MetadataKeys.ColorOrder), "BGR", StringComparison.OrdinalIgnoreCase);
        _layout = options.Layout ?? (string.Equals(Text(meta, OnnxHeatmapEstimatorOptions.MetadataKeys.HeatmapLayout), "NHWC", StringComparison.OrdinalIgnoreCase)
            ? HeatmapLayout.ChannelsLast : HeatmapLayout.ChannelsFirst);
        _refinement = options.Refinement ?? spec?.Decoder ?? HeatmapRefinement.QuarterOffset;
    }

    /// <inheritdoc/>
    public KeypointSchema Schema { get; }

    /// <summary>The model input size in pixels (width, height).</summary>
    public (int Width, int Height) InputSize => (_inputWidth, _inputHeight);

    /// <summary>Opens a heatmap model file and wraps it (the estimator owns the session).</summary>
    /// <param name="path">The <c>.onnx</c> file.</param>
    /// <param name="options">Estimator settings.</param>
    /// <param name="sessionOptions">ONNX Runtime settings.</param>
    /// <returns>The estimator.</returns>
    /// <exception cref="ModelLoadException">The file is not a loadable heatmap model.</exception>
    /// <exception cref="BackendUnavailableException">ONNX Runtime could not be loaded.</exception>
    public static OnnxHeatmapEstimator FromFile(string path, OnnxHeatmapEstimatorOptions? options = null, OnnxSessionOptions? sessionOptions = null)
    {
        OnnxSession session = OnnxSession.FromFile(path, sessionOptions);
        try
        {
            return new OnnxHeatmapEstimator(session, options, ownsSession: true);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>Estimates one hand over the whole image.</summary>
    /// <param name="image">The image (Gray8, Rgb24 or Rgba32).</param>
    /// <param name="cancellationToken">Cancels the model run.</param>
    /// <returns>One hand with <see cref="Schema"/>'s keypoints in image pixels and per-keypoint confidences.</returns>
    /// <exception cref="InputShapeException">The heatmap output does not match the schema.</exception>
    /// <exception cref="EngineException">ONNX Runtime failed.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public HandPoseResult Estimate(ImageView image, CancellationToken cancellationToken = default) =>
        Estimate(image, new HandRegion(image.Width / 2f, image.Height / 2f, image.Width, image.Height), cancellationToken);

    /// <inheritdoc cref="Estimate(ImageView, CancellationToken)"/>
    /// <param name="frame">The video frame.</param>
    /// <param name="timestamp">The frame's time (copied to the result; the estimator keeps no state between frames).</param>
    /// <param name="cancellationToken">Cancels the model run.</param>
    public HandPoseResult Estimate(ImageView frame, TimeSpan timestamp, CancellationToken cancellationToken = default) =>
        Estimate(frame, cancellationToken) with { Timestamp = timestamp };

    /// <summary>Estimates one hand inside a (possibly rotated) region of the image.</summary>
    /// <param name="image">The image (Gray8, Rgb24 or Rgba32).</param>
    /// <param name="region">Where the hand is; enlarged to the model's aspect ratio.</param>
    /// <param name="cancellationToken">Cancels the model run.</param>
    /// <returns>One hand with keypoints in image pixels; <see cref="Hand.Region"/> is the region actually used.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The region has a non-positive or non-finite size.</exception>
    /// <exception cref="InputShapeException">The heatmap output does not match the schema.</exception>
    /// <exception cref="EngineException">ONNX Runtime failed.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public HandPoseResult Estimate(ImageView image, HandRegion region, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!(region.Width > 0) || !(region.Height > 0) || !float.IsFinite(region.Width) || !float.IsFinite(region.Height)
            || !float.IsFinite(region.CenterX) || !float.IsFinite(region.CenterY) || !float.IsFinite(region.Rotation))
        {
            throw new ArgumentOutOfRangeException(nameof(region), region, "The region needs a finite centre, rotation and positive size.");
        }

        HandRegion used = FitAspect(region, (float)_inputWidth / _inputHeight);
        int n = 3 * _inputWidth * _inputHeight;
        float[] buffer = ArrayPool<float>.Shared.Rent(n);
        try
        {
            Preprocess(image, used, buffer.AsSpan(0, n));
            long[] shape = _inputChannelsLast ? [1, _inputHeight, _inputWidth, 3] : [1, 3, _inputHeight, _inputWidth];
            using OnnxRunResult result = _session.Run([OnnxTensor.FromMemory(_inputName, buffer.AsMemory(0, n), shape)], [_outputName], cancellationToken);
            Hand hand = Decode(result[0], used);
            return new HandPoseResult([hand], image.Width, image.Height);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(buffer);
        }
    }

    /// <summary>Releases the session when the estimator owns it.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (_ownsSession)
        {
            _session.Dispose();
        }
    }

    /// <summary>Enlarges the shorter side so that width / height equals <paramref name="aspect"/>.</summary>
    internal static HandRegion FitAspect(HandRegion r, float aspect) =>
        r.Width / r.Height > aspect ? r with { Height = r.Width / aspect } : r with { Width = r.Height * aspect };

    /// <summary>Maps normalised crop coordinates (each in [-0.5, 0.5]) to image pixels.</summary>
    internal static (float X, float Y) ToImage(HandRegion r, double a, double b)
    {
        double cos = Math.Cos(r.Rotation), sin = Math.Sin(r.Rotation);
        double dx = a * r.Width, dy = b * r.Height;
        return ((float)(r.CenterX + (dx * cos) - (dy * sin)), (float)(r.CenterY + (dx * sin) + (dy * cos)));
    }

    private Hand Decode(OnnxOutput output, HandRegion used)
    {
        IReadOnlyList<long> s = output.Shape;
        int k = Schema.KeypointCount;
        bool last = _layout == HeatmapLayout.ChannelsLast;
        bool ok = output.ElementType == OnnxElementType.Float && s.Count == 4 && s[0] == 1 && (last ? s[3] : s[1]) == k;
        if (!ok)
        {
            string expected = last ? $"float32 [1, h, w, {k}]" : $"float32 [1, {k}, h, w]";
            throw new InputShapeException(output.Name, $"heatmaps {expected} for schema '{Schema.Name}'", OnnxTensorInfo.ShapeText(output.ElementType, s));
        }

        int h = (int)(last ? s[1] : s[2]), w = (int)(last ? s[2] : s[3]);
        Span<Keypoint2D> peaks = k <= 64 ? stackalloc Keypoint2D[k] : new Keypoint2D[k];
        HeatmapDecoder.Decode(output.GetData<float>(), k, h, w, _layout, _refinement, peaks);
        var keypoints = new Keypoint3D[k];
        float score = 0;
        for (int i = 0; i < k; i++)
        {
            Keypoint2D p = peaks[i];
            if (p.IsMissing)
            {
                keypoints[i] = Keypoint3D.Missing;
                continue;
            }

            (float x, float y) = ToImage(used, (p.X / w) - 0.5, (p.Y / h) - 0.5);
            keypoints[i] = new Keypoint3D(x, y, 0f, p.Confidence);
            score += p.Confidence;
        }

        return new Hand(Schema, keypoints) { Region = used, Score = score / k };
    }

    /// <summary>The crop <c>TorchHeatmapEstimator</c> takes (the same warp, zero border); B and R swapped after the normalisation for a BGR model.</summary>
    private void Preprocess(ImageView image, HandRegion r, Span<float> dst)
    {
        if (image.Format is not (PixelFormat.Gray8 or PixelFormat.Rgb24 or PixelFormat.Rgba32))
        {
            throw new ArgumentException($"Unsupported pixel format {image.Format}; use Gray8, Rgb24 or Rgba32.", nameof(image));
        }

        var rect = new RotatedRect(r.CenterX, r.CenterY, r.Width, r.Height, r.Rotation);
        ImageTransforms.CropRotatedToTensor(image, rect, _inputWidth, _inputHeight, BorderMode.Zero, dst,
            _inputChannelsLast ? TensorLayout.Nhwc : TensorLayout.Nchw, _normalization);
        if (!_bgr)
        {
            return;
        }

        int plane = _inputWidth * _inputHeight;
        for (int i = 0; i < plane; i++)
        {
            int red = _inputChannelsLast ? 3 * i : i, blue = _inputChannelsLast ? (3 * i) + 2 : (2 * plane) + i;
            (dst[red], dst[blue]) = (dst[blue], dst[red]);
        }
    }

    private static PoseModelSpec? ReadSpec(IReadOnlyDictionary<string, string> meta)
    {
        try
        {
            return PoseModelSpec.FromMetadata(meta);
        }
        catch (DataFormatException ex)
        {
            throw new ModelLoadException("heatmap model", ex.Message, ex);
        }
    }

    private static ModelLoadException Bad(string reason) => new("heatmap model", reason);

    private static string? Text(IReadOnlyDictionary<string, string> meta, string key) => meta.TryGetValue(key, out string? v) ? v.Trim() : null;

    private static float[]? Floats(IReadOnlyDictionary<string, string> meta, string key)
    {
        string? text = Text(meta, key);
        if (text is null)
        {
            return null;
        }

        try
        {
            return [.. text.Split(',').Select(t => float.Parse(t, NumberStyles.Float, CultureInfo.InvariantCulture))];
        }
        catch (FormatException ex)
        {
            throw new ModelLoadException("heatmap model", $"metadata '{key}' = '{text}' is not a comma-separated list of numbers", ex);
        }
    }

    /// <summary>A built-in schema by name, else the full schema an exported model carries (<c>handpose.skeleton</c>).</summary>
    private static KeypointSchema? SchemaFrom(IReadOnlyDictionary<string, string> meta, PoseModelSpec? spec) => Text(meta, OnnxHeatmapEstimatorOptions.MetadataKeys.KeypointSchema)?.ToLowerInvariant() switch
    {
        null => spec?.Schema,
        "hand21" => KeypointSchema.Hand21,
        "coco17" => KeypointSchema.Coco17,
        string other => spec?.Schema is { } custom && custom.Name.Equals(other, StringComparison.OrdinalIgnoreCase) ? custom
            : throw new ModelLoadException("heatmap model", $"metadata '{OnnxHeatmapEstimatorOptions.MetadataKeys.KeypointSchema}' = '{other}'; expected hand21, coco17 or a schema in '{PoseModelSpec.Keys.Skeleton}'"),
    };
}
