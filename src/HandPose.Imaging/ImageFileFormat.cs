namespace HandPose.Imaging;

/// <summary>The file formats <see cref="ImageEncoder"/> writes.</summary>
public enum ImageFileFormat
{
    /// <summary>PNG: lossless; gray, RGB or RGBA by the image's format.</summary>
    Png = 0,

    /// <summary>JPEG (quality 1–100); alpha is dropped, gray stays gray.</summary>
    Jpeg = 1,

    /// <summary>WebP (lossy at quality 1–99, lossless at quality 100).</summary>
    Webp = 2,
}
