namespace HandPose.Onnx.MediaPipe;

/// <summary>Which MediaPipe Hands model pair an estimator runs.</summary>
public enum MediaPipeHandModel
{
    /// <summary>palm_detection_full + hand_landmark_full (MediaPipe's <c>modelComplexity: 1</c>): the accurate default.</summary>
    Full = 0,

    /// <summary>palm_detection_lite + hand_landmark_lite (<c>modelComplexity: 0</c>): about half the compute.</summary>
    Lite = 1,
}
