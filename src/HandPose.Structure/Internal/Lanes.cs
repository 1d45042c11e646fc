using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace HandPose.Structure.Internal;

/// <summary>
/// The operations the kernels need, for one SIMD width: a double vector <typeparamref name="TD"/> holding half the
/// pixels of one step and a float vector <typeparamref name="TF"/> holding all of them. Kernels are generic over
/// this interface, so each width gets its own specialised machine code from one source.
/// </summary>
internal interface ILanes<TD, TF>
    where TD : struct
    where TF : struct
{
    /// <summary>Pixels per step (float lanes).</summary>
    static abstract int FloatCount { get; }

    /// <summary>Double lanes per vector (FloatCount / 2, or 1 for scalar).</summary>
    static abstract int DoubleCount { get; }

    static abstract TD Splat(double value);

    static abstract TD Iota(double start);

    static abstract TD Add(TD a, TD b);

    static abstract TD Sub(TD a, TD b);

    static abstract TD Mul(TD a, TD b);

    static abstract TD Div(TD a, TD b);

    /// <summary>a · b + c with one rounding on every path (software-emulated where the hardware has no FMA).</summary>
    static abstract TD MulAdd(TD a, TD b, TD c);

    static abstract TD Abs(TD a);

    static abstract TD Min(TD a, TD b);

    static abstract TD Max(TD a, TD b);

    static abstract TD LessOrEqual(TD a, TD b);

    static abstract TD GreaterOrEqual(TD a, TD b);

    static abstract TD And(TD a, TD b);

    static abstract TD Or(TD a, TD b);

    static abstract TD AndNot(TD a, TD notMask);

    static abstract TD Select(TD mask, TD whenTrue, TD whenFalse);

    static abstract TF Narrow(TD low, TD high);

    static abstract TF SplatF(float value);

    static abstract TF IotaF(float start);

    static abstract TF SubF(TF a, TF b);

    static abstract TF MulF(TF a, TF b);

    static abstract TF MaxF(TF a, TF b);

    static abstract TF AddF(TF a, TF b);

    /// <summary>a · b + c, fused where the hardware has FMA (one rounding), else two roundings.</summary>
    static abstract TF MulAddF(TF a, TF b, TF c);

    static abstract TF RoundF(TF a);

    static abstract TF GreaterOrEqualF(TF a, TF b);

    static abstract TF LessOrEqualF(TF a, TF b);

    static abstract TF AndF(TF a, TF b);

    /// <summary>y · 2^n, with n an integer in [−127, 127] held in the low bits of <paramref name="biased"/> = n + 1.5·2²³.</summary>
    static abstract TF ScaleByPowerOfTwo(TF y, TF biased);

    /// <summary>0 where x &lt; limit, else value.</summary>
    static abstract TF ZeroWhereBelow(TF value, TF x, float limit);


    static abstract TF Load(ReadOnlySpan<float> source, int index);

    static abstract void Store(TF value, Span<float> destination, int index);
}

