using System.Globalization;
using System.Runtime.InteropServices;
using HandPose.IO;
using HandPose.Torch.Internal.Native;

namespace HandPose.Torch;

/// <summary>
/// An n-dimensional array in libtorch memory (CPU or CUDA) with autograd. Every tensor is owned either by the
/// innermost <see cref="DisposeScope"/> open on the creating thread, or by the caller (dispose it).
/// </summary>
/// <remarks>Operations throw <see cref="EngineException"/> with libtorch's message for invalid input (e.g. mismatched shapes).</remarks>
public sealed partial class Tensor : IDisposable
{
    private readonly TensorHandle _handle;

    internal Tensor(TensorHandle handle)
    {
        _handle = handle;
        DisposeScope.Register(this);
    }

    /// <summary>The scope that owns this tensor, if any.</summary>
    internal DisposeScope? Scope { get; set; }

    internal TensorHandle Handle
    {
        get
        {
            ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
            return _handle;
        }
    }

    /// <summary>Whether <see cref="Dispose"/> was called (directly or by a scope).</summary>
    public bool IsDisposed => _handle.IsClosed;

    /// <summary>The shape (one entry per dimension).</summary>
    public unsafe long[] Shape
    {
        get
        {
            Span<long> buffer = stackalloc long[16];
            fixed (long* p = buffer)
            {
                int n = TorchLibrary.Check(NativeMethods.hp_tensor_shape(Handle, p, buffer.Length));
                return buffer[..n].ToArray();
            }
        }
    }

    /// <summary>The number of dimensions.</summary>
    public int Rank => Shape.Length;

    /// <summary>The number of elements.</summary>
    public long NumElements => Shape.Aggregate(1L, (a, d) => a * d);

    /// <summary>The element type.</summary>
    public DType DType => (DType)TorchLibrary.Check(NativeMethods.hp_tensor_dtype(Handle));

    /// <summary>The device the data lives on.</summary>
    public Device Device
    {
        get
        {
            int kind = TorchLibrary.Check(NativeMethods.hp_tensor_device(Handle, out int index));
            return new Device((DeviceKind)kind, index);
        }
    }

    /// <summary>Whether autograd records operations on this tensor (leaf tensors: whether it gets a gradient).</summary>
    public bool RequiresGrad
    {
        get => TorchLibrary.Check(NativeMethods.hp_tensor_requires_grad(Handle)) != 0;
        set => TorchLibrary.Check(NativeMethods.hp_tensor_set_requires_grad(Handle, value ? 1 : 0));
    }

    /// <summary>The gradient accumulated by <see cref="Backward"/> (a new handle to it, owned by the current scope), or null.</summary>
    public Tensor? Grad
    {
        get
        {
            TorchLibrary.Check(NativeMethods.hp_tensor_grad(Handle, out IntPtr grad));
            return grad == IntPtr.Zero ? null : new Tensor(new TensorHandle(grad));
        }

        set
        {
            TensorHandle? g = value?.Handle;
            bool added = false;
            g?.DangerousAddRef(ref added);
            try
            {
                TorchLibrary.Check(NativeMethods.hp_tensor_set_grad(Handle, g?.DangerousGetHandle() ?? IntPtr.Zero));
            }
            finally
            {
                if (added)
                {
                    g!.DangerousRelease();
                }
            }
        }
    }

    /// <summary>Creates a tensor holding a copy of <paramref name="data"/>.</summary>
    /// <typeparam name="T">float, double, long, int, short, byte, sbyte or bool.</typeparam>
    /// <param name="data">The values in C order.</param>
    /// <param name="shape">The shape; its product must equal the data length.</param>
    /// <param name="device">Where to put it (the CPU when null).</param>
    /// <returns>The tensor.</returns>
    public static unsafe Tensor FromSpan<T>(ReadOnlySpan<T> data, ReadOnlySpan<long> shape, Device? device = null)
        where T : unmanaged
    {
        long count = 1;
        foreach (long d in shape)
        {
            if (d < 0)
            {
                throw new ArgumentException($"Dimensions must be non-negative; got [{string.Join(", ", shape.ToArray())}].", nameof(shape));
            }

            count *= d;
        }

        if (count != data.Length)
        {
            throw new ArgumentException($"Shape [{string.Join(", ", shape.ToArray())}] holds {count} values; got {data.Length}.", nameof(data));
        }

        return FromRaw(MemoryMarshal.AsBytes(data), DTypeInfo.Of<T>(), shape, null, 0, device ?? Device.Cpu);
    }

