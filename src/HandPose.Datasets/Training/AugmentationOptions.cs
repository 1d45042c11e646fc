namespace HandPose.Datasets.Training;

/// <summary>
/// What <see cref="SamplePipeline"/> does to a training sample: an affine crop around the hand (rotation, scale,
/// shift, horizontal flip) and photometric changes (colour jitter, blur, noise). Validated by the pipeline.
/// </summary>
public sealed class AugmentationOptions
{
    /// <summary>No augmentation: the centred crop only (validation, evaluation).</summary>
    public static AugmentationOptions None { get; } = new()
    {
        RotationDegrees = 0, ScaleRange = (1, 1), ShiftFraction = 0, FlipProbability = 0, Brightness = 0, Contrast = 0,
        Saturation = 0, BlurProbability = 0, NoiseProbability = 0,
    };

    /// <summary>Largest rotation in degrees, drawn uniformly in ±this (default 30).</summary>
    public double RotationDegrees { get; init; } = 30;

    /// <summary>Zoom factor range, drawn uniformly (default 0.8 to 1.25; above 1 the hand gets larger).</summary>
    public (double Min, double Max) ScaleRange { get; init; } = (0.8, 1.25);

    /// <summary>Largest shift of the crop centre as a fraction of the crop side, per axis (default 0.1).</summary>
    public double ShiftFraction { get; init; } = 0.1;

    /// <summary>Probability of a horizontal flip (default 0.5); a flipped hand changes handedness.</summary>
    public double FlipProbability { get; init; } = 0.5;

    /// <summary>
    /// Keypoint permutation applied on a flip (index i of the flipped sample takes keypoint FlipPermutation[i]);
    /// null keeps the order, which is right for one hand (Hand21 has no left/right pairs within a hand).
    /// </summary>
    public IReadOnlyList<int>? FlipPermutation { get; init; }

    /// <summary>Brightness jitter: a factor drawn in 1 ± this (default 0.25).</summary>
    public double Brightness { get; init; } = 0.25;

    /// <summary>Contrast jitter: a factor drawn in 1 ± this around the image mean (default 0.25).</summary>
    public double Contrast { get; init; } = 0.25;

    /// <summary>Saturation jitter: a factor drawn in 1 ± this around each pixel's gray (default 0.25).</summary>
    public double Saturation { get; init; } = 0.25;

    /// <summary>Probability of a 3×3 Gaussian blur (binomial 1-2-1 kernel, edge pixels replicated; default 0.2).</summary>
    public double BlurProbability { get; init; } = 0.2;

    /// <summary>Probability of additive Gaussian noise (default 0.2).</summary>
    public double NoiseProbability { get; init; } = 0.2;

    /// <summary>Largest noise standard deviation on the 0..1 scale, drawn uniformly up to this (default 0.04).</summary>
    public double NoiseStd { get; init; } = 0.04;

    /// <summary>Crop side as a multiple of the hand box's longer side (default 1.3).</summary>
    public double Context { get; init; } = 1.3;

    internal void Validate()
    {
        static void Range(double v, double lo, double hi, string name)
        {
            if (!(v >= lo && v <= hi))
            {
                throw new ArgumentOutOfRangeException(name, v, $"Expected a value in [{lo}, {hi}].");
            }
        }

        Range(RotationDegrees, 0, 180, nameof(RotationDegrees));
        if (!(ScaleRange.Min > 0 && ScaleRange.Min <= ScaleRange.Max && ScaleRange.Max <= 10))
        {
            throw new ArgumentOutOfRangeException(nameof(ScaleRange), ScaleRange, "Expected 0 < Min <= Max <= 10.");
        }

        Range(ShiftFraction, 0, 1, nameof(ShiftFraction));
        Range(FlipProbability, 0, 1, nameof(FlipProbability));
        Range(Brightness, 0, 1, nameof(Brightness));
        Range(Contrast, 0, 1, nameof(Contrast));
        Range(Saturation, 0, 1, nameof(Saturation));
        Range(BlurProbability, 0, 1, nameof(BlurProbability));
        Range(NoiseProbability, 0, 1, nameof(NoiseProbability));
        Range(NoiseStd, 0, 1, nameof(NoiseStd));
        Range(Context, 0.5, 10, nameof(Context));
    }
}
