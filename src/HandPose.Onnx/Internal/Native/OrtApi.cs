using System.Runtime.InteropServices;

namespace HandPose.Onnx.Internal.Native;

/// <summary>
/// The entries of ONNX Runtime's versioned <c>OrtApi</c> function table that HandPose uses. The table is append-only,
/// so an entry's index is fixed once published; the indices below hold for every ORT from API version 13 on.
/// Only <c>OrtGetApiBase</c> is exported by the library; everything else is read from this table.
/// </summary>
internal unsafe sealed class OrtApi
{
    /// <summary>The API version we request from <c>OrtApiBase.GetApi</c> (ORT 1.13 and later provide it).</summary>
    public const uint RequestedApiVersion = 13;

    // Table indices (position of the function pointer in the OrtApi struct).
    private const int IxGetErrorCode = 1;
    private const int IxGetErrorMessage = 2;
    private const int IxCreateEnv = 3;
    private const int IxCreateSession = 7;
    private const int IxCreateSessionFromArray = 8;
    private const int IxRun = 9;
    private const int IxCreateSessionOptions = 10;
    private const int IxSetSessionGraphOptimizationLevel = 23;
    private const int IxSetIntraOpNumThreads = 24;
    private const int IxSetInterOpNumThreads = 25;
    private const int IxSetSessionExecutionMode = 13;
    private const int IxSessionGetInputCount = 30;
    private const int IxSessionGetOutputCount = 31;
    private const int IxSessionGetInputTypeInfo = 33;
    private const int IxSessionGetOutputTypeInfo = 34;
    private const int IxSessionGetInputName = 36;
    private const int IxSessionGetOutputName = 37;
    private const int IxCreateRunOptions = 39;
    private const int IxRunOptionsSetTerminate = 46;
    private const int IxCreateTensorWithDataAsOrtValue = 49;
    private const int IxGetTensorMutableData = 51;
    private const int IxCastTypeInfoToTensorInfo = 55;
    private const int IxGetOnnxTypeFromTypeInfo = 56;
    private const int IxGetTensorElementType = 60;
    private const int IxGetDimensionsCount = 61;
    private const int IxGetDimensions = 62;
    private const int IxGetSymbolicDimensions = 63;
    private const int IxGetTensorTypeAndShape = 65;
    private const int IxCreateCpuMemoryInfo = 69;
    private const int IxAllocatorFree = 76;
    private const int IxGetAllocatorWithDefaultOptions = 78;
    private const int IxReleaseEnv = 92;
    private const int IxReleaseStatus = 93;
    private const int IxReleaseMemoryInfo = 94;
    private const int IxReleaseSession = 95;
    private const int IxReleaseValue = 96;
    private const int IxReleaseRunOptions = 97;
    private const int IxReleaseTypeInfo = 98;
    private const int IxReleaseTensorTypeAndShapeInfo = 99;
    private const int IxReleaseSessionOptions = 100;
    private const int IxSessionGetModelMetadata = 111;
    private const int IxModelMetadataLookupCustomMetadataMap = 116;
    private const int IxReleaseModelMetadata = 118;
    private const int IxModelMetadataGetCustomMetadataMapKeys = 123;
    private const int IxGetAvailableProviders = 125;
    private const int IxReleaseAvailableProviders = 126;
    private const int IxAddSessionConfigEntry = 130;
    private const int IxSessionOptionsAppendExecutionProviderCuda = 152;

