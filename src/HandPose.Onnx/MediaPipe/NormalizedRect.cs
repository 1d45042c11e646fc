namespace HandPose.Onnx.MediaPipe;

/// <summary>
/// A rotated rectangle in normalized image coordinates (x / width, y / height), MediaPipe's <c>NormalizedRect</c>:
/// centre, size before rotation, rotation in radians (clockwise in image coordinates, y down).
/// </summary>
internal readonly record struct NormalizedRect(float XCenter, float YCenter, float Width, float Height, float Rotation)
{
    /// <summary>The same rectangle in image pixels.</summary>
    public HandRegion ToPixels(int imageWidth, int imageHeight) =>
        new(XCenter * imageWidth, YCenter * imageHeight, Width * imageWidth, Height * imageHeight, Rotation);

    /// <summary>Intersection over union of the axis-aligned boxes (rotation ignored), as MediaPipe's association does.</summary>
    public static float AxisAlignedIou(in NormalizedRect a, in NormalizedRect b) =>
        Box.Iou(Box.FromCenter(a.XCenter, a.YCenter, a.Width, a.Height), Box.FromCenter(b.XCenter, b.YCenter, b.Width, b.Height));
}

/// <summary>An axis-aligned box by its corners.</summary>
internal readonly record struct Box(float XMin, float YMin, float XMax, float YMax)
{
    public float Width => XMax - XMin;

    public float Height => YMax - YMin;

    public float Area => Math.Max(0f, Width) * Math.Max(0f, Height);

    public static Box FromCenter(float xCenter, float yCenter, float width, float height) =>
        new(xCenter - (width / 2f), yCenter - (height / 2f), xCenter + (width / 2f), yCenter + (height / 2f));

    /// <summary>Intersection over union; 0 when the boxes do not overlap or the union is empty.</summary>
    public static float Iou(in Box a, in Box b)
    {
        float ix = Math.Min(a.XMax, b.XMax) - Math.Max(a.XMin, b.XMin);
        float iy = Math.Min(a.YMax, b.YMax) - Math.Max(a.YMin, b.YMin);
        if (ix <= 0f || iy <= 0f)
        {
            return 0f;
        }
        float intersection = ix * iy;
        float union = a.Area + b.Area - intersection;
        return union > 0f ? intersection / union : 0f;
    }
}
