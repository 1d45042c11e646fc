using System.Runtime.InteropServices;

namespace HandPose.Onnx.Internal.Native;

/// <summary>
/// An owned ORT object (env, session options, session, memory info, value, run options, type info, metadata),
/// released exactly once through the matching <c>Release*</c> entry of the function table.
/// </summary>
internal sealed unsafe class OrtHandle : SafeHandle
{
    private readonly delegate* unmanaged<IntPtr, void> _release;

    private OrtHandle(delegate* unmanaged<IntPtr, void> release)
        : base(IntPtr.Zero, ownsHandle: true)
    {
        _release = release;
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    public static OrtHandle Env(OrtLibrary.Loaded lib) => new(lib.Api.ReleaseEnv);

    public static OrtHandle MemoryInfo(OrtLibrary.Loaded lib) => new(lib.Api.ReleaseMemoryInfo);

    public static OrtHandle Session(OrtLibrary.Loaded lib) => new(lib.Api.ReleaseSession);

    public static OrtHandle SessionOptions(OrtLibrary.Loaded lib) => new(lib.Api.ReleaseSessionOptions);

    public static OrtHandle Value(OrtLibrary.Loaded lib) => new(lib.Api.ReleaseValue);

    public static OrtHandle RunOptions(OrtLibrary.Loaded lib) => new(lib.Api.ReleaseRunOptions);

    public static OrtHandle TypeInfo(OrtLibrary.Loaded lib) => new(lib.Api.ReleaseTypeInfo);

    public static OrtHandle TensorTypeAndShape(OrtLibrary.Loaded lib) => new(lib.Api.ReleaseTensorTypeAndShapeInfo);

    public static OrtHandle ModelMetadata(OrtLibrary.Loaded lib) => new(lib.Api.ReleaseModelMetadata);

    /// <summary>Takes ownership of a pointer ORT just returned.</summary>
    public void Adopt(IntPtr value) => SetHandle(value);

    protected override bool ReleaseHandle()
    {
        _release(handle);
        return true;
    }
}
