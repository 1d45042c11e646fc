using HandPose.Imaging;
using HandPose.Structure.Codecs;

namespace HandPose.Torch.Estimators;

/// <summary>How <see cref="TorchHeatmapEstimator"/> feeds a zoo network: input size, pixel normalisation, channel order, decoding.</summary>
public sealed record TorchHeatmapEstimatorOptions
{
    /// <summary>The network input width in pixels. Default 368 (NSRM, CPM, HandyPose).</summary>
    public int InputWidth { get; init; } = 368;

    /// <summary>The network input height in pixels. Default 368.</summary>
    public int InputHeight { get; init; } = 368;

    /// <summary>Maps 0–255 pixels to network values (applied as (v / 255 − mean) / std). Default ImageNet's.</summary>
    public PixelNormalization Normalization { get; init; } = PixelNormalization.ImageNet;

    /// <summary>Feed B, G, R instead of R, G, B (HandyPose was trained on OpenCV's BGR). Default <see langword="false"/>.</summary>
    public bool Bgr { get; init; }

    /// <summary>The sub-pixel refinement of each heatmap peak. Default <see cref="HeatmapRefinement.None"/> (arg-max, as NSRM and HandyPose decode).</summary>
    public HeatmapRefinement Refinement { get; init; } = HeatmapRefinement.None;

    /// <summary>What the crop samples outside the image. Default <see cref="BorderMode.Zero"/> (black).</summary>
    public BorderMode Border { get; init; } = BorderMode.Zero;

    /// <summary>The keypoint schema (its count must equal the network's heatmaps). Default <see cref="KeypointSchema.Hand21"/>.</summary>
    public KeypointSchema Schema { get; init; } = KeypointSchema.Hand21;

    /// <summary>
    /// The official preprocessing of a registered architecture: <c>cpm</c>/<c>nsrm-*</c> 368×368 RGB with ImageNet
    /// normalisation (NSRMhand); <c>handypose</c> 368×368 BGR, (v − 128) / 256; <c>simplebaseline-*</c> 256×256 RGB,
    /// ImageNet, quarter-offset refinement.
    /// </summary>
    /// <param name="architecture">A name from <c>TorchArchitectures.All</c>.</param>
    /// <returns>The options.</returns>
    /// <exception cref="ArgumentException">The architecture is not a heatmap network of the zoo.</exception>
    public static TorchHeatmapEstimatorOptions For(string architecture)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        if (architecture == "cpm" || architecture.StartsWith("nsrm-", StringComparison.Ordinal))
        {
            return new TorchHeatmapEstimatorOptions();
        }

        if (architecture == "handypose")
        {
            return new TorchHeatmapEstimatorOptions { Bgr = true, Normalization = HandyPoseNormalization };
        }

        if (architecture.StartsWith("simplebaseline-", StringComparison.Ordinal))
        {
            return new TorchHeatmapEstimatorOptions { InputWidth = 256, InputHeight = 256, Refinement = HeatmapRefinement.QuarterOffset };
        }

        throw new ArgumentException($"'{architecture}' is not a heatmap network of the zoo (cpm, nsrm-*, handypose, simplebaseline-*).", nameof(architecture));
    }

    /// <summary>HandyPose's (v − 128) / 256 as a normalisation of v / 255.</summary>
    private static PixelNormalization HandyPoseNormalization { get; } =
        new([128f / 255f, 128f / 255f, 128f / 255f], [256f / 255f, 256f / 255f, 256f / 255f]);
}
