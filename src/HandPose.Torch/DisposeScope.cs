namespace HandPose.Torch;

/// <summary>
/// Owns every <see cref="Tensor"/> created on this thread while it is the innermost open scope, and disposes them
/// when it ends. Training loops open one per step so that intermediate results never leak. Scopes are thread-bound:
/// do not <c>await</c> inside one.
/// </summary>
public sealed class DisposeScope : IDisposable
{
    [ThreadStatic]
    private static DisposeScope? _current;

    private static long _live;

    private readonly HashSet<Tensor> _owned = new(ReferenceEqualityComparer.Instance);
    private readonly DisposeScope? _outer;
    private bool _disposed;

    internal DisposeScope()
    {
        _outer = _current;
        _current = this;
    }

    /// <summary>How many tensors are alive in the whole process (created and not yet disposed); for leak checks.</summary>
    public static long LiveTensors => Interlocked.Read(ref _live);

    /// <summary>How many tensors this scope currently owns.</summary>
    public int Count => _owned.Count;

    internal static DisposeScope? Current => _current;

    /// <summary>Hands a tensor to the enclosing scope (or to no scope), so it survives this one.</summary>
    /// <param name="tensor">A tensor owned by this scope.</param>
    /// <returns>The same tensor.</returns>
    public Tensor MoveToOuter(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (_owned.Remove(tensor))
        {
            tensor.Scope = _outer;
            _outer?._owned.Add(tensor);
        }

        return tensor;
    }

    /// <summary>Detaches a tensor from every scope: the caller disposes it.</summary>
    /// <param name="tensor">A tensor owned by this scope.</param>
    /// <returns>The same tensor.</returns>
    public static Tensor Detach(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        tensor.Scope?._owned.Remove(tensor);
        tensor.Scope = null;
        return tensor;
    }

    /// <summary>Disposes every tensor the scope still owns and makes the enclosing scope current again.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        foreach (Tensor t in _owned.ToArray())
        {
            t.Scope = null;
            t.Dispose();
        }

        _owned.Clear();
        if (ReferenceEquals(_current, this))
        {
            _current = _outer;
        }
    }

    internal static void Register(Tensor tensor)
    {
        Interlocked.Increment(ref _live);
        DisposeScope? scope = _current;
        if (scope is not null)
        {
            scope._owned.Add(tensor);
            tensor.Scope = scope;
        }
    }

    internal static void Unregister(Tensor tensor)
    {
        Interlocked.Decrement(ref _live);
        tensor.Scope?._owned.Remove(tensor);
        tensor.Scope = null;
    }
}
