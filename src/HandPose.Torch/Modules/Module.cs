namespace HandPose.Torch.Modules;

/// <summary>
/// A neural-network building block with named parameters, buffers and child modules. Names and their order in
/// <see cref="StateDict"/> are PyTorch's (<c>layer1.0.conv1.weight</c>, <c>bn1.running_mean</c>, ...), so PyTorch
/// checkpoints load by name. Parameters and buffers are owned by the module (never by a <see cref="DisposeScope"/>).
/// </summary>
public abstract class Module : IDisposable
{
    private readonly List<string> _parameterNames = [];
    private readonly List<string> _bufferNames = [];
    private readonly Dictionary<string, Tensor?> _tensors = new(StringComparer.Ordinal);
    private readonly List<(string Name, Module Module)> _children = [];
    private bool _disposed;

    /// <summary>Whether the module is in training mode (dropout active, batch norm uses batch statistics).</summary>
    public bool IsTraining { get; private set; } = true;

    /// <summary>The direct children in registration order.</summary>
    public IReadOnlyList<(string Name, Module Module)> Children => _children;

    /// <summary>Runs the module.</summary>
    /// <param name="input">The input.</param>
    /// <returns>The output.</returns>
    public abstract Tensor Forward(Tensor input);

    /// <summary>Sets training mode on this module and every descendant.</summary>
    /// <param name="training">Training (true) or evaluation (false).</param>
    /// <returns>This module.</returns>
    public Module Train(bool training = true)
    {
        IsTraining = training;
        foreach ((_, Module child) in _children)
        {
            child.Train(training);
        }

        return this;
    }

    /// <summary>Sets evaluation mode on this module and every descendant.</summary>
    /// <returns>This module.</returns>
    public Module Eval() => Train(false);

    /// <summary>Every parameter with its dotted name, depth first (PyTorch's <c>named_parameters</c> order).</summary>
    /// <returns>The parameters.</returns>
    public IEnumerable<(string Name, Tensor Tensor)> NamedParameters() => Walk(string.Empty, parameters: true, buffers: false);

    /// <summary>Every buffer (running statistics) with its dotted name.</summary>
    /// <returns>The buffers.</returns>
    public IEnumerable<(string Name, Tensor Tensor)> NamedBuffers() => Walk(string.Empty, parameters: false, buffers: true);

    /// <summary>Every parameter, depth first.</summary>
    /// <returns>The parameters.</returns>
    public IEnumerable<Tensor> Parameters() => NamedParameters().Select(p => p.Tensor);

    /// <summary>Parameters and buffers by name, in PyTorch's <c>state_dict</c> order. The tensors are the module's own.</summary>
    /// <returns>The state.</returns>
    public IReadOnlyList<(string Name, Tensor Tensor)> StateDict() => Walk(string.Empty, parameters: true, buffers: true).ToList();

    /// <summary>Copies tensors into the parameters and buffers of the same name.</summary>
    /// <param name="state">Named tensors (e.g. from <see cref="Serialization.PyTorchCheckpoint.Load"/>).</param>
    /// <param name="strict">Require exactly the module's names (otherwise unknown names are ignored and missing ones kept).</param>
    /// <exception cref="ArgumentException">Names are missing or unexpected (strict), or a shape differs; the message lists them.</exception>
    public void LoadStateDict(IReadOnlyDictionary<string, Tensor> state, bool strict = true)
    {
        ArgumentNullException.ThrowIfNull(state);
        var own = StateDict();
        var problems = new List<string>();
        if (strict)
        {
            var ownNames = own.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
            problems.AddRange(own.Where(p => !state.ContainsKey(p.Name)).Select(p => $"missing '{p.Name}'"));
            problems.AddRange(state.Keys.Where(k => !ownNames.Contains(k)).Select(k => $"unexpected '{k}'"));
        }

        foreach ((string name, Tensor target) in own)
        {
            if (state.TryGetValue(name, out Tensor? source) && !source.Shape.SequenceEqual(target.Shape))
            {
                problems.Add($"'{name}' has shape [{string.Join(", ", source.Shape)}], the module expects [{string.Join(", ", target.Shape)}]");
            }
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException($"The state does not fit {GetType().Name}: {string.Join("; ", problems.Take(10))}{(problems.Count > 10 ? $"; and {problems.Count - 10} more" : string.Empty)}.", nameof(state));
        }

        using var scope = TorchRuntime.NewDisposeScope();
        using var noGrad = TorchRuntime.NoGrad();
        foreach ((string name, Tensor target) in own)
        {
            if (state.TryGetValue(name, out Tensor? source))
            {
                target.CopyFrom(source);
            }
        }
    }

