namespace HandPose.Onnx.MediaPipe;

/// <summary>One palm: box, 7 keypoints (x, y interleaved) and score, in normalized coordinates.</summary>
/// <remarks>Keypoint 0 is the wrist centre, 2 the middle-finger MCP (the two that set the hand's rotation).</remarks>
internal sealed class PalmDetection
{
    public const int KeypointCount = 7;

    public PalmDetection(Box box, float[] keypoints, float score)
    {
        if (keypoints.Length != KeypointCount * 2)
        {
            throw new ArgumentException($"A palm has {KeypointCount} keypoints (x, y); got {keypoints.Length} values.", nameof(keypoints));
        }
        Box = box;
        Keypoints = keypoints;
        Score = score;
    }

    public Box Box { get; }

    /// <summary>x0, y0, x1, y1, … (normalized).</summary>
    public float[] Keypoints { get; }

    public float Score { get; }

    public float KeypointX(int k) => Keypoints[2 * k];

    public float KeypointY(int k) => Keypoints[(2 * k) + 1];
}
