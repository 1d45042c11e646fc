namespace HandPose.Onnx.Model;

/// <summary>One dimension of a graph input or output shape: a fixed size, a named symbolic size, or unknown.</summary>
/// <remarks>Converts implicitly from <see cref="long"/> (a fixed size) and from <see cref="string"/> (a symbolic name),
/// so shapes can be written as <c>[1, 3, "height", "width"]</c>.</remarks>
public readonly record struct OnnxDimension
{
    private OnnxDimension(long? value, string? symbol)
    {
        Value = value;
        Symbol = symbol;
    }

    /// <summary>The fixed size, or <see langword="null"/> when the dimension is symbolic or unknown.</summary>
    public long? Value { get; }

    /// <summary>The symbolic name, or <see langword="null"/> when the dimension is fixed or unknown.</summary>
    public string? Symbol { get; }

    /// <summary>A dimension with neither a size nor a name.</summary>
    public static OnnxDimension Unknown => default;

    /// <summary>A fixed size.</summary>
    /// <param name="value">The size, zero or more.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="value"/> is negative.</exception>
    public static OnnxDimension Fixed(long value)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(value);
        return new OnnxDimension(value, null);
    }

    /// <summary>A symbolic size shared by every dimension with the same name.</summary>
    /// <param name="symbol">The name, e.g. <c>"batch"</c>.</param>
    /// <exception cref="ArgumentException"><paramref name="symbol"/> is null or empty.</exception>
    public static OnnxDimension Symbolic(string symbol)
    {
        ArgumentException.ThrowIfNullOrEmpty(symbol);
        return new OnnxDimension(null, symbol);
    }

    /// <summary>A fixed size.</summary>
    /// <param name="value">The size, zero or more.</param>
    public static implicit operator OnnxDimension(long value) => Fixed(value);

    /// <summary>A symbolic size.</summary>
    /// <param name="symbol">The name.</param>
    public static implicit operator OnnxDimension(string symbol) => Symbolic(symbol);

    /// <summary>The size, the name, or <c>?</c>.</summary>
    /// <returns>Text for messages.</returns>
    public override string ToString() => Value?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? Symbol ?? "?";
}
