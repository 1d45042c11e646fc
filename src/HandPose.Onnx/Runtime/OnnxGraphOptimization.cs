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
