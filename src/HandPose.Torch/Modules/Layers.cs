namespace HandPose.Torch.Modules;

/// <summary>Parameter initialization shared by the layers (PyTorch's defaults).</summary>
internal static class Init
{
    /// <summary>U(−1/√fanIn, 1/√fanIn): PyTorch's default for conv/linear weights (kaiming_uniform with a=√5) and biases.</summary>
    public static Tensor Uniform(long[] shape, long fanIn)
    {
        Tensor t = Tensor.Zeros(shape);
        double bound = fanIn > 0 ? 1.0 / Math.Sqrt(fanIn) : 0;
        using (TorchRuntime.NoGrad())
        {
            t.UniformInPlace(-bound, bound);
        }

        return t;
    }

    public static Tensor Constant(long[] shape, double value, DType dtype = DType.Float32)
    {
        Tensor t = Tensor.Zeros(shape, dtype);
        if (value != 0)
        {
            t.FillInPlace(value);
        }

        return t;
    }
}

/// <summary>2-D convolution (PyTorch's <c>nn.Conv2d</c>; parameters <c>weight</c>, <c>bias</c>).</summary>
public sealed class Conv2d : Module
{
    private readonly (long, long) _stride;
    private readonly (long, long) _padding;
    private readonly (long, long) _dilation;
    private readonly long _groups;

    /// <summary>Creates the layer with PyTorch's default initialization.</summary>
    /// <param name="inChannels">Input channels.</param>
    /// <param name="outChannels">Output channels.</param>
    /// <param name="kernelSize">Square kernel size.</param>
    /// <param name="stride">Stride.</param>
    /// <param name="padding">Zero padding.</param>
    /// <param name="dilation">Dilation.</param>
    /// <param name="groups">Channel groups.</param>
    /// <param name="bias">Whether to learn a bias.</param>
    public Conv2d(long inChannels, long outChannels, long kernelSize, long stride = 1, long padding = 0, long dilation = 1, long groups = 1, bool bias = true)
    {
        ConvChecks.Groups(inChannels, outChannels, groups);
        _stride = (stride, stride);
        _padding = (padding, padding);
        _dilation = (dilation, dilation);
        _groups = groups;
        long fanIn = inChannels / groups * kernelSize * kernelSize;
        RegisterParameter("weight", Init.Uniform([outChannels, inChannels / groups, kernelSize, kernelSize], fanIn));
        RegisterParameter("bias", bias ? Init.Uniform([outChannels], fanIn) : null);
    }

    /// <summary>The weight (out × in/groups × k × k).</summary>
    public Tensor Weight => Get("weight")!;

    /// <summary>The bias, or null.</summary>
    public Tensor? Bias => Get("bias");

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Functional.Conv2d(input, Weight, Bias, _stride, _padding, _dilation, _groups);
}

/// <summary>2-D transposed convolution (PyTorch's <c>nn.ConvTranspose2d</c>).</summary>
public sealed class ConvTranspose2d : Module
{
    private readonly (long, long) _stride;
    private readonly (long, long) _padding;
    private readonly (long, long) _outputPadding;
    private readonly (long, long) _dilation;
    private readonly long _groups;

    /// <summary>Creates the layer with PyTorch's default initialization.</summary>
    /// <param name="inChannels">Input channels.</param>
    /// <param name="outChannels">Output channels.</param>
    /// <param name="kernelSize">Square kernel size.</param>
    /// <param name="stride">Stride.</param>
    /// <param name="padding">Padding.</param>
    /// <param name="outputPadding">Extra size on one side of the output.</param>
    /// <param name="groups">Channel groups.</param>
    /// <param name="bias">Whether to learn a bias.</param>
    /// <param name="dilation">Dilation.</param>
    public ConvTranspose2d(long inChannels, long outChannels, long kernelSize, long stride = 1, long padding = 0, long outputPadding = 0, long groups = 1, bool bias = true, long dilation = 1)
    {
        ConvChecks.Groups(inChannels, outChannels, groups);
        _stride = (stride, stride);
        _padding = (padding, padding);
        _outputPadding = (outputPadding, outputPadding);
        _dilation = (dilation, dilation);
        _groups = groups;
        long fanIn = outChannels / groups * kernelSize * kernelSize;
        RegisterParameter("weight", Init.Uniform([inChannels, outChannels / groups, kernelSize, kernelSize], fanIn));
        RegisterParameter("bias", bias ? Init.Uniform([outChannels], fanIn) : null);
    }

    /// <summary>The weight (in × out/groups × k × k).</summary>
    public Tensor Weight => Get("weight")!;