    /// <summary>Creates a float32 tensor from a NumPy array.</summary>
    /// <param name="array">The array.</param>
    /// <returns>The tensor.</returns>
    public static Tensor FromNpy(NpyArray array)
    {
        ArgumentNullException.ThrowIfNull(array);
        return FromSpan<float>(array.Data, array.Shape.Select(d => (long)d).ToArray());
    }

    /// <summary>A tensor of zeros.</summary>
    /// <param name="shape">The shape.</param>
    /// <param name="dtype">The element type.</param>
    /// <param name="device">The device (the CPU when null).</param>
    /// <returns>The tensor.</returns>
    public static Tensor Zeros(long[] shape, DType dtype = DType.Float32, Device? device = null) =>
        Factory(Aten.Zeros, shape, dtype, device);

    /// <summary>A tensor of ones.</summary>
    /// <param name="shape">The shape.</param>
    /// <param name="dtype">The element type.</param>
    /// <param name="device">The device (the CPU when null).</param>
    /// <returns>The tensor.</returns>
    public static Tensor Ones(long[] shape, DType dtype = DType.Float32, Device? device = null) =>
        Factory(Aten.Ones, shape, dtype, device);

    /// <summary>Standard-normal random values from libtorch's default generator (see <see cref="TorchRuntime.ManualSeed"/>).</summary>
    /// <param name="shape">The shape.</param>
    /// <param name="dtype">The element type.</param>
    /// <param name="device">The device (the CPU when null).</param>
    /// <returns>The tensor.</returns>
    public static Tensor Randn(long[] shape, DType dtype = DType.Float32, Device? device = null) =>
        Factory(Aten.Randn, shape, dtype, device);

    /// <summary>Uniform random values in [0, 1) from libtorch's default generator.</summary>
    /// <param name="shape">The shape.</param>
    /// <param name="dtype">The element type.</param>
    /// <param name="device">The device (the CPU when null).</param>
    /// <returns>The tensor.</returns>
    public static Tensor Rand(long[] shape, DType dtype = DType.Float32, Device? device = null) =>
        Factory(Aten.Rand, shape, dtype, device);

    /// <summary>A zero-dimensional tensor.</summary>
    /// <param name="value">The value.</param>
    /// <param name="dtype">The element type.</param>
    /// <returns>The tensor.</returns>
    public static Tensor Scalar(double value, DType dtype = DType.Float32) =>
        Aten.Full.Call(Array.Empty<long>(), value, Arg.Type(dtype));

    /// <summary>Concatenates tensors along an existing dimension.</summary>
    /// <param name="tensors">The tensors (same shape except along <paramref name="dim"/>).</param>
    /// <param name="dim">The dimension.</param>
    /// <returns>The result.</returns>
    public static Tensor Cat(IEnumerable<Tensor> tensors, long dim = 0) => Aten.Cat.Call(tensors.ToArray(), dim);

    /// <summary>Stacks tensors of one shape along a new dimension.</summary>
    /// <param name="tensors">The tensors.</param>
    /// <param name="dim">The new dimension's index.</param>
    /// <returns>The result.</returns>
    public static Tensor Stack(IEnumerable<Tensor> tensors, long dim = 0) => Aten.Stack.Call(tensors.ToArray(), dim);

