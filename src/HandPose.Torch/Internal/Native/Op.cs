using System.Runtime.InteropServices;

namespace HandPose.Torch.Internal.Native;

/// <summary>One argument of an <see cref="Op"/> call, converted to <see cref="HpArg"/> at call time.</summary>
internal readonly struct Arg
{
    private Arg(int kind, long i, double d, object? reference)
    {
        Kind = kind;
        I = i;
        D = d;
        Reference = reference;
    }

    public int Kind { get; }

    public long I { get; }

    public double D { get; }

    public object? Reference { get; }

    public static Arg None => new(HpKind.None, 0, 0, null);

    public static Arg Default => new(HpKind.Default, 0, 0, null);

    public static implicit operator Arg(Tensor? t) => t is null ? None : new(HpKind.Tensor, 0, 0, t);

    public static implicit operator Arg(long v) => new(HpKind.Int, v, 0, null);

    public static implicit operator Arg(int v) => new(HpKind.Int, v, 0, null);

    public static implicit operator Arg(double v) => new(HpKind.Double, 0, v, null);

    public static implicit operator Arg(bool v) => new(HpKind.Bool, v ? 1 : 0, 0, null);

    public static implicit operator Arg(long[]? v) => v is null ? None : new(HpKind.IntList, 0, 0, v);

    public static implicit operator Arg(double[]? v) => v is null ? None : new(HpKind.DoubleList, 0, 0, v);

    public static implicit operator Arg(Tensor[] v) => new(HpKind.TensorList, 0, 0, v);

    public static implicit operator Arg(string? v) => v is null ? None : new(HpKind.String, 0, 0, v);

    public static Arg Type(DType dtype) => new(HpKind.Int, (long)dtype, 0, null);
}

/// <summary>An ATen operator found once through the dispatcher, then called with boxed arguments (autograd included).</summary>
internal sealed class Op(string name, string overload = "")
{
    private const int MaxOutputs = 8;
    private IntPtr _handle;

    public string Name => overload.Length == 0 ? name : $"{name}.{overload}";

    private IntPtr Handle
    {
        get
        {
            IntPtr h = Volatile.Read(ref _handle);
            if (h == IntPtr.Zero)
            {
                TorchLibrary.EnsureLoaded();
                h = TorchLibrary.Check(NativeMethods.hp_op_find(name, overload));
                Volatile.Write(ref _handle, h);
            }

            return h;
        }
    }

    /// <summary>Calls the operator and returns its first result as a tensor.</summary>
    public Tensor Call(params ReadOnlySpan<Arg> args) =>
        CallMany(args)[0] ?? throw new EngineException(TorchLibrary.EngineName, 0, $"{Name} returned no tensor");

    /// <summary>Calls the operator for its side effect (in-place operators), disposing what it returns.</summary>
    public void Run(params ReadOnlySpan<Arg> args)
    {
        foreach (Tensor? t in CallMany(args))
        {
            t?.Dispose();
        }
    }

    /// <summary>Calls the operator and returns its first result as a number.</summary>
    public double CallScalar(params ReadOnlySpan<Arg> args)
    {
        Span<HpArg> outs = stackalloc HpArg[MaxOutputs];
        int n = Invoke(args, outs);
        if (n < 1 || outs[0].Kind is not (HpKind.Int or HpKind.Double or HpKind.Bool))
        {
            throw new EngineException(TorchLibrary.EngineName, 0, $"{Name} returned no number");
        }

        return outs[0].Kind == HpKind.Double ? outs[0].D : outs[0].I;
    }

    /// <summary>Calls the operator and returns every tensor result (null for an undefined one).</summary>
    public Tensor?[] CallMany(ReadOnlySpan<Arg> args)
    {
        Span<HpArg> outs = stackalloc HpArg[MaxOutputs];
        int n = Invoke(args, outs);
        var result = new Tensor?[n];
        for (int k = 0; k < n; k++)
        {
            result[k] = outs[k].Kind == HpKind.Tensor ? new Tensor(new TensorHandle(outs[k].P)) : null;
        }

        return result;
    }

    private unsafe int Invoke(ReadOnlySpan<Arg> args, Span<HpArg> outs)
    {
        IntPtr op = Handle;
        Span<HpArg> native = stackalloc HpArg[args.Length];
        var pins = new List<GCHandle>();
        var addRefs = new List<SafeHandle>();
        var strings = new List<IntPtr>();
        try
        {
            for (int k = 0; k < args.Length; k++)
            {
                Arg a = args[k];
                ref HpArg h = ref native[k];
                h.Kind = a.Kind;
                h.I = a.I;
                h.D = a.D;
                switch (a.Reference)
                {
                    case Tensor t:
                        h.P = AddRef(t.Handle, addRefs);
                        break;
                    case long[] longs:
                        h.P = Pin(longs, pins);
                        h.N = longs.Length;
                        break;
                    case double[] doubles:
                        h.P = Pin(doubles, pins);
                        h.N = doubles.Length;
                        break;
                    case Tensor[] tensors:
                        var handles = new IntPtr[tensors.Length];
                        for (int j = 0; j < tensors.Length; j++)
                        {
                            handles[j] = AddRef(tensors[j].Handle, addRefs);
                        }

                        h.P = Pin(handles, pins);
                        h.N = handles.Length;
                        break;
                    case string s:
                        h.P = Marshal.StringToCoTaskMemUTF8(s);
                        strings.Add(h.P);
                        break;
                }
            }

            fixed (HpArg* pa = native)
            fixed (HpArg* po = outs)
            {
                return TorchLibrary.Check(NativeMethods.hp_op_call(op, pa, args.Length, po, outs.Length));
            }
        }
        finally
        {
            foreach (GCHandle pin in pins)
            {
                pin.Free();
            }

            foreach (SafeHandle handle in addRefs)
            {
                handle.DangerousRelease();
            }

            foreach (IntPtr s in strings)
            {
                Marshal.FreeCoTaskMem(s);
            }
        }
    }

    private static IntPtr Pin(Array array, List<GCHandle> pins)
    {
        GCHandle pin = GCHandle.Alloc(array, GCHandleType.Pinned);
        pins.Add(pin);
        return pin.AddrOfPinnedObject();
    }

    private static IntPtr AddRef(TensorHandle handle, List<SafeHandle> addRefs)
    {
        bool added = false;
        handle.DangerousAddRef(ref added);
        addRefs.Add(handle);
        return handle.DangerousGetHandle();
    }
}