    /// <summary>The bias, or null.</summary>
    public Tensor? Bias => Get("bias");

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Functional.ConvTranspose2d(input, Weight, Bias, _stride, _padding, _outputPadding, _groups, _dilation);
}

/// <summary>Batch normalization over N×C×H×W (PyTorch's <c>nn.BatchNorm2d</c>: weight, bias, running_mean, running_var, num_batches_tracked).</summary>
public sealed class BatchNorm2d : Module
{
    private readonly double _eps;
    private readonly double _momentum;

    /// <summary>Creates the layer (γ = 1, β = 0, running mean 0, running variance 1).</summary>
    /// <param name="features">Channels.</param>
    /// <param name="eps">Added to the variance.</param>
    /// <param name="momentum">Running-average momentum.</param>
    /// <param name="affine">Learn γ and β.</param>
    /// <param name="trackRunningStats">Keep running statistics (used in evaluation mode).</param>
    public BatchNorm2d(long features, double eps = 1e-5, double momentum = 0.1, bool affine = true, bool trackRunningStats = true)
    {
        _eps = eps;
        _momentum = momentum;
        RegisterParameter("weight", affine ? Init.Constant([features], 1) : null);
        RegisterParameter("bias", affine ? Init.Constant([features], 0) : null);
        RegisterBuffer("running_mean", trackRunningStats ? Init.Constant([features], 0) : null);
        RegisterBuffer("running_var", trackRunningStats ? Init.Constant([features], 1) : null);
        RegisterBuffer("num_batches_tracked", trackRunningStats ? Init.Constant([], 0, DType.Int64) : null);
    }

    /// <summary>The running means, or null.</summary>
    public Tensor? RunningMean => Get("running_mean");

    /// <summary>The running variances, or null.</summary>
    public Tensor? RunningVar => Get("running_var");

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        Tensor? mean = RunningMean;
        bool useBatch = IsTraining || mean is null;
        if (IsTraining && Get("num_batches_tracked") is { } tracked)
        {
            using (TorchRuntime.NoGrad())
            {
                tracked.AddInPlace(1);
            }
        }

        return Functional.BatchNorm(input, mean, RunningVar, Get("weight"), Get("bias"), useBatch, _momentum, _eps);
    }
}

/// <summary>A fully connected layer (PyTorch's <c>nn.Linear</c>).</summary>
public sealed class Linear : Module
{
    /// <summary>Creates the layer with PyTorch's default initialization.</summary>
    /// <param name="inFeatures">Input features.</param>
    /// <param name="outFeatures">Output features.</param>
    /// <param name="bias">Whether to learn a bias.</param>
    public Linear(long inFeatures, long outFeatures, bool bias = true)
    {
        RegisterParameter("weight", Init.Uniform([outFeatures, inFeatures], inFeatures));
        RegisterParameter("bias", bias ? Init.Uniform([outFeatures], inFeatures) : null);
    }

    /// <summary>The weight (out × in).</summary>
    public Tensor Weight => Get("weight")!;

    /// <summary>The bias, or null.</summary>
    public Tensor? Bias => Get("bias");

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Functional.Linear(input, Weight, Bias);
}

/// <summary>A PReLU with learned slopes (PyTorch's <c>nn.PReLU</c>, initial slope 0.25).</summary>
public sealed class PReLU : Module
{
    /// <summary>Creates the layer.</summary>
    /// <param name="parameters">1, or the number of channels.</param>
    /// <param name="init">The initial slope.</param>
    public PReLU(long parameters = 1, double init = 0.25) => RegisterParameter("weight", Init.Constant([parameters], init));

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Functional.Prelu(input, Get("weight")!);
}

/// <summary>A parameter-free module defined by a function (activations, pooling, dropout, flatten).</summary>
public sealed class Lambda : Module
{
    private readonly Func<Tensor, bool, Tensor> _forward;

    private Lambda(Func<Tensor, bool, Tensor> forward) => _forward = forward;

    /// <summary>ReLU.</summary>
    /// <returns>The module.</returns>
    public static Lambda Relu() => new((x, _) => Functional.Relu(x));

    /// <summary>Leaky ReLU.</summary>
    /// <param name="negativeSlope">The slope for negative inputs.</param>
    /// <returns>The module.</returns>
    public static Lambda LeakyRelu(double negativeSlope = 0.01) => new((x, _) => Functional.LeakyRelu(x, negativeSlope));

    /// <summary>Sigmoid.</summary>
    /// <returns>The module.</returns>
    public static Lambda Sigmoid() => new((x, _) => Functional.Sigmoid(x));

    /// <summary>Tanh.</summary>
    /// <returns>The module.</returns>
    public static Lambda Tanh() => new((x, _) => Functional.Tanh(x));

