namespace HandPose.Synthetic;

/// <summary>What a <see cref="HandSampler"/> draws. Validated when the sampler is created.</summary>
public sealed class SyntheticOptions
{
    /// <summary>The largest supported image side.</summary>
    public const int MaxSize = 4096;

    /// <summary>Side of the square output image in pixels (16 to <see cref="MaxSize"/>; default 256).</summary>
    public int Size { get; init; } = 256;

    /// <summary>Which hands to draw (default both).</summary>
    public SyntheticHandedness Handedness { get; init; } = SyntheticHandedness.Both;

    /// <summary>Share of samples drawn from the named poses plus noise; the rest are uniform within the joint limits (default 0.6).</summary>
    public double NamedPoseFraction { get; init; } = 0.6;

    /// <summary>Probability that one or two occluders are drawn in front of the hand (default 0.25).</summary>
    public double OccluderProbability { get; init; } = 0.25;

    /// <summary>
    /// Hand size in the image: the longer side of the hand's projected box as a fraction of <see cref="Size"/>, drawn
    /// uniformly in [min, max] (default 0.4 to 0.7, which leaves the context MediaPipe-style detectors need).
    /// </summary>
    public (double Min, double Max) HandScale { get; init; } = (0.4, 0.7);

    /// <summary>Largest shift of the hand's centre from the image centre, as a fraction of <see cref="Size"/> (default 0.1).</summary>
    public double MaxShift { get; init; } = 0.1;

    /// <summary>When true (default), image noise, blur and colour jitter are applied to the RGB image.</summary>
    public bool Augment { get; init; } = true;

    /// <summary>Background photographs; when non-empty, <see cref="PhotoBackgroundFraction"/> of samples crop one of them.</summary>
    public IReadOnlyList<SyntheticBackground> Backgrounds { get; init; } = [];

    /// <summary>Share of samples on a photo background when <see cref="Backgrounds"/> is non-empty (default 0.5).</summary>
    public double PhotoBackgroundFraction { get; init; } = 0.5;

    internal void Validate()
    {
        if (Size is < 16 or > MaxSize)
        {
            throw new ArgumentOutOfRangeException(nameof(Size), Size, $"Synthetic image size must be between 16 and {MaxSize} pixels.");
        }

        if (!Enum.IsDefined(Handedness))
        {
            throw new ArgumentOutOfRangeException(nameof(Handedness), Handedness, "Expected Both, Left or Right.");
        }

        Probability(NamedPoseFraction, nameof(NamedPoseFraction));
        Probability(OccluderProbability, nameof(OccluderProbability));
        Probability(PhotoBackgroundFraction, nameof(PhotoBackgroundFraction));
        if (!(HandScale.Min > 0.05 && HandScale.Min <= HandScale.Max && HandScale.Max <= 1.5))
        {
            throw new ArgumentOutOfRangeException(nameof(HandScale), HandScale, "Expected 0.05 < Min <= Max <= 1.5.");
        }

        if (!(MaxShift >= 0 && MaxShift <= 0.5))
        {
            throw new ArgumentOutOfRangeException(nameof(MaxShift), MaxShift, "Expected a fraction of the image size in [0, 0.5].");
        }

        ArgumentNullException.ThrowIfNull(Backgrounds, nameof(Backgrounds));
        if (Backgrounds.Any(b => b is null))
        {
            throw new ArgumentException("Backgrounds must not contain null entries.", nameof(Backgrounds));
        }
    }

    private static void Probability(double value, string name)
    {
        if (!(value >= 0 && value <= 1))
        {
            throw new ArgumentOutOfRangeException(name, value, "Expected a probability in [0, 1].");
        }
    }
}
