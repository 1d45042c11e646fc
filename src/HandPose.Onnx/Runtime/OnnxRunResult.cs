using HandPose.Onnx.Model;
using System.Buffers;
using System.Collections;
using HandPose.Onnx.Internal;

namespace HandPose.Onnx.Runtime;

/// <summary>One output of a run, held in pooled memory owned by its <see cref="OnnxRunResult"/>.</summary>
public sealed class OnnxOutput
{
    private readonly OnnxRunResult _owner;
    private readonly byte[] _buffer;
    private readonly int _byteLength;

    internal OnnxOutput(OnnxRunResult owner, string name, OnnxElementType elementType, long[] shape, byte[] buffer, int byteLength)
    {
        _owner = owner;
        Name = name;
        ElementType = elementType;
        Shape = shape;
        _buffer = buffer;
        _byteLength = byteLength;
    }

    /// <summary>The output's name.</summary>
    public string Name { get; }

    /// <summary>The element type.</summary>
    public OnnxElementType ElementType { get; }

    /// <summary>The concrete shape of this run's value.</summary>
    public IReadOnlyList<long> Shape { get; }

    internal byte[] Buffer => _buffer;

    /// <summary>The values, row-major. Valid until the owning <see cref="OnnxRunResult"/> is disposed.</summary>
    /// <typeparam name="T">The CLR type of <see cref="ElementType"/> (e.g. <see cref="float"/> for <see cref="OnnxElementType.Float"/>).</typeparam>
    /// <returns>A view of the pooled buffer.</returns>
    /// <exception cref="ObjectDisposedException">The result was disposed.</exception>
    /// <exception cref="InvalidOperationException"><typeparamref name="T"/> does not match the element type.</exception>
    public ReadOnlySpan<T> GetData<T>()
        where T : unmanaged
    {
        ObjectDisposedException.ThrowIf(_owner.IsDisposed, _owner);
        OnnxElementType requested = OnnxTensor.ElementTypeOf<T>();
        if (requested != ElementType)
        {
            throw new InvalidOperationException($"Output '{Name}' holds {OnnxTensorInfo.ElementTypeName(ElementType)} values, not {typeof(T).Name}.");
        }

        return Pinning.Cast<T>(_buffer.AsSpan(0, _byteLength));
    }

    /// <summary>Copies the values into a new array (which outlives the result).</summary>
    /// <typeparam name="T">The CLR type of <see cref="ElementType"/>.</typeparam>
    /// <returns>The values.</returns>
    /// <exception cref="ObjectDisposedException">The result was disposed.</exception>
    /// <exception cref="InvalidOperationException"><typeparamref name="T"/> does not match the element type.</exception>
    public T[] ToArray<T>()
        where T : unmanaged => GetData<T>().ToArray();
}

/// <summary>The outputs of one <see cref="OnnxSession.Run(IReadOnlyList{OnnxTensor}, CancellationToken)"/> call.</summary>
/// <remarks>Owns pooled buffers: dispose it (once) when the outputs have been read; spans obtained from it must not be
/// used afterwards. Not thread-safe for concurrent disposal and reading.</remarks>
public sealed class OnnxRunResult : IReadOnlyList<OnnxOutput>, IDisposable
{
    private readonly List<OnnxOutput> _outputs = [];

    internal OnnxRunResult()
    {
    }

    internal bool IsDisposed { get; private set; }

    /// <summary>The number of outputs.</summary>
    public int Count => _outputs.Count;

    /// <summary>The output at <paramref name="index"/>, in the order requested.</summary>
    /// <param name="index">The position.</param>
    /// <returns>The output.</returns>
    public OnnxOutput this[int index] => _outputs[index];

    /// <summary>The output called <paramref name="name"/>.</summary>
    /// <param name="name">An output name.</param>
    /// <returns>The output.</returns>
    /// <exception cref="KeyNotFoundException">No output has that name.</exception>
    public OnnxOutput this[string name] =>
        _outputs.Find(o => string.Equals(o.Name, name, StringComparison.Ordinal))
        ?? throw new KeyNotFoundException($"No output '{name}'; outputs: {string.Join(", ", _outputs.Select(o => o.Name))}.");

    /// <summary>Returns the pooled buffers.</summary>
    public void Dispose()
    {
        if (IsDisposed)
        {
            return;
        }

        IsDisposed = true;
        foreach (OnnxOutput o in _outputs)
        {
            ArrayPool<byte>.Shared.Return(o.Buffer);
        }
    }

    /// <summary>Enumerates the outputs.</summary>
    /// <returns>The enumerator.</returns>
    public IEnumerator<OnnxOutput> GetEnumerator() => _outputs.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    internal void Add(string name, OnnxElementType type, long[] shape, byte[] buffer, int byteLength) =>
        _outputs.Add(new OnnxOutput(this, name, type, shape, buffer, byteLength));
}
