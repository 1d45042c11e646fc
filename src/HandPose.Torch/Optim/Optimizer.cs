using HandPose.Torch.Modules;

namespace HandPose.Torch.Optim;

/// <summary>
/// Updates parameters from their gradients, with PyTorch 1.13's single-tensor (<c>foreach=False</c>) arithmetic, so
/// steps match PyTorch's to rounding. State tensors (momentum, moments) are owned by the optimizer.
/// </summary>
public abstract class Optimizer : IDisposable
{
    private readonly (string Name, Tensor Param)[] _parameters;
    private readonly Dictionary<string, Tensor>[] _state;
    private bool _disposed;

    /// <summary>Creates the optimizer over a module's parameters.</summary>
    /// <param name="module">The module whose <see cref="Module.NamedParameters"/> are optimized.</param>
    /// <param name="learningRate">The learning rate.</param>
    protected Optimizer(Module module, double learningRate)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentOutOfRangeException.ThrowIfNegative(learningRate);
        _parameters = module.NamedParameters().ToArray();
        _state = _parameters.Select(_ => new Dictionary<string, Tensor>(StringComparer.Ordinal)).ToArray();
        LearningRate = learningRate;
    }

    /// <summary>The learning rate (schedulers change it).</summary>
    public double LearningRate { get; set; }

    /// <summary>The learning rate given at construction (schedulers start from it).</summary>
    public double InitialLearningRate => _initial ??= LearningRate;

    /// <summary>How many times <see cref="Step"/> ran.</summary>
    public long StepCount { get; internal set; }

    private double? _initial;

    /// <summary>Restores the construction-time rate saved in a checkpoint.</summary>
    internal void RestoreInitialLearningRate(double value) => _initial = value;

    /// <summary>Clears every parameter's gradient.</summary>
    public void ZeroGrad()
    {
        foreach ((_, Tensor p) in _parameters)
        {
            p.Grad = null;
        }
    }

    /// <summary>Updates every parameter that has a gradient.</summary>
    public void Step()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _ = InitialLearningRate;
        StepCount++;
        using var scope = TorchRuntime.NewDisposeScope();
        using var noGrad = TorchRuntime.NoGrad();
        for (int i = 0; i < _parameters.Length; i++)
        {
            Tensor param = _parameters[i].Param;
            if (param.Grad is { } grad)
            {
                Update(param, grad, _state[i]);
            }
        }
    }

    /// <summary>Frees the state tensors.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        foreach (var state in _state)
        {
            foreach (Tensor t in state.Values)
            {
                t.Dispose();
            }

            state.Clear();
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>Updates one parameter in place (called under no-grad inside a dispose scope).</summary>
    /// <param name="param">The parameter.</param>
    /// <param name="grad">Its gradient.</param>
    /// <param name="state">Its state tensors by name (add with <see cref="Keep"/>).</param>
    protected abstract void Update(Tensor param, Tensor grad, Dictionary<string, Tensor> state);

    /// <summary>Takes a tensor out of the step's dispose scope so it can live in the optimizer's state.</summary>
    /// <param name="tensor">The tensor.</param>
    /// <returns>The same tensor.</returns>
    protected static Tensor Keep(Tensor tensor) => DisposeScope.Detach(tensor);

    /// <summary>State tensors as <c>param-name/state-name</c> (for checkpoints).</summary>
    internal IEnumerable<(string Name, Tensor Tensor)> StateTensors()
    {
        for (int i = 0; i < _parameters.Length; i++)
        {
            foreach (var kv in _state[i].OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                yield return ($"{_parameters[i].Name}/{kv.Key}", kv.Value);
            }
        }
    }

    /// <summary>Replaces the state with copies of checkpointed tensors.</summary>
    internal void LoadStateTensors(IEnumerable<(string Name, Tensor Tensor)> tensors)
    {
        var index = _parameters.Select((p, i) => (p.Name, i)).ToDictionary(x => x.Name, x => x.i, StringComparer.Ordinal);
        foreach (var state in _state)
        {
            foreach (Tensor t in state.Values)
            {
                t.Dispose();
            }

            state.Clear();
        }

        foreach ((string name, Tensor tensor) in tensors)
        {
            int slash = name.LastIndexOf('/');
            if (slash < 0 || !index.TryGetValue(name[..slash], out int i))
            {
                throw new ArgumentException($"Optimizer state '{name}' names no parameter of this model.", nameof(tensors));
            }

            using (TorchRuntime.NoGrad())
            {
                _state[i][name[(slash + 1)..]] = Keep(tensor.Clone());
            }
        }
    }
}

/// <summary>Stochastic gradient descent with momentum, dampening, Nesterov momentum and L2 weight decay (PyTorch's <c>SGD</c>).</summary>
public sealed class Sgd : Optimizer
{
    private readonly double _momentum;
    private readonly double _dampening;
    private readonly double _weightDecay;
    private readonly bool _nesterov;

