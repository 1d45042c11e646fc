using HandPose.Torch.Internal.Native;

namespace HandPose.Torch;

/// <content>Elementwise math, reductions, shape operations and conversions (all differentiable where PyTorch's are).</content>
public sealed partial class Tensor
{
    /// <summary>this + alpha·other (broadcasting).</summary>
    /// <param name="other">The other operand.</param>
    /// <param name="alpha">The multiplier of <paramref name="other"/>.</param>
    /// <returns>The result.</returns>
    public Tensor Add(Tensor other, double alpha = 1) => Aten.Add.Call(this, other, alpha);

    /// <summary>this + value.</summary>
    /// <param name="value">The scalar.</param>
    /// <returns>The result.</returns>
    public Tensor Add(double value) => Aten.AddScalar.Call(this, value);

    /// <summary>this − alpha·other (broadcasting).</summary>
    /// <param name="other">The other operand.</param>
    /// <param name="alpha">The multiplier of <paramref name="other"/>.</param>
    /// <returns>The result.</returns>
    public Tensor Sub(Tensor other, double alpha = 1) => Aten.Sub.Call(this, other, alpha);

    /// <summary>Elementwise product (broadcasting).</summary>
    /// <param name="other">The other operand.</param>
    /// <returns>The result.</returns>
    public Tensor Mul(Tensor other) => Aten.Mul.Call(this, other);

    /// <summary>this · value.</summary>
    /// <param name="value">The scalar.</param>
    /// <returns>The result.</returns>
    public Tensor Mul(double value) => Aten.MulScalar.Call(this, value);

    /// <summary>Elementwise quotient (broadcasting).</summary>
    /// <param name="other">The divisor.</param>
    /// <returns>The result.</returns>
    public Tensor Div(Tensor other) => Aten.Div.Call(this, other);

    /// <summary>this / value.</summary>
    /// <param name="value">The divisor.</param>
    /// <returns>The result.</returns>
    public Tensor Div(double value) => Aten.DivScalar.Call(this, value);

    /// <summary>−this.</summary>
    /// <returns>The result.</returns>
    public Tensor Neg() => Aten.Neg.Call(this);

    /// <summary>eˣ elementwise.</summary>
    /// <returns>The result.</returns>
    public Tensor Exp() => Aten.Exp.Call(this);

    /// <summary>Natural logarithm elementwise.</summary>
    /// <returns>The result.</returns>
    public Tensor Log() => Aten.Log.Call(this);

    /// <summary>Square root elementwise.</summary>
    /// <returns>The result.</returns>
    public Tensor Sqrt() => Aten.Sqrt.Call(this);

    /// <summary>Absolute value elementwise.</summary>
    /// <returns>The result.</returns>
    public Tensor Abs() => Aten.Abs.Call(this);

    /// <summary>thisᵉˣᵖᵒⁿᵉⁿᵗ elementwise.</summary>
    /// <param name="exponent">The exponent.</param>
    /// <returns>The result.</returns>
    public Tensor Pow(double exponent) => Aten.PowScalar.Call(this, exponent);

    /// <summary>Clamps every value into [min, max] (a null bound is open).</summary>
    /// <param name="min">The lower bound.</param>
    /// <param name="max">The upper bound.</param>
    /// <returns>The result.</returns>
    public Tensor Clamp(double? min, double? max) =>
        Aten.Clamp.Call(this, min is { } lo ? lo : Arg.None, max is { } hi ? hi : Arg.None);

    /// <summary>Matrix product with NumPy broadcasting rules.</summary>
    /// <param name="other">The right operand.</param>
    /// <returns>The result.</returns>
    public Tensor MatMul(Tensor other) => Aten.MatMul.Call(this, other);

    /// <summary>The sum of all elements.</summary>
    /// <returns>A zero-dimensional tensor.</returns>
    public Tensor Sum() => Aten.Sum.Call(this);

    /// <summary>Sums over the given dimensions.</summary>
    /// <param name="dims">The dimensions.</param>
    /// <param name="keepDim">Keep reduced dimensions with size 1.</param>
    /// <returns>The result.</returns>
    public Tensor Sum(long[] dims, bool keepDim = false) => Aten.SumDim.Call(this, dims, keepDim);

    /// <summary>The mean of all elements.</summary>
    /// <returns>A zero-dimensional tensor.</returns>
    public Tensor Mean() => Aten.Mean.Call(this);

