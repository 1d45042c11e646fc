using HandPose.Imaging;

namespace HandPose.Onnx.MediaPipe;

/// <summary>The two networks of the pipeline, as plain float functions (ONNX Runtime in production, fakes in tests).</summary>
internal interface IHandModels : IDisposable
{
    /// <summary>Memory order the palm model's 192×192 RGB input expects.</summary>
    TensorLayout PalmLayout { get; }

    /// <summary>Memory order the landmark model's 224×224 RGB input expects.</summary>
    TensorLayout LandmarkLayout { get; }

    /// <summary>The palm model's 192×192×3 input tensor (in <see cref="PalmLayout"/>); the pipeline writes the letterboxed frame here.</summary>
    Span<float> PalmInput { get; }

    /// <summary>The landmark model's 224×224×3 input tensor (in <see cref="LandmarkLayout"/>); the pipeline writes the hand crop here.</summary>
    Span<float> LandmarkInput { get; }

    /// <summary>Runs the palm detector on <see cref="PalmInput"/>: [2016 × 18] regressors and [2016] score logits.</summary>
    void DetectPalms(Span<float> regressors, Span<float> logits);

    /// <summary>
    /// Runs the landmark model on <see cref="LandmarkInput"/>, the crop of <paramref name="roi"/>: 63 crop-pixel landmarks, 63 world values
    /// (metres), and the presence and handedness ("Left" in MediaPipe's mirrored convention) scores.
    /// </summary>
    /// <remarks><paramref name="roi"/> is informational (fakes use it; a real network only sees the pixels).</remarks>
    void Landmarks(in NormalizedRect roi, Span<float> landmarks, Span<float> world, out float presence, out float handedness);
}
