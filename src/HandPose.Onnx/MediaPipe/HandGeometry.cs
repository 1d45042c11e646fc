namespace HandPose.Onnx.MediaPipe;

/// <summary>
/// MediaPipe's hand ROI math: palm detection → landmark ROI (DetectionsToRects + RectTransformation), landmarks →
/// next-frame ROI (HandLandmarksToRect + RectTransformation), and the projection of crop landmarks back to the image.
/// </summary>
internal static class HandGeometry
{
    /// <summary>Landmark model input side in pixels.</summary>
    public const int LandmarkInputSize = 224;

    /// <summary>Landmarks per hand.</summary>
    public const int LandmarkCount = 21;

    private const float TargetAngle = MathF.PI / 2f;
    private const float PalmShiftY = -0.5f;
    private const float PalmScale = 2.6f;
    private const float TrackingShiftY = -0.1f;
    private const float TrackingScale = 2.0f;
    private const float DepthNormalization = 0.4f;

    // The landmarks HandLandmarksToRect uses: wrist, thumb CMC/MCP/IP, and the MCP and PIP of the four fingers.
    private static readonly int[] TrackingLandmarks = [0, 1, 2, 3, 5, 6, 9, 10, 13, 14, 17, 18];

    /// <summary>a − 2π·floor((a + π) / 2π): an angle in [−π, π).</summary>
    public static float NormalizeRadians(float angle) =>
        (float)(angle - (2 * Math.PI * Math.Floor((angle + Math.PI) / (2 * Math.PI))));

    /// <summary>The rotation that makes the direction (x0, y0) → (x1, y1) (pixels) point up.</summary>
    public static float RotationTowards(float x0, float y0, float x1, float y1) =>
        NormalizeRadians(TargetAngle - MathF.Atan2(-(y1 - y0), x1 - x0));

    /// <summary>The landmark ROI for a palm detection (normalized image coordinates, letterbox already removed).</summary>
    public static NormalizedRect PalmToRoi(PalmDetection palm, int imageWidth, int imageHeight)
    {
        float rotation = RotationTowards(palm.KeypointX(0) * imageWidth, palm.KeypointY(0) * imageHeight,
                                         palm.KeypointX(2) * imageWidth, palm.KeypointY(2) * imageHeight);
        Box b = palm.Box;
        var rect = new NormalizedRect((b.XMin + b.XMax) / 2f, (b.YMin + b.YMax) / 2f, b.Width, b.Height, rotation);
        return Transform(rect, imageWidth, imageHeight, PalmShiftY, PalmScale);
    }

    /// <summary>
    /// RectTransformation: shift by <paramref name="shiftY"/> of the height along the rectangle's own vertical
    /// axis, make it square on its longer side in pixels, then scale both sides by <paramref name="scale"/>.
    /// </summary>
    public static NormalizedRect Transform(in NormalizedRect rect, int imageWidth, int imageHeight, float shiftY, float scale)
    {
        float r = rect.Rotation;
        float xCenter = rect.XCenter;
        float yCenter = rect.YCenter;
        if (r == 0f)
        {
            yCenter += rect.Height * shiftY;
        }
        else
        {
            xCenter += -imageHeight * rect.Height * shiftY * MathF.Sin(r) / imageWidth;
            yCenter += imageHeight * rect.Height * shiftY * MathF.Cos(r) / imageHeight;
        }
        float longSide = MathF.Max(rect.Width * imageWidth, rect.Height * imageHeight);
        return new NormalizedRect(xCenter, yCenter, longSide / imageWidth * scale, longSide / imageHeight * scale, NormalizeRadians(r));
    }