    /// <summary>Moves every parameter and buffer to a device (gradients are dropped).</summary>
    /// <param name="device">The device.</param>
    /// <returns>This module.</returns>
    public Module To(Device device)
    {
        device.EnsureUsable();
        foreach (string key in _tensors.Keys.ToList())
        {
            Tensor? old = _tensors[key];
            if (old is null || old.Device == device)
            {
                continue;
            }

            Tensor moved;
            using (TorchRuntime.NoGrad())
            {
                moved = DisposeScope.Detach(old.To(device));
            }

            moved.RequiresGrad = old.RequiresGrad;
            _tensors[key] = moved;
            old.Dispose();
        }

        foreach ((_, Module child) in _children)
        {
            child.To(device);
        }

        return this;
    }

    /// <summary>Sets every parameter's gradient to none.</summary>
    public void ZeroGrad()
    {
        foreach (Tensor p in Parameters())
        {
            p.Grad = null;
        }
    }

    /// <summary>Frees every parameter and buffer of this module and its descendants.</summary>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Frees the tensors.</summary>
    /// <param name="disposing">True when called from <see cref="Dispose()"/>.</param>
    protected virtual void Dispose(bool disposing)
    {
        if (_disposed || !disposing)
        {
            return;
        }

        _disposed = true;
        foreach (Tensor? t in _tensors.Values)
        {
            t?.Dispose();
        }

        foreach ((_, Module child) in _children)
        {
            child.Dispose();
        }
    }

    /// <summary>Registers a trainable parameter (the module takes ownership; autograd is switched on).</summary>
    /// <param name="name">The PyTorch name.</param>
    /// <param name="value">The tensor, or null for an absent optional parameter (e.g. no bias).</param>
    protected void RegisterParameter(string name, Tensor? value)
    {
        Register(name, value, _parameterNames);
        if (value is not null)
        {
            value.RequiresGrad = true;
        }
    }

    /// <summary>Registers a buffer (state that is saved but not trained).</summary>
    /// <param name="name">The PyTorch name.</param>
    /// <param name="value">The tensor.</param>
    protected void RegisterBuffer(string name, Tensor? value) => Register(name, value, _bufferNames);

    /// <summary>Registers a child module.</summary>
    /// <typeparam name="T">The module type.</typeparam>
    /// <param name="name">The PyTorch attribute name.</param>
    /// <param name="module">The child.</param>
    /// <returns>The child.</returns>
    protected T RegisterModule<T>(string name, T module)
        where T : Module
    {
        ArgumentNullException.ThrowIfNull(module);
        _children.Add((name, module));
        module.Train(IsTraining);
        return module;
    }

    /// <summary>The current tensor of a registered parameter or buffer.</summary>
    /// <param name="name">Its name.</param>
    /// <returns>The tensor, or null when registered as absent.</returns>
    protected Tensor? Get(string name)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _tensors[name];
    }

    private void Register(string name, Tensor? value, List<string> names)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (_tensors.ContainsKey(name))
        {
            throw new ArgumentException($"'{name}' is already registered.", nameof(name));
        }

        if (value is not null)
        {
            DisposeScope.Detach(value);
        }

        _tensors[name] = value;
        names.Add(name);
    }

    private IEnumerable<(string Name, Tensor Tensor)> Walk(string prefix, bool parameters, bool buffers)
    {
        if (parameters)
        {
            foreach (string n in _parameterNames)
            {
                if (_tensors[n] is { } t)
                {
                    yield return (prefix + n, t);
                }
            }
        }

        if (buffers)
        {
            foreach (string n in _bufferNames)
            {
                if (_tensors[n] is { } t)
                {
                    yield return (prefix + n, t);
                }
            }
        }

        foreach ((string name, Module child) in _children)
        {
            foreach (var item in child.Walk($"{prefix}{name}.", parameters, buffers))
            {
                yield return item;
            }
        }
    }
}