/// <summary>512-bit lanes (8 doubles, 16 floats per step).</summary>
internal readonly struct Lanes512 : ILanes<Vector512<double>, Vector512<float>>
{
    private static readonly Vector512<double> IotaD = Vector512.Create(0d, 1, 2, 3, 4, 5, 6, 7);
    private static readonly Vector512<float> IotaS = Vector512.Create(0f, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);

    public static int FloatCount => 16;

    public static int DoubleCount => 8;

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> Splat(double value) => Vector512.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> Iota(double start) => Vector512.Create(start) + IotaD;

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> Add(Vector512<double> a, Vector512<double> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> Sub(Vector512<double> a, Vector512<double> b) => a - b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> Mul(Vector512<double> a, Vector512<double> b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> Div(Vector512<double> a, Vector512<double> b) => a / b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> MulAdd(Vector512<double> a, Vector512<double> b, Vector512<double> c) => Vector512.FusedMultiplyAdd(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> Abs(Vector512<double> a) => Vector512.Abs(a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> Min(Vector512<double> a, Vector512<double> b) => Vector512.MinNative(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> Max(Vector512<double> a, Vector512<double> b) => Vector512.MaxNative(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> LessOrEqual(Vector512<double> a, Vector512<double> b) => Vector512.LessThanOrEqual(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> GreaterOrEqual(Vector512<double> a, Vector512<double> b) => Vector512.GreaterThanOrEqual(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> And(Vector512<double> a, Vector512<double> b) => a & b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> Or(Vector512<double> a, Vector512<double> b) => a | b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> AndNot(Vector512<double> a, Vector512<double> notMask) => Vector512.AndNot(a, notMask);

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<double> Select(Vector512<double> mask, Vector512<double> whenTrue, Vector512<double> whenFalse) => Vector512.ConditionalSelect(mask, whenTrue, whenFalse);

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Narrow(Vector512<double> low, Vector512<double> high) => Vector512.Narrow(low, high);

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> SplatF(float value) => Vector512.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> IotaF(float start) => Vector512.Create(start) + IotaS;

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> SubF(Vector512<float> a, Vector512<float> b) => a - b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> MulF(Vector512<float> a, Vector512<float> b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> MaxF(Vector512<float> a, Vector512<float> b) => Vector512.MaxNative(a, b);


    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> AddF(Vector512<float> a, Vector512<float> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> MulAddF(Vector512<float> a, Vector512<float> b, Vector512<float> c) => Vector512.FusedMultiplyAdd(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> RoundF(Vector512<float> a) => Vector512.Round(a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> GreaterOrEqualF(Vector512<float> a, Vector512<float> b) => Vector512.GreaterThanOrEqual(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> LessOrEqualF(Vector512<float> a, Vector512<float> b) => Vector512.LessThanOrEqual(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> AndF(Vector512<float> a, Vector512<float> b) => a & b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> ScaleByPowerOfTwo(Vector512<float> y, Vector512<float> biased) =>
        y * (biased.AsInt32() + Vector512.Create(127) << 23).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> ZeroWhereBelow(Vector512<float> value, Vector512<float> x, float limit) =>
        Vector512.AndNot(value, Vector512.LessThan(x, Vector512.Create(limit)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Load(ReadOnlySpan<float> source, int index) => Vector512.Create(source.Slice(index, 16));

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Vector512<float> value, Span<float> destination, int index) => value.CopyTo(destination.Slice(index, 16));
}

/// <summary>256-bit lanes (4 doubles, 8 floats per step).</summary>
internal readonly struct Lanes256 : ILanes<Vector256<double>, Vector256<float>>
{
    private static readonly Vector256<double> IotaD = Vector256.Create(0d, 1, 2, 3);
    private static readonly Vector256<float> IotaS = Vector256.Create(0f, 1, 2, 3, 4, 5, 6, 7);

    public static int FloatCount => 8;

    public static int DoubleCount => 4;

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> Splat(double value) => Vector256.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> Iota(double start) => Vector256.Create(start) + IotaD;

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> Add(Vector256<double> a, Vector256<double> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> Sub(Vector256<double> a, Vector256<double> b) => a - b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> Mul(Vector256<double> a, Vector256<double> b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> Div(Vector256<double> a, Vector256<double> b) => a / b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> MulAdd(Vector256<double> a, Vector256<double> b, Vector256<double> c) => Vector256.FusedMultiplyAdd(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> Abs(Vector256<double> a) => Vector256.Abs(a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> Min(Vector256<double> a, Vector256<double> b) => Vector256.MinNative(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> Max(Vector256<double> a, Vector256<double> b) => Vector256.MaxNative(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> LessOrEqual(Vector256<double> a, Vector256<double> b) => Vector256.LessThanOrEqual(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> GreaterOrEqual(Vector256<double> a, Vector256<double> b) => Vector256.GreaterThanOrEqual(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> And(Vector256<double> a, Vector256<double> b) => a & b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> Or(Vector256<double> a, Vector256<double> b) => a | b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> AndNot(Vector256<double> a, Vector256<double> notMask) => Vector256.AndNot(a, notMask);

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<double> Select(Vector256<double> mask, Vector256<double> whenTrue, Vector256<double> whenFalse) => Vector256.ConditionalSelect(mask, whenTrue, whenFalse);

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Narrow(Vector256<double> low, Vector256<double> high) => Vector256.Narrow(low, high);

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> SplatF(float value) => Vector256.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> IotaF(float start) => Vector256.Create(start) + IotaS;

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> SubF(Vector256<float> a, Vector256<float> b) => a - b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> MulF(Vector256<float> a, Vector256<float> b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> MaxF(Vector256<float> a, Vector256<float> b) => Vector256.MaxNative(a, b);


    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> AddF(Vector256<float> a, Vector256<float> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> MulAddF(Vector256<float> a, Vector256<float> b, Vector256<float> c) => System.Runtime.Intrinsics.X86.Fma.IsSupported ? Vector256.FusedMultiplyAdd(a, b, c) : (a * b) + c;

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> RoundF(Vector256<float> a) => Vector256.Round(a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> GreaterOrEqualF(Vector256<float> a, Vector256<float> b) => Vector256.GreaterThanOrEqual(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> LessOrEqualF(Vector256<float> a, Vector256<float> b) => Vector256.LessThanOrEqual(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> AndF(Vector256<float> a, Vector256<float> b) => a & b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> ScaleByPowerOfTwo(Vector256<float> y, Vector256<float> biased) =>
        y * (biased.AsInt32() + Vector256.Create(127) << 23).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> ZeroWhereBelow(Vector256<float> value, Vector256<float> x, float limit) =>
        Vector256.AndNot(value, Vector256.LessThan(x, Vector256.Create(limit)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Load(ReadOnlySpan<float> source, int index) => Vector256.Create(source.Slice(index, 8));

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Vector256<float> value, Span<float> destination, int index) => value.CopyTo(destination.Slice(index, 8));
}

/// <summary>128-bit lanes (2 doubles, 4 floats per step).</summary>
internal readonly struct Lanes128 : ILanes<Vector128<double>, Vector128<float>>
{
    private static readonly Vector128<double> IotaD = Vector128.Create(0d, 1);
    private static readonly Vector128<float> IotaS = Vector128.Create(0f, 1, 2, 3);

    public static int FloatCount => 4;

    public static int DoubleCount => 2;

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<double> Splat(double value) => Vector128.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<double> Iota(double start) => Vector128.Create(start) + IotaD;

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<double> Add(Vector128<double> a, Vector128<double> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<double> Sub(Vector128<double> a, Vector128<double> b) => a - b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<double> Mul(Vector128<double> a, Vector128<double> b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<double> Div(Vector128<double> a, Vector128<double> b) => a / b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<double> MulAdd(Vector128<double> a, Vector128<double> b, Vector128<double> c) => Vector128.FusedMultiplyAdd(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<double> Abs(Vector128<double> a) => Vector128.Abs(a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<double> Min(Vector128<double> a, Vector128<double> b) => Vector128.MinNative(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<double> Max(Vector128<double> a, Vector128<double> b) => Vector128.MaxNative(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<double> LessOrEqual(Vector128<double> a, Vector128<double> b) => Vector128.LessThanOrEqual(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<double> GreaterOrEqual(Vector128<double> a, Vector128<double> b) => Vector128.GreaterThanOrEqual(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<double> And(Vector128<double> a, Vector128<double> b) => a & b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<double> Or(Vector128<double> a, Vector128<double> b) => a | b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<double> AndNot(Vector128<double> a, Vector128<double> notMask) => Vector128.AndNot(a, notMask);

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<double> Select(Vector128<double> mask, Vector128<double> whenTrue, Vector128<double> whenFalse) => Vector128.ConditionalSelect(mask, whenTrue, whenFalse);

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Narrow(Vector128<double> low, Vector128<double> high) => Vector128.Narrow(low, high);

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> SplatF(float value) => Vector128.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> IotaF(float start) => Vector128.Create(start) + IotaS;

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> SubF(Vector128<float> a, Vector128<float> b) => a - b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> MulF(Vector128<float> a, Vector128<float> b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> MaxF(Vector128<float> a, Vector128<float> b) => Vector128.MaxNative(a, b);


    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> AddF(Vector128<float> a, Vector128<float> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> MulAddF(Vector128<float> a, Vector128<float> b, Vector128<float> c) => System.Runtime.Intrinsics.X86.Fma.IsSupported ? Vector128.FusedMultiplyAdd(a, b, c) : (a * b) + c;

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> RoundF(Vector128<float> a) => Vector128.Round(a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> GreaterOrEqualF(Vector128<float> a, Vector128<float> b) => Vector128.GreaterThanOrEqual(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> LessOrEqualF(Vector128<float> a, Vector128<float> b) => Vector128.LessThanOrEqual(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> AndF(Vector128<float> a, Vector128<float> b) => a & b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> ScaleByPowerOfTwo(Vector128<float> y, Vector128<float> biased) =>
        y * (biased.AsInt32() + Vector128.Create(127) << 23).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> ZeroWhereBelow(Vector128<float> value, Vector128<float> x, float limit) =>
        Vector128.AndNot(value, Vector128.LessThan(x, Vector128.Create(limit)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Load(ReadOnlySpan<float> source, int index) => Vector128.Create(source.Slice(index, 4));

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Vector128<float> value, Span<float> destination, int index) => value.CopyTo(destination.Slice(index, 4));
}

/// <summary>Scalar lanes (one pixel per step): the path when hardware intrinsics are off, and the reference.</summary>
internal readonly struct LanesScalar : ILanes<double, float>
{
    public static int FloatCount => 1;

    public static int DoubleCount => 1;

    public static double Splat(double value) => value;

    public static double Iota(double start) => start;

    public static double Add(double a, double b) => a + b;

    public static double Sub(double a, double b) => a - b;

    public static double Mul(double a, double b) => a * b;

    public static double Div(double a, double b) => a / b;

    public static double MulAdd(double a, double b, double c) => Math.FusedMultiplyAdd(a, b, c);

    public static double Abs(double a) => Math.Abs(a);

    public static double Min(double a, double b) => Math.Min(a, b);

    public static double Max(double a, double b) => Math.Max(a, b);

    public static double LessOrEqual(double a, double b) => a <= b ? AllBits : 0d;

    public static double GreaterOrEqual(double a, double b) => a >= b ? AllBits : 0d;

    public static double And(double a, double b) => BitConverter.Int64BitsToDouble(BitConverter.DoubleToInt64Bits(a) & BitConverter.DoubleToInt64Bits(b));

    public static double Or(double a, double b) => BitConverter.Int64BitsToDouble(BitConverter.DoubleToInt64Bits(a) | BitConverter.DoubleToInt64Bits(b));

    public static double AndNot(double a, double notMask) => BitConverter.Int64BitsToDouble(BitConverter.DoubleToInt64Bits(a) & ~BitConverter.DoubleToInt64Bits(notMask));

    public static double Select(double mask, double whenTrue, double whenFalse) => BitConverter.DoubleToInt64Bits(mask) != 0 ? whenTrue : whenFalse;

    public static float Narrow(double low, double high) => (float)low;

    public static float SplatF(float value) => value;

    public static float IotaF(float start) => start;

    public static float SubF(float a, float b) => a - b;

    public static float MulF(float a, float b) => a * b;

    public static float MaxF(float a, float b) => Math.Max(a, b);


    public static float AddF(float a, float b) => a + b;

    public static float MulAddF(float a, float b, float c) => (a * b) + c;

    public static float RoundF(float a) => MathF.Round(a);

    public static float GreaterOrEqualF(float a, float b) => a >= b ? AllBitsF : 0f;

    public static float LessOrEqualF(float a, float b) => a <= b ? AllBitsF : 0f;

    public static float AndF(float a, float b) => BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(a) & BitConverter.SingleToInt32Bits(b));

    public static float ScaleByPowerOfTwo(float y, float biased) => y * BitConverter.Int32BitsToSingle((BitConverter.SingleToInt32Bits(biased) + 127) << 23);

    public static float ZeroWhereBelow(float value, float x, float limit) => x < limit ? 0f : value;

    public static float Load(ReadOnlySpan<float> source, int index) => source[index];

    public static void Store(float value, Span<float> destination, int index) => destination[index] = value;

    private static double AllBits => BitConverter.Int64BitsToDouble(-1L);

    private static float AllBitsF => BitConverter.Int32BitsToSingle(-1);
}
