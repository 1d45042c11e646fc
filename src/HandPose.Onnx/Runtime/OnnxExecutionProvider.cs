namespace HandPose.Onnx.Runtime;

/// <summary>Which hardware runs the model.</summary>
public enum OnnxExecutionProvider
{
    /// <summary>ONNX Runtime's CPU kernels (MLAS).</summary>
    Cpu = 0,

    /// <summary>NVIDIA CUDA. Needs an ONNX Runtime build with the CUDA provider and a GPU; otherwise session creation fails with a clear error.</summary>
    Cuda = 1,
}
