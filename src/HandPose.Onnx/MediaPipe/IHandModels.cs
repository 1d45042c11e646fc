using HandPose.Imaging;

namespace HandPose.Onnx.MediaPipe;

/// <summary>
/// The two networks of the pipeline, as plain float functions (ONNX Runtime in production, fakes in tests).
/// Implementations keep no per-call state of their own: everything a call reads or writes is in its
/// <see cref="HandBuffers"/>, so one instance serves concurrent calls that use different buffers.
/// </summary>
internal interface IHandModels : IDisposable
{
    /// <summary>Memory order the palm model's 192×192 RGB input expects.</summary>
    TensorLayout PalmLayout { get; }

    /// <summary>Memory order the landmark model's 224×224 RGB input expects.</summary>
    TensorLayout LandmarkLayout { get; }

    /// <summary>Runs the palm detector on <see cref="HandBuffers.PalmInput"/> (in <see cref="PalmLayout"/>) into
    /// <see cref="HandBuffers.Regressors"/> and <see cref="HandBuffers.Logits"/>.</summary>
    void DetectPalms(HandBuffers buffers);

    /// <summary>
    /// Runs the landmark model on <see cref="HandBuffers.LandmarkInput"/> (in <see cref="LandmarkLayout"/>), the crop of
    /// <paramref name="roi"/>, into <see cref="HandBuffers.Landmarks"/> (crop pixels), <see cref="HandBuffers.World"/>
    /// (metres), <see cref="HandBuffers.Presence"/> and <see cref="HandBuffers.Handedness"/> ("Left" in MediaPipe's
    /// mirrored convention).
    /// </summary>
    /// <remarks><paramref name="roi"/> is informational (fakes use it; a real network only sees the pixels).</remarks>
    void Landmarks(in NormalizedRect roi, HandBuffers buffers);
}
