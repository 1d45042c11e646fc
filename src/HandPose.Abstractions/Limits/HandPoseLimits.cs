using System.Globalization;

namespace HandPose;

/// <summary>
/// The process-wide ceilings on sizes that drive an allocation: decoded image pixels and tensor, map and array
/// elements. Every HandPose package checks a size against these <em>before</em> allocating for it and throws
/// <see cref="LimitExceededException"/> naming the limit, so a hostile header or a typo in a size fails in microseconds
/// instead of allocating gigabytes.
/// </summary>
/// <remarks>
/// Defaults come from the environment variables <see cref="MaxImagePixelsVariable"/> and
/// <see cref="MaxTensorElementsVariable"/> when set (read once, at first use), else the values documented on each
/// property. The setters change the limits for the whole process; reads and writes are atomic and thread-safe.
/// </remarks>
public static class HandPoseLimits
{
    /// <summary>Environment variable that sets the initial <see cref="MaxImagePixels"/>.</summary>
    public const string MaxImagePixelsVariable = "HANDPOSE_MAX_IMAGE_PIXELS";

    /// <summary>Environment variable that sets the initial <see cref="MaxTensorElements"/>.</summary>
    public const string MaxTensorElementsVariable = "HANDPOSE_MAX_TENSOR_ELEMENTS";

    /// <summary>The default of <see cref="MaxImagePixels"/>: 16384 × 16384 pixels (1 GiB as 8-bit RGBA).</summary>
    public const long DefaultMaxImagePixels = 1L << 28;

    /// <summary>The default of <see cref="MaxTensorElements"/>: 2^28 values (1 GiB of float32).</summary>
    public const long DefaultMaxTensorElements = 1L << 28;

    /// <summary>The largest value either limit accepts: the element count of the largest .NET array.</summary>
    public const long Ceiling = int.MaxValue;

    private static long maxImagePixels = FromEnvironment(MaxImagePixelsVariable, DefaultMaxImagePixels);
    private static long maxTensorElements = FromEnvironment(MaxTensorElementsVariable, DefaultMaxTensorElements);

    /// <summary>The most pixels (width × height) an image may have to be decoded or created.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not in 1..<see cref="Ceiling"/>.</exception>
    public static long MaxImagePixels
    {
        get => Interlocked.Read(ref maxImagePixels);
        set => Interlocked.Exchange(ref maxImagePixels, Validate(value, nameof(MaxImagePixels)));
    }

    /// <summary>The most elements one tensor, map stack or array read from a file may hold.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not in 1..<see cref="Ceiling"/>.</exception>
    public static long MaxTensorElements
    {
        get => Interlocked.Read(ref maxTensorElements);
        set => Interlocked.Exchange(ref maxTensorElements, Validate(value, nameof(MaxTensorElements)));
    }

    /// <summary>Checks an image size against <see cref="MaxImagePixels"/> before anything is allocated for it.</summary>
    /// <param name="width">Width in pixels (positive).</param>
    /// <param name="height">Height in pixels (positive).</param>
    /// <param name="what">What the image is, for the message (e.g. a file path).</param>
    /// <exception cref="ArgumentOutOfRangeException">A side is not positive.</exception>
    /// <exception cref="LimitExceededException">width × height exceeds the limit.</exception>
    public static void CheckImage(long width, long height, string what)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        long limit = MaxImagePixels;
        if (width > limit || height > limit || width * height > limit)
        {
            throw new LimitExceededException(
                nameof(MaxImagePixels), MaxImagePixelsVariable, limit,
                $"{what} is {width} x {height} = {(double)width * height:N0} pixels");
        }
    }

    /// <summary>Checks an element count (the product of <paramref name="shape"/>) against <see cref="MaxTensorElements"/>.</summary>
    /// <param name="shape">The dimensions; each must be non-negative.</param>
    /// <param name="what">What the tensor is, for the message (e.g. "structure maps" or a file path).</param>
    /// <returns>The element count, which fits an <see cref="int"/>.</returns>
    /// <exception cref="ArgumentException">A dimension is negative.</exception>
    /// <exception cref="LimitExceededException">The product exceeds the limit (computed without overflow).</exception>
    public static int CheckElements(ReadOnlySpan<long> shape, string what)
    {
        long limit = MaxTensorElements;
        long count = 1;
        bool empty = false, over = false;
        foreach (long d in shape)
        {
            if (d < 0)
            {
                throw new ArgumentException($"{what}: dimensions must be non-negative; got [{Format(shape)}].", nameof(shape));
            }

            if (d == 0)
            {
                empty = true;
            }
            else if (!over)
            {
                over = d > limit / count; // count * d > limit, without overflow
                count = over ? count : count * d;
            }
        }

        if (empty)
        {
            return 0;
        }

        if (over)
        {
            double exact = 1;
            foreach (long d in shape)
            {
                exact *= d;
            }

            throw new LimitExceededException(
                nameof(MaxTensorElements), MaxTensorElementsVariable, limit,
                $"{what} of shape [{Format(shape)}] holds {exact:N0} elements");
        }

        return (int)count;
    }

    private static string Format(ReadOnlySpan<long> shape)
    {
        var parts = new string[shape.Length];
        for (int i = 0; i < shape.Length; i++)
        {
            parts[i] = shape[i].ToString(CultureInfo.InvariantCulture);
        }

        return string.Join(", ", parts);
    }

    private static long Validate(long value, string name) =>
        value is >= 1 and <= Ceiling
            ? value
            : throw new ArgumentOutOfRangeException(name, value, $"{name} must be between 1 and {Ceiling}.");

    private static long FromEnvironment(string variable, long fallback)
    {
        string? text = Environment.GetEnvironmentVariable(variable);
        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long value) && value is >= 1 and <= Ceiling
            ? value
            : fallback;
    }
}
