using System.Collections;

namespace HandPose.Torch.Serialization;

/// <summary>Named tensors in file order (a state dict); disposing it disposes the tensors.</summary>
public sealed class TensorDictionary : IReadOnlyDictionary<string, Tensor>, IDisposable
{
    private readonly List<string> _order = [];
    private readonly Dictionary<string, Tensor> _map = new(StringComparer.Ordinal);

    /// <summary>Free-form string metadata stored with the tensors (safetensors <c>__metadata__</c>).</summary>
    public IDictionary<string, string> Metadata { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <inheritdoc/>
    public int Count => _order.Count;

    /// <inheritdoc/>
    public IEnumerable<string> Keys => _order;

    /// <inheritdoc/>
    public IEnumerable<Tensor> Values => _order.Select(k => _map[k]);

    /// <inheritdoc/>
    public Tensor this[string key] => _map[key];

    /// <summary>Adds a tensor (the dictionary takes ownership: it leaves any dispose scope).</summary>
    /// <param name="name">A new name.</param>
    /// <param name="tensor">The tensor.</param>
    public void Add(string name, Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        _map.Add(name, DisposeScope.Detach(tensor));
        _order.Add(name);
    }

    /// <inheritdoc/>
    public bool ContainsKey(string key) => _map.ContainsKey(key);

    /// <inheritdoc/>
    public bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out Tensor value) => _map.TryGetValue(key, out value);

    /// <inheritdoc/>
    public IEnumerator<KeyValuePair<string, Tensor>> GetEnumerator() => _order.Select(k => new KeyValuePair<string, Tensor>(k, _map[k])).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Disposes every tensor.</summary>
    public void Dispose()
    {
        foreach (Tensor t in _map.Values)
        {
            t.Dispose();
        }
    }
}
