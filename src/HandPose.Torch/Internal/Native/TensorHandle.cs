using System.Runtime.InteropServices;

namespace HandPose.Torch.Internal.Native;

/// <summary>Owns one <c>at::Tensor*</c> allocated by the shim.</summary>
internal sealed class TensorHandle : SafeHandle
{
    public TensorHandle()
        : base(IntPtr.Zero, ownsHandle: true)
    {
    }

    public TensorHandle(IntPtr handle)
        : base(IntPtr.Zero, ownsHandle: true) => SetHandle(handle);

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle()
    {
        NativeMethods.hp_tensor_free(handle);
        return true;
    }
}