    public OrtApi(IntPtr table)
    {
        var t = (IntPtr*)table;
        GetErrorCode = (delegate* unmanaged<IntPtr, int>)t[IxGetErrorCode];
        GetErrorMessage = (delegate* unmanaged<IntPtr, byte*>)t[IxGetErrorMessage];
        CreateEnv = (delegate* unmanaged<int, byte*, IntPtr*, IntPtr>)t[IxCreateEnv];
        CreateSession = (delegate* unmanaged<IntPtr, byte*, IntPtr, IntPtr*, IntPtr>)t[IxCreateSession];
        CreateSessionFromArray = (delegate* unmanaged<IntPtr, void*, nuint, IntPtr, IntPtr*, IntPtr>)t[IxCreateSessionFromArray];
        Run = (delegate* unmanaged<IntPtr, IntPtr, IntPtr*, IntPtr*, nuint, IntPtr*, nuint, IntPtr*, IntPtr>)t[IxRun];
        CreateSessionOptions = (delegate* unmanaged<IntPtr*, IntPtr>)t[IxCreateSessionOptions];
        SetSessionGraphOptimizationLevel = (delegate* unmanaged<IntPtr, int, IntPtr>)t[IxSetSessionGraphOptimizationLevel];
        SetIntraOpNumThreads = (delegate* unmanaged<IntPtr, int, IntPtr>)t[IxSetIntraOpNumThreads];
        SetInterOpNumThreads = (delegate* unmanaged<IntPtr, int, IntPtr>)t[IxSetInterOpNumThreads];
        SetSessionExecutionMode = (delegate* unmanaged<IntPtr, int, IntPtr>)t[IxSetSessionExecutionMode];
        SessionGetInputCount = (delegate* unmanaged<IntPtr, nuint*, IntPtr>)t[IxSessionGetInputCount];
        SessionGetOutputCount = (delegate* unmanaged<IntPtr, nuint*, IntPtr>)t[IxSessionGetOutputCount];
        SessionGetInputTypeInfo = (delegate* unmanaged<IntPtr, nuint, IntPtr*, IntPtr>)t[IxSessionGetInputTypeInfo];
        SessionGetOutputTypeInfo = (delegate* unmanaged<IntPtr, nuint, IntPtr*, IntPtr>)t[IxSessionGetOutputTypeInfo];
        SessionGetInputName = (delegate* unmanaged<IntPtr, nuint, IntPtr, byte**, IntPtr>)t[IxSessionGetInputName];
        SessionGetOutputName = (delegate* unmanaged<IntPtr, nuint, IntPtr, byte**, IntPtr>)t[IxSessionGetOutputName];
        CreateRunOptions = (delegate* unmanaged<IntPtr*, IntPtr>)t[IxCreateRunOptions];
        RunOptionsSetTerminate = (delegate* unmanaged<IntPtr, IntPtr>)t[IxRunOptionsSetTerminate];
        CreateTensorWithDataAsOrtValue = (delegate* unmanaged<IntPtr, void*, nuint, long*, nuint, int, IntPtr*, IntPtr>)t[IxCreateTensorWithDataAsOrtValue];
        GetTensorMutableData = (delegate* unmanaged<IntPtr, void**, IntPtr>)t[IxGetTensorMutableData];
        CastTypeInfoToTensorInfo = (delegate* unmanaged<IntPtr, IntPtr*, IntPtr>)t[IxCastTypeInfoToTensorInfo];
        GetOnnxTypeFromTypeInfo = (delegate* unmanaged<IntPtr, int*, IntPtr>)t[IxGetOnnxTypeFromTypeInfo];
        GetTensorElementType = (delegate* unmanaged<IntPtr, int*, IntPtr>)t[IxGetTensorElementType];
        GetDimensionsCount = (delegate* unmanaged<IntPtr, nuint*, IntPtr>)t[IxGetDimensionsCount];
        GetDimensions = (delegate* unmanaged<IntPtr, long*, nuint, IntPtr>)t[IxGetDimensions];
        GetSymbolicDimensions = (delegate* unmanaged<IntPtr, byte**, nuint, IntPtr>)t[IxGetSymbolicDimensions];
        GetTensorTypeAndShape = (delegate* unmanaged<IntPtr, IntPtr*, IntPtr>)t[IxGetTensorTypeAndShape];
        CreateCpuMemoryInfo = (delegate* unmanaged<int, int, IntPtr*, IntPtr>)t[IxCreateCpuMemoryInfo];
        AllocatorFree = (delegate* unmanaged<IntPtr, void*, IntPtr>)t[IxAllocatorFree];
        GetAllocatorWithDefaultOptions = (delegate* unmanaged<IntPtr*, IntPtr>)t[IxGetAllocatorWithDefaultOptions];
        ReleaseEnv = (delegate* unmanaged<IntPtr, void>)t[IxReleaseEnv];
        ReleaseStatus = (delegate* unmanaged<IntPtr, void>)t[IxReleaseStatus];
        ReleaseMemoryInfo = (delegate* unmanaged<IntPtr, void>)t[IxReleaseMemoryInfo];
        ReleaseSession = (delegate* unmanaged<IntPtr, void>)t[IxReleaseSession];
        ReleaseValue = (delegate* unmanaged<IntPtr, void>)t[IxReleaseValue];
        ReleaseRunOptions = (delegate* unmanaged<IntPtr, void>)t[IxReleaseRunOptions];
        ReleaseTypeInfo = (delegate* unmanaged<IntPtr, void>)t[IxReleaseTypeInfo];
        ReleaseTensorTypeAndShapeInfo = (delegate* unmanaged<IntPtr, void>)t[IxReleaseTensorTypeAndShapeInfo];
        ReleaseSessionOptions = (delegate* unmanaged<IntPtr, void>)t[IxReleaseSessionOptions];
        SessionGetModelMetadata = (delegate* unmanaged<IntPtr, IntPtr*, IntPtr>)t[IxSessionGetModelMetadata];
        ModelMetadataLookupCustomMetadataMap = (delegate* unmanaged<IntPtr, IntPtr, byte*, byte**, IntPtr>)t[IxModelMetadataLookupCustomMetadataMap];
        ReleaseModelMetadata = (delegate* unmanaged<IntPtr, void>)t[IxReleaseModelMetadata];
        ModelMetadataGetCustomMetadataMapKeys = (delegate* unmanaged<IntPtr, IntPtr, byte***, long*, IntPtr>)t[IxModelMetadataGetCustomMetadataMapKeys];
        GetAvailableProviders = (delegate* unmanaged<byte***, int*, IntPtr>)t[IxGetAvailableProviders];
        ReleaseAvailableProviders = (delegate* unmanaged<byte**, int, IntPtr>)t[IxReleaseAvailableProviders];
        SessionOptionsAppendExecutionProviderCuda = (delegate* unmanaged<IntPtr, CudaProviderOptions*, IntPtr>)t[IxSessionOptionsAppendExecutionProviderCuda];
        AddSessionConfigEntry = (delegate* unmanaged<IntPtr, byte*, byte*, IntPtr>)t[IxAddSessionConfigEntry];
    }

