using SkiaSharp;

namespace HandPose.Imaging.Codecs;

/// <summary>The names HandPose reports for container formats ("JPEG", "PNG", "WebP", ...).</summary>
internal static class FormatName
{
    /// <summary>The name of a format Skia recognised.</summary>
    public static string Of(SKEncodedImageFormat format) => format switch
    {
        SKEncodedImageFormat.Jpeg => "JPEG",
        SKEncodedImageFormat.Png => "PNG",
        SKEncodedImageFormat.Webp => "WebP",
        SKEncodedImageFormat.Gif => "GIF",
        SKEncodedImageFormat.Bmp => "BMP",
        SKEncodedImageFormat.Ico => "ICO",
        SKEncodedImageFormat.Wbmp => "WBMP",
        _ => format.ToString().ToUpperInvariant(),
    };

    /// <summary>The format from the file's first bytes, or null; used to name the format in errors when Skia rejects the header.</summary>
    public static string? FromSignature(ReadOnlySpan<byte> d) =>
        d.StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G']) ? "PNG"
        : d.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8]) ? "JPEG"
        : d.Length >= 12 && d.StartsWith("RIFF"u8) && d[8..12].SequenceEqual("WEBP"u8) ? "WebP"
        : d.StartsWith("GIF8"u8) ? "GIF"
        : d.StartsWith("BM"u8) ? "BMP"
        : null;
}
