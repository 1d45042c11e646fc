using System.Buffers;
using SkiaSharp;

namespace HandPose.Imaging.Internal;

/// <summary>
/// Skia rasterises a shape's anti-aliased coverage into an 8-bit mask over the shape's bounds; the colour is then
/// blended into the image in the image's own format (Skia has no packed RGB or straight-alpha target).
/// </summary>
internal static class SkiaMask
{
    /// <summary>The typeface labels use: DejaVu Sans when installed, else Skia's default; null without any font.</summary>
    public static SKTypeface? Typeface { get; } = FindTypeface();

    /// <summary>Draws with <paramref name="draw"/> (white, anti-aliased paint, image coordinates) and blends <paramref name="color"/> by its coverage.</summary>
    public static unsafe void Blend(ImageBuffer image, float left, float top, float right, float bottom, ColorRgb color, Action<SKCanvas, SKPaint> draw)
    {
        int x0 = (int)Math.Clamp(MathF.Floor(left - 1), 0, image.Width), x1 = (int)Math.Clamp(MathF.Ceiling(right + 1), 0, image.Width);
        int y0 = (int)Math.Clamp(MathF.Floor(top - 1), 0, image.Height), y1 = (int)Math.Clamp(MathF.Ceiling(bottom + 1), 0, image.Height);
        int w = x1 - x0, h = y1 - y0;
        if (w <= 0 || h <= 0)
        {
            return;
        }

        int length = checked(w * h);
        byte[] mask = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            Array.Clear(mask, 0, length);
            fixed (byte* pixels = mask)
            {
                using SKSurface surface = SKSurface.Create(new SKImageInfo(w, h, SKColorType.Alpha8, SKAlphaType.Premul), (IntPtr)pixels, w)
                    ?? throw new InvalidOperationException("SkiaSharp could not create an 8-bit mask surface.");
                surface.Canvas.Translate(-x0, -y0);
                using var paint = new SKPaint { IsAntialias = true, Color = SKColors.White };
                draw(surface.Canvas, paint);
                surface.Flush();
            }

            for (int y = 0; y < h; y++)
            {
                Span<byte> row = image.GetRowSpan(y0 + y);
                ReadOnlySpan<byte> coverage = mask.AsSpan(y * w, w);
                for (int x = 0; x < w; x++)
                {
                    if (coverage[x] != 0)
                    {
                        ImageDrawing.Blend(row, x0 + x, image.Format, color, coverage[x] / 255f);
                    }
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(mask);
        }
    }

    private static SKTypeface? FindTypeface()
    {
        SKTypeface? sans = SKTypeface.FromFamilyName("DejaVu Sans");
        if (sans is { GlyphCount: > 0 })
        {
            return sans;
        }

        SKTypeface fallback = SKTypeface.Default;
        return fallback.GlyphCount > 0 ? fallback : null;
    }
}
