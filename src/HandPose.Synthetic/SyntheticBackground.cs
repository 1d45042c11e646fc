namespace HandPose.Synthetic;

/// <summary>A user-supplied background photograph (8-bit RGB, tightly packed) that samples crop and rescale.</summary>
/// <remarks>Immutable after construction; shared by every thread of a sampler.</remarks>
public sealed class SyntheticBackground
{
    private readonly byte[] _rgb;

    /// <summary>Wraps a copy of RGB pixels.</summary>
    /// <param name="width">Width in pixels (&gt; 0).</param>
    /// <param name="height">Height in pixels (&gt; 0).</param>
    /// <param name="rgb">width × height × 3 bytes, rows top to bottom.</param>
    /// <exception cref="ArgumentException">The sizes are not positive or the pixel count does not match.</exception>
    public SyntheticBackground(int width, int height, ReadOnlySpan<byte> rgb)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        if (rgb.Length != (long)width * height * 3)
        {
            throw new ArgumentException($"A {width}x{height} RGB background needs {(long)width * height * 3} bytes; got {rgb.Length}.", nameof(rgb));
        }

        Width = width;
        Height = height;
        _rgb = rgb.ToArray();
    }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>The RGB bytes.</summary>
    public ReadOnlySpan<byte> Rgb => _rgb;
}
