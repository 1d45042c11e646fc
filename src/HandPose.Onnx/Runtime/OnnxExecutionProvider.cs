namespace HandPose.Onnx.Runtime;

/// <summary>
/// Which hardware runs the model. Every provider other than <see cref="Cpu"/> needs an ONNX Runtime package built with
/// it (the app references that package instead of <c>Microsoft.ML.OnnxRuntime</c>); when the loaded build lacks it,
/// session creation fails with a <see cref="BackendUnavailableException"/> naming the package. There is no silent
/// fallback to the CPU.
/// </summary>
public enum OnnxExecutionProvider
{
    /// <summary>ONNX Runtime's CPU kernels (MLAS); in every package.</summary>
    Cpu = 0,

    /// <summary>NVIDIA CUDA (<c>Microsoft.ML.OnnxRuntime.Gpu</c>, with a GPU, its driver, CUDA and cuDNN).</summary>
    Cuda = 1,

    /// <summary>DirectML on Windows (<c>Microsoft.ML.OnnxRuntime.DirectML</c>).</summary>
    DirectML = 2,

    /// <summary>Apple CoreML (the macOS/iOS builds of <c>Microsoft.ML.OnnxRuntime</c>).</summary>
    CoreML = 3,
}
