using HandPose.Structure.Codecs;
namespace HandPose.Onnx.Estimators;

/// <summary>
/// How <see cref="OnnxHeatmapEstimator"/> feeds a heatmap model and reads its output. Each setting left
/// <see langword="null"/> is taken from the model's <c>metadata_props</c> (keys in <see cref="MetadataKeys"/>), and
/// otherwise from the documented default.
/// </summary>
public sealed class OnnxHeatmapEstimatorOptions
{
    /// <summary>The keypoint schema (its count must equal the number of heatmaps). Default: from
    /// <c>handpose.keypoint_schema</c> (<c>hand21</c> or <c>coco17</c>), else <see cref="KeypointSchema.Hand21"/>.</summary>
    public KeypointSchema? Schema { get; init; }

    /// <summary>Per-channel mean subtracted after scaling (R, G, B). Default: <c>handpose.mean</c>, else ImageNet's 0.485, 0.456, 0.406.</summary>
    public IReadOnlyList<float>? Mean { get; init; }

    /// <summary>Per-channel divisor after subtracting the mean (R, G, B). Default: <c>handpose.std</c>, else ImageNet's 0.229, 0.224, 0.225.</summary>
    public IReadOnlyList<float>? Std { get; init; }

    /// <summary>Factor applied to 0-255 pixel values before normalisation. Default: <c>handpose.pixel_scale</c>, else 1/255.</summary>
    public float? PixelScale { get; init; }

    /// <summary>Feed channels as B, G, R instead of R, G, B. Default: <c>handpose.color_order</c> = <c>BGR</c>, else <see langword="false"/>.</summary>
    public bool? Bgr { get; init; }

    /// <summary>The heatmap output layout. Default: <c>handpose.heatmap_layout</c> (<c>NCHW</c>/<c>NHWC</c>), else channels first.</summary>
    public HeatmapLayout? Layout { get; init; }

    /// <summary>The sub-pixel refinement. Default: <c>handpose.decoder</c> (written by <c>handpose export</c>), else
    /// <see cref="HeatmapRefinement.QuarterOffset"/> (Simple Baselines).</summary>
    public HeatmapRefinement? Refinement { get; init; }

    /// <summary>The model output holding the heatmaps. Default: <c>handpose.final_output</c>, else the first output.</summary>
    public string? OutputName { get; init; }

    /// <summary>The <c>metadata_props</c> keys the estimator reads.</summary>
    public static class MetadataKeys
    {
        /// <summary><c>hand21</c> or <c>coco17</c>.</summary>
        public const string KeypointSchema = PoseModelSpec.Keys.KeypointSchema;

        /// <summary>Three comma-separated floats (R, G, B).</summary>
        public const string Mean = PoseModelSpec.Keys.Mean;

        /// <summary>Three comma-separated floats (R, G, B).</summary>
        public const string Std = PoseModelSpec.Keys.Std;

        /// <summary>One float, e.g. <c>0.00392156862745098</c>.</summary>
        public const string PixelScale = PoseModelSpec.Keys.PixelScale;

        /// <summary><c>RGB</c> or <c>BGR</c>.</summary>
        public const string ColorOrder = PoseModelSpec.Keys.ColorOrder;

        /// <summary><c>NCHW</c> or <c>NHWC</c>.</summary>
        public const string HeatmapLayout = PoseModelSpec.Keys.Layout;
    }
}
