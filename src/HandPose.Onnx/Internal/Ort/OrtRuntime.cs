using HandPose.Onnx.Runtime;
using Microsoft.ML.OnnxRuntime;

namespace HandPose.Onnx.Internal.Ort;

/// <summary>
/// The process-wide ONNX Runtime from the <c>Microsoft.ML.OnnxRuntime</c> package: its environment, version and
/// execution providers, and the translation of its errors into HandPose's exception family.
/// </summary>
internal static class OrtRuntime
{
    public const string EngineName = "ONNX Runtime";

    public const string PackageHint =
        "ONNX Runtime comes with the NuGet package Microsoft.ML.OnnxRuntime (a dependency of HandPose.Onnx): its native "
        + "library must be in the app folder or under runtimes/<rid>/native. Check that the app was built for a runtime "
        + "identifier the package supports (win-x64/arm64, linux-x64/arm64, osx-arm64) and that the publish step kept runtimes/.";

    private static readonly Lazy<OrtEnv> Env = new(CreateEnv, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The environment (created on first use).</summary>
    /// <exception cref="BackendUnavailableException">The native library could not be loaded.</exception>
    public static OrtEnv Instance
    {
        get
        {
            try
            {
                return Env.Value;
            }
            catch (BackendUnavailableException)
            {
                throw;
            }
            catch (Exception ex) when (ex is DllNotFoundException or TypeInitializationException or EntryPointNotFoundException or BadImageFormatException)
            {
                throw Unavailable(ex);
            }
        }
    }

    public static string Version => Instance.GetVersionString();

    public static IReadOnlyList<string> Providers => Instance.GetAvailableProviders();

    /// <summary>Describes the engine for <c>handpose doctor</c> without throwing.</summary>
    public static NativeEngineInfo Probe()
    {
        try
        {
            OrtEnv env = Instance;
            string? from = typeof(OrtEnv).Assembly.Location;
            return new NativeEngineInfo(EngineName, true, env.GetVersionString(), "NuGet package Microsoft.ML.OnnxRuntime" + (string.IsNullOrEmpty(from) ? string.Empty : $" ({Path.GetDirectoryName(from)})"),
                [], $"execution providers: {string.Join(", ", env.GetAvailableProviders())}");
        }
        catch (BackendUnavailableException ex)
        {
            return new NativeEngineInfo(EngineName, false, null, null, ex.PathsTried, ex.InstallHint);
        }
    }

    /// <summary>ORT's name of a provider, e.g. <c>CUDAExecutionProvider</c>.</summary>
    public static string ProviderName(OnnxExecutionProvider provider) => provider switch
    {
        OnnxExecutionProvider.Cuda => "CUDAExecutionProvider",
        OnnxExecutionProvider.DirectML => "DmlExecutionProvider",
        OnnxExecutionProvider.CoreML => "CoreMLExecutionProvider",
        _ => "CPUExecutionProvider",
    };

    /// <summary>The package that brings a provider.</summary>
    public static string ProviderPackage(OnnxExecutionProvider provider) => provider switch
    {
        OnnxExecutionProvider.Cuda => "Microsoft.ML.OnnxRuntime.Gpu (with an NVIDIA GPU, its driver, CUDA and cuDNN)",
        OnnxExecutionProvider.DirectML => "Microsoft.ML.OnnxRuntime.DirectML (Windows)",
        OnnxExecutionProvider.CoreML => "Microsoft.ML.OnnxRuntime (macOS/iOS builds include CoreML)",
        _ => "Microsoft.ML.OnnxRuntime",
    };

    private static readonly string[] CodeNames =
        ["Ok", "Fail", "InvalidArgument", "NoSuchFile", "NoModel", "EngineError", "RuntimeException", "InvalidProtobuf", "ModelLoaded", "NotImplemented", "InvalidGraph", "EpFail"];

    /// <summary>
    /// An ORT error as <see cref="EngineException"/>: the message unchanged, the code (ORT's <c>OrtErrorCode</c>) read
    /// from the <c>[ErrorCode:Name]</c> prefix the package puts on every message (0 when there is none).
    /// </summary>
    public static EngineException Wrap(OnnxRuntimeException ex)
    {
        const string Prefix = "[ErrorCode:";
        int code = 0;
        string message = ex.Message;
        if (message.StartsWith(Prefix, StringComparison.Ordinal) && message.IndexOf(']', StringComparison.Ordinal) is int end and > 0)
        {
            code = Math.Max(0, Array.IndexOf(CodeNames, message[Prefix.Length..end]));
        }

        return new EngineException(EngineName, code, message, ex);
    }

    private static OrtEnv CreateEnv()
    {
        var options = new EnvironmentCreationOptions { logId = "handpose", logLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR };
        return OrtEnv.CreateInstanceWithOptions(ref options);
    }

    private static BackendUnavailableException Unavailable(Exception ex)
    {
        Exception root = ex;
        while (root is TypeInitializationException { InnerException: { } inner })
        {
            root = inner;
        }

        return new BackendUnavailableException(EngineName, [$"onnxruntime (native library of Microsoft.ML.OnnxRuntime): {root.Message}"], PackageHint, ex);
    }
}