    /// <summary>Creates the optimizer.</summary>
    /// <param name="module">The module to optimize.</param>
    /// <param name="learningRate">The learning rate.</param>
    /// <param name="momentum">The momentum factor.</param>
    /// <param name="dampening">Dampening of the momentum.</param>
    /// <param name="weightDecay">L2 penalty added to the gradient.</param>
    /// <param name="nesterov">Nesterov momentum (needs momentum &gt; 0 and no dampening).</param>
    public Sgd(Module module, double learningRate, double momentum = 0, double dampening = 0, double weightDecay = 0, bool nesterov = false)
        : base(module, learningRate)
    {
        if (nesterov && (momentum <= 0 || dampening != 0))
        {
            throw new ArgumentException("Nesterov momentum requires a momentum and zero dampening.", nameof(nesterov));
        }

        _momentum = momentum;
        _dampening = dampening;
        _weightDecay = weightDecay;
        _nesterov = nesterov;
    }

    /// <inheritdoc/>
    protected override void Update(Tensor param, Tensor grad, Dictionary<string, Tensor> state)
    {
        Tensor d = _weightDecay != 0 ? grad.Add(param, _weightDecay) : grad;
        if (_momentum != 0)
        {
            if (!state.TryGetValue("momentum_buffer", out Tensor? buf))
            {
                buf = Keep(d.Clone().Detach());
                state["momentum_buffer"] = buf;
            }
            else
            {
                buf.MulInPlace(_momentum);
                buf.AddInPlace(d, 1 - _dampening);
            }

            d = _nesterov ? d.Add(buf, _momentum) : buf;
        }

        param.AddInPlace(d, -LearningRate);
    }
}

/// <summary>Adam (Kingma and Ba) with L2 weight decay, or AdamW's decoupled weight decay (PyTorch's <c>Adam</c>/<c>AdamW</c>).</summary>
public sealed class Adam : Optimizer
{
    private readonly double _beta1;
    private readonly double _beta2;
    private readonly double _eps;
    private readonly double _weightDecay;
    private readonly bool _decoupled;

    /// <summary>Creates the optimizer.</summary>
    /// <param name="module">The module to optimize.</param>
    /// <param name="learningRate">The learning rate.</param>
    /// <param name="beta1">First-moment decay.</param>
    /// <param name="beta2">Second-moment decay.</param>
    /// <param name="eps">Added to the denominator.</param>
    /// <param name="weightDecay">Weight decay: an L2 term in the gradient (Adam), or decoupled (AdamW).</param>
    /// <param name="decoupledWeightDecay">AdamW (Loshchilov and Hutter): decay the weights directly.</param>
    public Adam(Module module, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weightDecay = 0, bool decoupledWeightDecay = false)
        : base(module, learningRate)
    {
        _beta1 = beta1;
        _beta2 = beta2;
        _eps = eps;
        _weightDecay = weightDecay;
        _decoupled = decoupledWeightDecay;
    }

    /// <summary>AdamW with PyTorch's defaults (weight decay 0.01).</summary>
    /// <param name="module">The module to optimize.</param>
    /// <param name="learningRate">The learning rate.</param>
    /// <param name="weightDecay">The decoupled weight decay.</param>
    /// <returns>The optimizer.</returns>
    public static Adam AdamW(Module module, double learningRate = 1e-3, double weightDecay = 1e-2) =>
        new(module, learningRate, weightDecay: weightDecay, decoupledWeightDecay: true);

    /// <inheritdoc/>
    protected override void Update(Tensor param, Tensor grad, Dictionary<string, Tensor> state)
    {
        if (!state.TryGetValue("step", out Tensor? stepT))
        {
            stepT = Keep(Tensor.Zeros([], DType.Float32));
            state["step"] = stepT;
            state["exp_avg"] = Keep(Tensor.Zeros(param.Shape, param.DType));
            state["exp_avg_sq"] = Keep(Tensor.Zeros(param.Shape, param.DType));
        }

        Tensor expAvg = state["exp_avg"];
        Tensor expAvgSq = state["exp_avg_sq"];
        stepT.AddInPlace(1);
        if (_decoupled)
        {
            param.MulInPlace(1 - (LearningRate * _weightDecay));
        }
        else if (_weightDecay != 0)
        {
            grad = grad.Add(param, _weightDecay);
        }

        expAvg.MulInPlace(_beta1);
        expAvg.AddInPlace(grad, 1 - _beta1);
        expAvgSq.MulInPlace(_beta2);
        expAvgSq.AddCMulInPlace(grad, grad, 1 - _beta2);
        double step = stepT.Item();
        double bias1 = 1 - Math.Pow(_beta1, step);
        double bias2 = 1 - Math.Pow(_beta2, step);
        double stepSize = LearningRate / bias1;
        Tensor denom = expAvgSq.Sqrt().Div(Math.Sqrt(bias2));
        denom.AddInPlace(_eps);
        param.AddCDivInPlace(expAvg, denom, -stepSize);
    }
}
