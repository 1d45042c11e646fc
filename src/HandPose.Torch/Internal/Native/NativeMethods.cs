using System.Runtime.InteropServices;

namespace HandPose.Torch.Internal.Native;

/// <summary>One argument or result of <c>hp_op_call</c> (mirrors <c>hp_arg</c> in native/hp_torch.h).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct HpArg
{
    public int Kind;
    public int Reserved;
    public long I;
    public double D;
    public IntPtr P;
    public long N;
}

/// <summary>Argument kinds (mirror <c>hp_kind</c>).</summary>
internal static class HpKind
{
    public const int None = 0;
    public const int Tensor = 1;
    public const int Int = 2;
    public const int Double = 3;
    public const int Bool = 4;
    public const int IntList = 5;
    public const int DoubleList = 6;
    public const int TensorList = 7;
    public const int String = 8;
    public const int Default = 9;
}

/// <summary>The shim's C ABI. Every call that can fail returns a negative status or null; see <see cref="TorchLibrary.Check(int)"/>.</summary>
internal static unsafe partial class NativeMethods
{
    public const string Library = "handpose_torch";

    /// <summary>The ABI version this assembly was written against (HP_ABI_VERSION).</summary>
    public const int AbiVersion = 1;

    [LibraryImport(Library, EntryPoint = "hp_abi_version")]
    public static partial int hp_abi_version();

    [LibraryImport(Library, EntryPoint = "hp_torch_version")]
    public static partial IntPtr hp_torch_version();

    [LibraryImport(Library, EntryPoint = "hp_last_error")]
    public static partial IntPtr hp_last_error();

    [LibraryImport(Library, EntryPoint = "hp_cuda_device_count")]
    public static partial int hp_cuda_device_count();

    [LibraryImport(Library, EntryPoint = "hp_set_num_threads")]
    public static partial int hp_set_num_threads(int n);

    [LibraryImport(Library, EntryPoint = "hp_get_num_threads")]
    public static partial int hp_get_num_threads();

    [LibraryImport(Library, EntryPoint = "hp_manual_seed")]
    public static partial int hp_manual_seed(ulong seed);

    [LibraryImport(Library, EntryPoint = "hp_set_deterministic")]
    public static partial int hp_set_deterministic(int on);

    [LibraryImport(Library, EntryPoint = "hp_grad_enabled")]
    public static partial int hp_grad_enabled();

    [LibraryImport(Library, EntryPoint = "hp_set_grad_enabled")]
    public static partial int hp_set_grad_enabled(int on);

    [LibraryImport(Library, EntryPoint = "hp_rng_get_state")]
    public static partial IntPtr hp_rng_get_state();

    [LibraryImport(Library, EntryPoint = "hp_rng_set_state")]
    public static partial int hp_rng_set_state(TensorHandle state);

    [LibraryImport(Library, EntryPoint = "hp_tensor_from_data")]
    public static partial IntPtr hp_tensor_from_data(void* data, int dtype, long* shape, int ndim, long* strides, long storageOffset, int deviceType, int deviceIndex);

    [LibraryImport(Library, EntryPoint = "hp_tensor_free")]
    public static partial void hp_tensor_free(IntPtr t);

    [LibraryImport(Library, EntryPoint = "hp_tensor_shape")]
    public static partial int hp_tensor_shape(TensorHandle t, long* shape, int capacity);

    [LibraryImport(Library, EntryPoint = "hp_tensor_dtype")]
    public static partial int hp_tensor_dtype(TensorHandle t);

    [LibraryImport(Library, EntryPoint = "hp_tensor_device")]
    public static partial int hp_tensor_device(TensorHandle t, out int deviceIndex);

    [LibraryImport(Library, EntryPoint = "hp_tensor_copy_to")]
    public static partial int hp_tensor_copy_to(TensorHandle t, int dtype, void* dst, long nbytes);

    [LibraryImport(Library, EntryPoint = "hp_tensor_requires_grad")]
    public static partial int hp_tensor_requires_grad(TensorHandle t);

    [LibraryImport(Library, EntryPoint = "hp_tensor_set_requires_grad")]
    public static partial int hp_tensor_set_requires_grad(TensorHandle t, int on);

    [LibraryImport(Library, EntryPoint = "hp_tensor_grad")]
    public static partial int hp_tensor_grad(TensorHandle t, out IntPtr grad);

    [LibraryImport(Library, EntryPoint = "hp_tensor_set_grad")]
    public static partial int hp_tensor_set_grad(TensorHandle t, IntPtr grad);

    [LibraryImport(Library, EntryPoint = "hp_tensor_backward")]
    public static partial int hp_tensor_backward(TensorHandle t, IntPtr grad, int retainGraph);

    [LibraryImport(Library, EntryPoint = "hp_op_find", StringMarshalling = StringMarshalling.Utf8)]
    public static partial IntPtr hp_op_find(string name, string overload);

    [LibraryImport(Library, EntryPoint = "hp_op_call")]
    public static partial int hp_op_call(IntPtr op, HpArg* args, int nargs, HpArg* outs, int capacity);
}
