namespace HandPose.Imaging;

/// <summary>
/// How 8-bit RGB values become tensor values: value = (pixel / 255 − Mean[c]) / Std[c] per channel (R, G, B).
/// </summary>
public sealed class PixelNormalization
{
    private readonly float[] _mean;
    private readonly float[] _std;

    /// <summary>Creates a per-channel normalization.</summary>
    /// <param name="mean">Three means (R, G, B) on the [0, 1] scale.</param>
    /// <param name="std">Three positive standard deviations on the [0, 1] scale.</param>
    /// <exception cref="ArgumentException">Not three values each, or a deviation is not positive and finite.</exception>
    public PixelNormalization(ReadOnlySpan<float> mean, ReadOnlySpan<float> std)
    {
        if (mean.Length != 3 || std.Length != 3)
        {
            throw new ArgumentException($"Mean and std need 3 values (R, G, B); got {mean.Length} and {std.Length}.");
        }

        foreach (float s in std)
        {
            if (!(s > 0) || !float.IsFinite(s))
            {
                throw new ArgumentException($"Standard deviations must be positive and finite; got {s}.", nameof(std));
            }
        }

        _mean = mean.ToArray();
        _std = std.ToArray();
    }

    /// <summary>[0, 1]: pixel / 255 (MediaPipe models).</summary>
    public static PixelNormalization ZeroToOne { get; } = new([0f, 0f, 0f], [1f, 1f, 1f]);

    /// <summary>[−1, 1]: pixel / 127.5 − 1.</summary>
    public static PixelNormalization MinusOneToOne { get; } = new([0.5f, 0.5f, 0.5f], [0.5f, 0.5f, 0.5f]);

    /// <summary>ImageNet mean (0.485, 0.456, 0.406) and std (0.229, 0.224, 0.225) (torchvision models).</summary>
    public static PixelNormalization ImageNet { get; } = new([0.485f, 0.456f, 0.406f], [0.229f, 0.224f, 0.225f]);

    /// <summary>The means (R, G, B).</summary>
    public IReadOnlyList<float> Mean => _mean;

    /// <summary>The standard deviations (R, G, B).</summary>
    public IReadOnlyList<float> Std => _std;

    /// <summary>Per channel: value = pixel·Scale + Bias for pixel in 0..255.</summary>
    internal void GetScaleBias(Span<float> scale, Span<float> bias)
    {
        for (int c = 0; c < 3; c++)
        {
            scale[c] = (float)(1.0 / (255.0 * _std[c]));
            bias[c] = (float)(-_mean[c] / (double)_std[c]);
        }
    }
}