    /// <summary>Means over the given dimensions.</summary>
    /// <param name="dims">The dimensions.</param>
    /// <param name="keepDim">Keep reduced dimensions with size 1.</param>
    /// <returns>The result.</returns>
    public Tensor Mean(long[] dims, bool keepDim = false) => Aten.MeanDim.Call(this, dims, keepDim);

    /// <summary>Maximum over the given dimensions (all when empty).</summary>
    /// <param name="dims">The dimensions.</param>
    /// <param name="keepDim">Keep reduced dimensions with size 1.</param>
    /// <returns>The result.</returns>
    public Tensor Max(long[] dims, bool keepDim = false) => Aten.Amax.Call(this, dims, keepDim);

    /// <summary>Minimum over the given dimensions (all when empty).</summary>
    /// <param name="dims">The dimensions.</param>
    /// <param name="keepDim">Keep reduced dimensions with size 1.</param>
    /// <returns>The result.</returns>
    public Tensor Min(long[] dims, bool keepDim = false) => Aten.Amin.Call(this, dims, keepDim);

    /// <summary>Indices of the maxima along a dimension (of the flattened tensor when null).</summary>
    /// <param name="dim">The dimension.</param>
    /// <param name="keepDim">Keep the reduced dimension with size 1.</param>
    /// <returns>An int64 tensor.</returns>
    public Tensor ArgMax(long? dim = null, bool keepDim = false) => Aten.ArgMax.Call(this, dim is { } d ? d : Arg.None, keepDim);

    /// <summary>The p-norm of all elements.</summary>
    /// <param name="p">The order.</param>
    /// <returns>A zero-dimensional tensor.</returns>
    public Tensor Norm(double p = 2) => Aten.Norm.Call(this, p);

    /// <summary>The same data with another shape (one dimension may be −1).</summary>
    /// <param name="shape">The new shape.</param>
    /// <returns>The result (a view when possible).</returns>
    public Tensor Reshape(params long[] shape) => Aten.Reshape.Call(this, shape);

    /// <summary>Reorders the dimensions.</summary>
    /// <param name="dims">The source dimension of each result dimension.</param>
    /// <returns>A view.</returns>
    public Tensor Permute(params long[] dims) => Aten.Permute.Call(this, dims);

    /// <summary>Flattens dimensions <paramref name="startDim"/>..<paramref name="endDim"/> into one.</summary>
    /// <param name="startDim">The first dimension.</param>
    /// <param name="endDim">The last dimension.</param>
    /// <returns>The result.</returns>
    public Tensor Flatten(long startDim = 0, long endDim = -1) => Aten.Flatten.Call(this, startDim, endDim);

    /// <summary>Elements <paramref name="start"/> to <paramref name="end"/> (exclusive) with a step along one dimension.</summary>
    /// <param name="dim">The dimension.</param>
    /// <param name="start">The first index (negative counts from the end).</param>
    /// <param name="end">The end index, exclusive (null: the end).</param>
    /// <param name="step">The step (positive).</param>
    /// <returns>A view.</returns>
    public Tensor Slice(long dim, long? start, long? end, long step = 1) =>
        Aten.Slice.Call(this, dim, start is { } s ? s : Arg.None, end is { } e ? e : Arg.None, step);

    /// <summary>One index along a dimension (the dimension is removed).</summary>
    /// <param name="dim">The dimension.</param>
    /// <param name="index">The index (negative counts from the end).</param>
    /// <returns>A view.</returns>
    public Tensor Select(long dim, long index) => Aten.Select.Call(this, dim, index);

    /// <summary>The same data, cut from the autograd graph.</summary>
    /// <returns>A tensor sharing storage.</returns>
    public Tensor Detach() => Aten.Detach.Call(this);

    /// <summary>A copy with its own storage (differentiable).</summary>
    /// <returns>The copy.</returns>
    public Tensor Clone() => Aten.Clone.Call(this);

    /// <summary>The data in contiguous C order.</summary>
    /// <returns>This data, contiguous.</returns>
    public Tensor Contiguous() => Aten.Contiguous.Call(this);

    /// <summary>A copy converted to another element type.</summary>
    /// <param name="dtype">The element type.</param>
    /// <returns>The copy.</returns>
    public Tensor To(DType dtype) => Aten.ToCopy.Call(this, Arg.Type(dtype));

    /// <summary>A copy on another device.</summary>
    /// <param name="device">The device.</param>
    /// <returns>The copy.</returns>
    public Tensor To(Device device)
    {
        device.EnsureUsable();
        return Aten.ToCopy.Call(this, Arg.None, Arg.None, device.ToString());
    }

