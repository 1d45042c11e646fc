namespace HandPose.Onnx.MediaPipe;

/// <summary>
/// The working memory of one pipeline call: the two networks' input tensors and raw outputs. One call owns an
/// instance at a time (rented from <see cref="HandPipeline"/>'s pool), so concurrent calls never share buffers.
/// </summary>
internal sealed class HandBuffers
{
    /// <summary>The palm model's 192×192×3 input (the letterboxed image).</summary>
    public float[] PalmInput { get; } = new float[PalmDecoder.InputSize * PalmDecoder.InputSize * 3];

    /// <summary>The palm model's [2016 × 18] box and keypoint regressors.</summary>
    public float[] Regressors { get; } = new float[PalmDecoder.AnchorCount * PalmDecoder.ValuesPerAnchor];

    /// <summary>The palm model's [2016] score logits.</summary>
    public float[] Logits { get; } = new float[PalmDecoder.AnchorCount];

    /// <summary>The landmark model's 224×224×3 input (the rotated hand crop).</summary>
    public float[] LandmarkInput { get; } = new float[HandGeometry.LandmarkInputSize * HandGeometry.LandmarkInputSize * 3];

    /// <summary>The landmark model's 21 × (x, y, z) crop-pixel landmarks.</summary>
    public float[] Landmarks { get; } = new float[HandGeometry.LandmarkCount * 3];

    /// <summary>The landmark model's 21 × (x, y, z) world landmarks (metres, in the crop's rotation).</summary>
    public float[] World { get; } = new float[HandGeometry.LandmarkCount * 3];

    /// <summary>The landmark model's presence score (one element, so a runtime can write it in place).</summary>
    public float[] Presence { get; } = new float[1];

    /// <summary>The landmark model's handedness score (one element).</summary>
    public float[] Handedness { get; } = new float[1];

    /// <summary>
    /// What the models keep per buffer set (the ONNX Runtime tensors bound to these arrays), created by the models on
    /// first use and reused with the buffers.
    /// </summary>
    public object? ModelState { get; set; }
}
