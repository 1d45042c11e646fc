namespace HandPose.Onnx.Runtime;

/// <summary>How much ONNX Runtime rewrites the graph when a session is created.</summary>
public enum OnnxGraphOptimization
{
    /// <summary>No rewriting: the graph runs as written.</summary>
    None = 0,

    /// <summary>Semantics-preserving rewrites such as constant folding and redundant-node removal.</summary>
    Basic = 1,

    /// <summary>Basic plus node fusions for the chosen execution provider.</summary>
    Extended = 2,

    /// <summary>Everything, including layout changes (ONNX Runtime's default).</summary>
    All = 99,
}

/// <summary>Which hardware runs the model.</summary>
public enum OnnxExecutionProvider
{
    /// <summary>ONNX Runtime's CPU kernels (MLAS).</summary>
    Cpu = 0,

    /// <summary>NVIDIA CUDA. Needs an ONNX Runtime build with the CUDA provider and a GPU; otherwise session creation fails with a clear error.</summary>
    Cuda = 1,
}