    /// <summary>Elementwise sum.</summary>
    /// <param name="a">The left operand.</param>
    /// <param name="b">The right operand.</param>
    /// <returns>The result.</returns>
    public static Tensor operator +(Tensor a, Tensor b) => Checked(a).Add(b);

    /// <summary>Elementwise difference.</summary>
    /// <param name="a">The left operand.</param>
    /// <param name="b">The right operand.</param>
    /// <returns>The result.</returns>
    public static Tensor operator -(Tensor a, Tensor b) => Checked(a).Sub(b);

    /// <summary>Elementwise product.</summary>
    /// <param name="a">The left operand.</param>
    /// <param name="b">The right operand.</param>
    /// <returns>The result.</returns>
    public static Tensor operator *(Tensor a, Tensor b) => Checked(a).Mul(b);

    /// <summary>Elementwise quotient.</summary>
    /// <param name="a">The left operand.</param>
    /// <param name="b">The right operand.</param>
    /// <returns>The result.</returns>
    public static Tensor operator /(Tensor a, Tensor b) => Checked(a).Div(b);

    /// <summary>Adds a scalar.</summary>
    /// <param name="a">The tensor.</param>
    /// <param name="b">The scalar.</param>
    /// <returns>The result.</returns>
    public static Tensor operator +(Tensor a, double b) => Checked(a).Add(b);

    /// <summary>Multiplies by a scalar.</summary>
    /// <param name="a">The tensor.</param>
    /// <param name="b">The scalar.</param>
    /// <returns>The result.</returns>
    public static Tensor operator *(Tensor a, double b) => Checked(a).Mul(b);

    /// <summary>Negation.</summary>
    /// <param name="a">The tensor.</param>
    /// <returns>The result.</returns>
    public static Tensor operator -(Tensor a) => Checked(a).Neg();

    /// <summary>Named alternative of the + operator.</summary>
    /// <param name="left">The left operand.</param>
    /// <param name="right">The right operand.</param>
    /// <returns>The result.</returns>
    public static Tensor Add(Tensor left, Tensor right) => left + right;

    /// <summary>Named alternative of the binary − operator.</summary>
    /// <param name="left">The left operand.</param>
    /// <param name="right">The right operand.</param>
    /// <returns>The result.</returns>
    public static Tensor Subtract(Tensor left, Tensor right) => left - right;

    /// <summary>Named alternative of the * operator.</summary>
    /// <param name="left">The left operand.</param>
    /// <param name="right">The right operand.</param>
    /// <returns>The result.</returns>
    public static Tensor Multiply(Tensor left, Tensor right) => left * right;

    /// <summary>Named alternative of the / operator.</summary>
    /// <param name="left">The left operand.</param>
    /// <param name="right">The right operand.</param>
    /// <returns>The result.</returns>
    public static Tensor Divide(Tensor left, Tensor right) => left / right;

    /// <summary>Named alternative of the unary − operator.</summary>
    /// <param name="item">The operand.</param>
    /// <returns>The result.</returns>
    public static Tensor Negate(Tensor item) => -item;

    // In-place updates (no autograd history allowed on leaves): used by optimizers, initializers and checkpoints.
    internal void CopyFrom(Tensor source) => Aten.CopyInPlace.Run(this, source);

    internal void ZeroInPlace() => Aten.ZeroInPlace.Run(this);

    internal void FillInPlace(double value) => Aten.FillInPlace.Run(this, value);

    internal void MulInPlace(double value) => Aten.MulInPlace.Run(this, value);

    internal void MulInPlace(Tensor other) => Aten.MulTensorInPlace.Run(this, other);

    internal void AddInPlace(Tensor other, double alpha = 1) => Aten.AddInPlace.Run(this, other, alpha);

    internal void AddInPlace(double value) => Aten.AddScalarInPlace.Run(this, value);

    internal void AddInPlace(long value) => Aten.AddScalarInPlace.Run(this, value);

    internal void AddCMulInPlace(Tensor a, Tensor b, double value) => Aten.AddCMulInPlace.Run(this, a, b, value);

    internal void AddCDivInPlace(Tensor a, Tensor b, double value) => Aten.AddCDivInPlace.Run(this, a, b, value);

    internal void NormalInPlace(double mean, double std) => Aten.NormalInPlace.Run(this, mean, std);

    internal void UniformInPlace(double from, double to) => Aten.UniformInPlace.Run(this, from, to);

    private static Tensor Checked(Tensor a)
    {
        ArgumentNullException.ThrowIfNull(a);
        return a;
    }
}