    public delegate* unmanaged<IntPtr, int> GetErrorCode { get; }
    public delegate* unmanaged<IntPtr, byte*> GetErrorMessage { get; }
    public delegate* unmanaged<int, byte*, IntPtr*, IntPtr> CreateEnv { get; }
    public delegate* unmanaged<IntPtr, byte*, IntPtr, IntPtr*, IntPtr> CreateSession { get; }
    public delegate* unmanaged<IntPtr, void*, nuint, IntPtr, IntPtr*, IntPtr> CreateSessionFromArray { get; }
    public delegate* unmanaged<IntPtr, IntPtr, IntPtr*, IntPtr*, nuint, IntPtr*, nuint, IntPtr*, IntPtr> Run { get; }
    public delegate* unmanaged<IntPtr*, IntPtr> CreateSessionOptions { get; }
    public delegate* unmanaged<IntPtr, int, IntPtr> SetSessionGraphOptimizationLevel { get; }
    public delegate* unmanaged<IntPtr, int, IntPtr> SetIntraOpNumThreads { get; }
    public delegate* unmanaged<IntPtr, int, IntPtr> SetInterOpNumThreads { get; }
    public delegate* unmanaged<IntPtr, int, IntPtr> SetSessionExecutionMode { get; }
    public delegate* unmanaged<IntPtr, nuint*, IntPtr> SessionGetInputCount { get; }
    public delegate* unmanaged<IntPtr, nuint*, IntPtr> SessionGetOutputCount { get; }
    public delegate* unmanaged<IntPtr, nuint, IntPtr*, IntPtr> SessionGetInputTypeInfo { get; }
    public delegate* unmanaged<IntPtr, nuint, IntPtr*, IntPtr> SessionGetOutputTypeInfo { get; }
    public delegate* unmanaged<IntPtr, nuint, IntPtr, byte**, IntPtr> SessionGetInputName { get; }
    public delegate* unmanaged<IntPtr, nuint, IntPtr, byte**, IntPtr> SessionGetOutputName { get; }
    public delegate* unmanaged<IntPtr*, IntPtr> CreateRunOptions { get; }
    public delegate* unmanaged<IntPtr, IntPtr> RunOptionsSetTerminate { get; }
    public delegate* unmanaged<IntPtr, void*, nuint, long*, nuint, int, IntPtr*, IntPtr> CreateTensorWithDataAsOrtValue { get; }
    public delegate* unmanaged<IntPtr, void**, IntPtr> GetTensorMutableData { get; }
    public delegate* unmanaged<IntPtr, IntPtr*, IntPtr> CastTypeInfoToTensorInfo { get; }
    public delegate* unmanaged<IntPtr, int*, IntPtr> GetOnnxTypeFromTypeInfo { get; }
    public delegate* unmanaged<IntPtr, int*, IntPtr> GetTensorElementType { get; }
    public delegate* unmanaged<IntPtr, nuint*, IntPtr> GetDimensionsCount { get; }
    public delegate* unmanaged<IntPtr, long*, nuint, IntPtr> GetDimensions { get; }
    public delegate* unmanaged<IntPtr, byte**, nuint, IntPtr> GetSymbolicDimensions { get; }
    public delegate* unmanaged<IntPtr, IntPtr*, IntPtr> GetTensorTypeAndShape { get; }
    public delegate* unmanaged<int, int, IntPtr*, IntPtr> CreateCpuMemoryInfo { get; }
    public delegate* unmanaged<IntPtr, void*, IntPtr> AllocatorFree { get; }
    public delegate* unmanaged<IntPtr*, IntPtr> GetAllocatorWithDefaultOptions { get; }
    public delegate* unmanaged<IntPtr, void> ReleaseEnv { get; }
    public delegate* unmanaged<IntPtr, void> ReleaseStatus { get; }
    public delegate* unmanaged<IntPtr, void> ReleaseMemoryInfo { get; }
    public delegate* unmanaged<IntPtr, void> ReleaseSession { get; }
    public delegate* unmanaged<IntPtr, void> ReleaseValue { get; }
    public delegate* unmanaged<IntPtr, void> ReleaseRunOptions { get; }
    public delegate* unmanaged<IntPtr, void> ReleaseTypeInfo { get; }
    public delegate* unmanaged<IntPtr, void> ReleaseTensorTypeAndShapeInfo { get; }
    public delegate* unmanaged<IntPtr, void> ReleaseSessionOptions { get; }
    public delegate* unmanaged<IntPtr, IntPtr*, IntPtr> SessionGetModelMetadata { get; }
    public delegate* unmanaged<IntPtr, IntPtr, byte*, byte**, IntPtr> ModelMetadataLookupCustomMetadataMap { get; }
    public delegate* unmanaged<IntPtr, void> ReleaseModelMetadata { get; }
    public delegate* unmanaged<IntPtr, IntPtr, byte***, long*, IntPtr> ModelMetadataGetCustomMetadataMapKeys { get; }
    public delegate* unmanaged<byte***, int*, IntPtr> GetAvailableProviders { get; }
    public delegate* unmanaged<byte**, int, IntPtr> ReleaseAvailableProviders { get; }
    public delegate* unmanaged<IntPtr, byte*, byte*, IntPtr> AddSessionConfigEntry { get; }

    public delegate* unmanaged<IntPtr, CudaProviderOptions*, IntPtr> SessionOptionsAppendExecutionProviderCuda { get; }
}

/// <summary>Our declaration of the C struct <c>OrtCUDAProviderOptions</c> (fields in C order).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct CudaProviderOptions
{
    public int DeviceId;
    public int CudnnConvAlgoSearch;
    public nuint GpuMemLimit;
    public int ArenaExtendStrategy;
    public int DoCopyInDefaultStream;
    public int HasUserComputeStream;
    public IntPtr UserComputeStream;
    public IntPtr DefaultMemoryArenaCfg;
}
