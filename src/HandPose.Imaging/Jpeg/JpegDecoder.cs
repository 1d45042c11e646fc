namespace HandPose.Imaging.Jpeg;

/// <summary>
/// TEMPORARY placeholder so the imaging branch compiles: the real decoder comes from branch <c>jpeg</c>
/// (same contract) and replaces this file at merge.
/// </summary>
internal static class JpegDecoder
{
    public static bool IsJpeg(ReadOnlySpan<byte> data) => data.Length >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF;

    public static ImageInfo Identify(ReadOnlySpan<byte> data) => throw Unavailable();

    public static ImageBuffer Decode(ReadOnlySpan<byte> data, ImageDecoderOptions options) => throw Unavailable();

    private static ImageFormatException Unavailable() => new("JPEG", "decoder not available in this build");
}
