namespace HandPose.Imaging;

/// <summary>What a geometric transform samples outside the source image.</summary>
public enum BorderMode
{
    /// <summary>Pixels outside the image are zero (black, alpha 0): OpenCV <c>BORDER_CONSTANT</c> with 0, MediaPipe's letterbox.</summary>
    Zero = 0,

    /// <summary>Pixels outside the image repeat the nearest edge pixel: OpenCV <c>BORDER_REPLICATE</c>, MediaPipe's hand crop.</summary>
    Replicate = 1,
}