    /// <summary>Softmax along a dimension.</summary>
    /// <param name="dim">The dimension.</param>
    /// <returns>The module.</returns>
    public static Lambda Softmax(long dim) => new((x, _) => Functional.Softmax(x, dim));

    /// <summary>Dropout (active in training mode only).</summary>
    /// <param name="p">The drop probability.</param>
    /// <returns>The module.</returns>
    public static Lambda Dropout(double p = 0.5) => new((x, training) => Functional.Dropout(x, p, training));

    /// <summary>Square max pooling.</summary>
    /// <param name="kernel">Kernel size.</param>
    /// <param name="stride">Stride (the kernel size when null).</param>
    /// <param name="padding">Padding.</param>
    /// <returns>The module.</returns>
    public static Lambda MaxPool2d(long kernel, long? stride = null, long padding = 0) =>
        new((x, _) => Functional.MaxPool2d(x, (kernel, kernel), (stride ?? kernel, stride ?? kernel), (padding, padding)));

    /// <summary>Square average pooling.</summary>
    /// <param name="kernel">Kernel size.</param>
    /// <param name="stride">Stride (the kernel size when null).</param>
    /// <param name="padding">Padding.</param>
    /// <returns>The module.</returns>
    public static Lambda AvgPool2d(long kernel, long? stride = null, long padding = 0) =>
        new((x, _) => Functional.AvgPool2d(x, (kernel, kernel), (stride ?? kernel, stride ?? kernel), (padding, padding)));

    /// <summary>Adaptive average pooling.</summary>
    /// <param name="height">Output height.</param>
    /// <param name="width">Output width.</param>
    /// <returns>The module.</returns>
    public static Lambda AdaptiveAvgPool2d(long height, long width) => new((x, _) => Functional.AdaptiveAvgPool2d(x, (height, width)));

    /// <summary>Flattens dimensions from <paramref name="startDim"/> on.</summary>
    /// <param name="startDim">The first dimension flattened.</param>
    /// <returns>The module.</returns>
    public static Lambda Flatten(long startDim = 1) => new((x, _) => x.Flatten(startDim));

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => _forward(input, IsTraining);
}

/// <summary>Children run in order; named "0", "1", ... as PyTorch's <c>nn.Sequential</c>.</summary>
public sealed class Sequential : Module
{
    /// <summary>Creates the container.</summary>
    /// <param name="modules">The children, in order.</param>
    public Sequential(params IEnumerable<Module> modules)
    {
        ArgumentNullException.ThrowIfNull(modules);
        int k = 0;
        foreach (Module m in modules)
        {
            RegisterModule((k++).ToString(System.Globalization.CultureInfo.InvariantCulture), m);
        }
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        Tensor x = input;
        foreach ((_, Module m) in Children)
        {
            x = m.Forward(x);
        }

        return x;
    }
}

/// <summary>A list of modules named "0", "1", ... (PyTorch's <c>nn.ModuleList</c>); it holds modules and has no forward of its own.</summary>
public sealed class ModuleList : Module
{
    /// <summary>Creates the list.</summary>
    /// <param name="modules">The modules.</param>
    public ModuleList(params IEnumerable<Module> modules)
    {
        ArgumentNullException.ThrowIfNull(modules);
        foreach (Module m in modules)
        {
            Add(m);
        }
    }

    /// <summary>The number of modules.</summary>
    public int Count => Children.Count;

    /// <summary>A module by index.</summary>
    /// <param name="index">The index.</param>
    public Module this[int index] => Children[index].Module;

    /// <summary>Appends a module.</summary>
    /// <param name="module">The module.</param>
    public void Add(Module module) => RegisterModule(Count.ToString(System.Globalization.CultureInfo.InvariantCulture), module);

    /// <summary>Not supported: a module list has no forward; call its elements.</summary>
    /// <param name="input">Unused.</param>
    /// <returns>Never returns.</returns>
    /// <exception cref="NotSupportedException">Always.</exception>
    public override Tensor Forward(Tensor input) => throw new NotSupportedException("A ModuleList has no forward; call its elements.");
}

/// <summary>Argument checks shared by the convolution layers.</summary>
internal static class ConvChecks
{
    /// <summary>Groups must be at least 1 and divide both channel counts (as PyTorch requires).</summary>
    public static void Groups(long inChannels, long outChannels, long groups)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(groups, 1);
        if (inChannels % groups != 0 || outChannels % groups != 0)
        {
            throw new ArgumentException($"Channels ({inChannels} in, {outChannels} out) must be divisible by groups ({groups}).", nameof(groups));
        }
    }
}