    /// <summary>Copies the values (converted to <typeparamref name="T"/>, in C order) into <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The element type to convert to.</typeparam>
    /// <param name="destination">Exactly <see cref="NumElements"/> long.</param>
    public unsafe void CopyTo<T>(Span<T> destination)
        where T : unmanaged
    {
        long count = NumElements;
        if (destination.Length != count)
        {
            throw new ArgumentException($"The tensor has {count} elements; the destination holds {destination.Length}.", nameof(destination));
        }

        fixed (T* p = destination)
        {
            TorchLibrary.Check(NativeMethods.hp_tensor_copy_to(Handle, (int)DTypeInfo.Of<T>(), p, count * sizeof(T)));
        }
    }

    /// <summary>The values (converted to <typeparamref name="T"/>) in C order.</summary>
    /// <typeparam name="T">The element type to convert to.</typeparam>
    /// <returns>A new array.</returns>
    public T[] ToArray<T>()
        where T : unmanaged
    {
        var result = new T[NumElements];
        CopyTo<T>(result);
        return result;
    }

    /// <summary>The values as a float32 NumPy array.</summary>
    /// <returns>The array.</returns>
    public NpyArray ToNpy() => new(Shape.Select(d => checked((int)d)).ToArray(), ToArray<float>());

    /// <summary>The single value of a one-element tensor.</summary>
    /// <returns>The value.</returns>
    public double Item() => Aten.Item.CallScalar(this);

    /// <summary>Computes the gradients of this tensor (a scalar unless <paramref name="gradient"/> is given) w.r.t. the graph's leaves.</summary>
    /// <param name="gradient">The gradient of the final objective w.r.t. this tensor; null for a scalar.</param>
    /// <param name="retainGraph">Keep the graph for another backward pass.</param>
    public void Backward(Tensor? gradient = null, bool retainGraph = false)
    {
        TensorHandle? g = gradient?.Handle;
        bool added = false;
        g?.DangerousAddRef(ref added);
        try
        {
            TorchLibrary.Check(NativeMethods.hp_tensor_backward(Handle, g?.DangerousGetHandle() ?? IntPtr.Zero, retainGraph ? 1 : 0));
        }
        finally
        {
            if (added)
            {
                g!.DangerousRelease();
            }
        }
    }

    /// <summary>Frees the native tensor now.</summary>
    public void Dispose()
    {
        if (!_handle.IsClosed)
        {
            DisposeScope.Unregister(this);
            _handle.Dispose();
        }
    }

    /// <summary>A short description: shape, element type and device.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => IsDisposed
        ? "Tensor(disposed)"
        : string.Create(CultureInfo.InvariantCulture, $"Tensor([{string.Join(", ", Shape)}], {DType}, {Device})");

    /// <summary>The raw bytes of the values in this tensor's own element type, C order (for serialization).</summary>
    internal unsafe byte[] ToBytes()
    {
        DType dtype = DType;
        var bytes = new byte[NumElements * dtype.ElementSize()];
        fixed (byte* p = bytes)
        {
            TorchLibrary.Check(NativeMethods.hp_tensor_copy_to(Handle, (int)dtype, p, bytes.Length));
        }

        return bytes;
    }

    internal static unsafe Tensor FromRaw(ReadOnlySpan<byte> bytes, DType dtype, ReadOnlySpan<long> shape, long[]? strides, long offset, Device device)
    {
        device.EnsureUsable();
        TorchLibrary.EnsureLoaded();
        fixed (byte* data = bytes)
        fixed (long* s = shape)
        fixed (long* st = strides)
        {
            IntPtr h = NativeMethods.hp_tensor_from_data(data, (int)dtype, s, shape.Length, st, offset, (int)device.Kind, device.Index);
            return new Tensor(new TensorHandle(TorchLibrary.Check(h)));
        }
    }

    private static Tensor Factory(Op op, long[] shape, DType dtype, Device? device)
    {
        ArgumentNullException.ThrowIfNull(shape);
        Device d = device ?? Device.Cpu;
        d.EnsureUsable();
        return op.Call(shape, Arg.Type(dtype), Arg.None, d.ToString());
    }
}