    /// <summary>
    /// The next frame's landmark ROI from this frame's landmarks (normalized image coordinates, x/y interleaved in
    /// steps of <paramref name="stride"/>): rotation from the wrist to the middle of the index/ring/middle MCPs,
    /// bounding box of 12 palm landmarks in that rotated frame, then shift −0.1, square, ×2.
    /// </summary>
    public static NormalizedRect LandmarksToRoi(ReadOnlySpan<float> landmarks, int stride, int imageWidth, int imageHeight)
    {
        if (landmarks.Length < ((LandmarkCount - 1) * stride) + 2)
        {
            throw new ArgumentException($"Expected {LandmarkCount} landmarks with stride {stride}.", nameof(landmarks));
        }
        Span<float> xs = stackalloc float[LandmarkCount];
        Span<float> ys = stackalloc float[LandmarkCount];
        for (int i = 0; i < LandmarkCount; i++)
        {
            xs[i] = landmarks[i * stride];
            ys[i] = landmarks[(i * stride) + 1];
        }

        float x1 = (((xs[5] + xs[13]) / 2f) + xs[9]) / 2f;
        float y1 = (((ys[5] + ys[13]) / 2f) + ys[9]) / 2f;
        float rotation = RotationTowards(xs[0] * imageWidth, ys[0] * imageHeight, x1 * imageWidth, y1 * imageHeight);
        float reverse = NormalizeRadians(-rotation);

        float minX = float.MaxValue, minY = float.MaxValue, maxX = float.MinValue, maxY = float.MinValue;
        foreach (int i in TrackingLandmarks)
        {
            minX = MathF.Min(minX, xs[i]);
            maxX = MathF.Max(maxX, xs[i]);
            minY = MathF.Min(minY, ys[i]);
            maxY = MathF.Max(maxY, ys[i]);
        }
        float alignedX = (maxX + minX) / 2f;
        float alignedY = (maxY + minY) / 2f;

        float cos = MathF.Cos(reverse), sin = MathF.Sin(reverse);
        minX = minY = float.MaxValue;
        maxX = maxY = float.MinValue;
        foreach (int i in TrackingLandmarks)
        {
            float ox = (xs[i] - alignedX) * imageWidth;
            float oy = (ys[i] - alignedY) * imageHeight;
            float px = (ox * cos) - (oy * sin);
            float py = (ox * sin) + (oy * cos);
            minX = MathF.Min(minX, px);
            maxX = MathF.Max(maxX, px);
            minY = MathF.Min(minY, py);
            maxY = MathF.Max(maxY, py);
        }
        float pcx = (maxX + minX) / 2f;
        float pcy = (maxY + minY) / 2f;
        float rc = MathF.Cos(rotation), rs = MathF.Sin(rotation);
        float cx = (pcx * rc) - (pcy * rs) + (imageWidth * alignedX);
        float cy = (pcx * rs) + (pcy * rc) + (imageHeight * alignedY);
        var rect = new NormalizedRect(cx / imageWidth, cy / imageHeight, (maxX - minX) / imageWidth, (maxY - minY) / imageHeight, rotation);
        return Transform(rect, imageWidth, imageHeight, TrackingShiftY, TrackingScale);
    }

    /// <summary>
    /// Projects the landmark model's output (21 × (x, y, z) in pixels of the 224 crop) into normalized image
    /// coordinates (x / W, y / H, z scaled like MediaPipe: z / 224 / 0.4 × ROI width), written to <paramref name="normalized"/>.
    /// </summary>
    public static void ProjectLandmarks(ReadOnlySpan<float> crop, in NormalizedRect roi, Span<float> normalized)
    {
        float cos = MathF.Cos(roi.Rotation), sin = MathF.Sin(roi.Rotation);
        for (int i = 0; i < LandmarkCount; i++)
        {
            float x = (crop[3 * i] / LandmarkInputSize) - 0.5f;
            float y = (crop[(3 * i) + 1] / LandmarkInputSize) - 0.5f;
            float z = crop[(3 * i) + 2] / LandmarkInputSize / DepthNormalization;
            normalized[3 * i] = (((cos * x) - (sin * y)) * roi.Width) + roi.XCenter;
            normalized[(3 * i) + 1] = (((sin * x) + (cos * y)) * roi.Height) + roi.YCenter;
            normalized[(3 * i) + 2] = z * roi.Width;
        }
    }

    /// <summary>Rotates the model's world landmarks (metres) by the ROI rotation around the z axis.</summary>
    public static void RotateWorld(ReadOnlySpan<float> world, float rotation, Span<float> rotated)
    {
        float cos = MathF.Cos(rotation), sin = MathF.Sin(rotation);
        for (int i = 0; i < LandmarkCount; i++)
        {
            float x = world[3 * i], y = world[(3 * i) + 1];
            rotated[3 * i] = (cos * x) - (sin * y);
            rotated[(3 * i) + 1] = (sin * x) + (cos * y);
            rotated[(3 * i) + 2] = world[(3 * i) + 2];
        }
    }

    /// <summary>
    /// The subject's hand from the handedness output (the score of MediaPipe's label "Left", which assumes a
    /// mirrored, selfie-view image): for a normal photo "Left" is the subject's right hand.
    /// </summary>
    public static (Handedness Hand, float Score) Handedness(float leftScore, bool mirrored)
    {
        bool mediaPipeLeft = leftScore >= 0.5f;
        float score = mediaPipeLeft ? leftScore : 1f - leftScore;
        bool subjectLeft = mirrored ? mediaPipeLeft : !mediaPipeLeft;
        return (subjectLeft ? HandPose.Handedness.Left : HandPose.Handedness.Right, score);
    }
}
