using System.Text;
using HandPose.Onnx.Model.Proto;
using Google.Protobuf;

namespace HandPose.Onnx.Model;

/// <summary>A node attribute (an operator parameter such as <c>strides</c> or <c>group</c>) for <see cref="OnnxGraphBuilder"/>.</summary>
/// <remarks>Immutable; create with the static factories. Safe to share between builders and threads.</remarks>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711:Identifiers should not have incorrect suffix", Justification = "'Attribute' is ONNX's own term for operator parameters.")]
public sealed class OnnxAttribute
{
    private readonly AttributeProto _proto;

    private OnnxAttribute(AttributeProto proto)
    {
        _proto = proto;
    }

    /// <summary>The attribute's name.</summary>
    public string Name => _proto.Name;

    /// <summary>An integer attribute.</summary>
    /// <param name="name">The attribute's name.</param>
    /// <param name="value">The value.</param>
    /// <returns>The attribute.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null or empty.</exception>
    public static OnnxAttribute Int(string name, long value) =>
        new(New(name, AttributeProto.Types.AttributeType.Int, p => p.I = value));

    /// <summary>A float attribute.</summary>
    /// <param name="name">The attribute's name.</param>
    /// <param name="value">The value.</param>
    /// <returns>The attribute.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null or empty.</exception>
    public static OnnxAttribute Float(string name, float value) =>
        new(New(name, AttributeProto.Types.AttributeType.Float, p => p.F = value));

    /// <summary>A string attribute (UTF-8 encoded).</summary>
    /// <param name="name">The attribute's name.</param>
    /// <param name="value">The value.</param>
    /// <returns>The attribute.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null or empty.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is null.</exception>
    public static OnnxAttribute String(string name, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new(New(name, AttributeProto.Types.AttributeType.String, p => p.S = ByteString.CopyFrom(value, Encoding.UTF8)));
    }

    /// <summary>A list-of-integers attribute.</summary>
    /// <param name="name">The attribute's name.</param>
    /// <param name="values">The values (may be empty).</param>
    /// <returns>The attribute.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null or empty.</exception>
    public static OnnxAttribute Ints(string name, params ReadOnlySpan<long> values)
    {
        long[] copy = values.ToArray();
        return new(New(name, AttributeProto.Types.AttributeType.Ints, p => p.Ints.AddRange(copy)));
    }

    /// <summary>A list-of-floats attribute.</summary>
    /// <param name="name">The attribute's name.</param>
    /// <param name="values">The values (may be empty).</param>
    /// <returns>The attribute.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null or empty.</exception>
    public static OnnxAttribute Floats(string name, params ReadOnlySpan<float> values)
    {
        float[] copy = values.ToArray();
        return new(New(name, AttributeProto.Types.AttributeType.Floats, p => p.Floats.AddRange(copy)));
    }

    /// <summary>The attribute's name and value, e.g. <c>strides=[2, 2]</c>.</summary>
    /// <returns>Text for messages.</returns>
    public override string ToString() => _proto.Type switch
    {
        AttributeProto.Types.AttributeType.Int => $"{Name}={_proto.I}",
        AttributeProto.Types.AttributeType.Float => FormattableString.Invariant($"{Name}={_proto.F}"),
        AttributeProto.Types.AttributeType.String => $"{Name}=\"{_proto.S.ToStringUtf8()}\"",
        AttributeProto.Types.AttributeType.Ints => $"{Name}=[{string.Join(", ", _proto.Ints)}]",
        _ => FormattableString.Invariant($"{Name}=[{string.Join(", ", _proto.Floats)}]"),
    };

    internal AttributeProto ToProto() => _proto.Clone();

    private static AttributeProto New(string name, AttributeProto.Types.AttributeType type, Action<AttributeProto> set)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var proto = new AttributeProto { Name = name, Type = type };
        set(proto);
        return proto;
    }
}
