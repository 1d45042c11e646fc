using HandPose.Imaging;

namespace HandPose.Benchmarks;

/// <summary>Deterministic synthetic photos for the imaging benchmarks (smooth gradients plus noise, like real images).</summary>
internal static class ImagingBenchmarkData
{
    public static ImageBuffer Photo(int width, int height, PixelFormat format)
    {
        var image = new ImageBuffer(width, height, format);
        var rng = new Random(1234);
        int bpp = format.BytesPerPixel();
        for (int y = 0; y < height; y++)
        {
            Span<byte> row = image.GetRowSpan(y);
            for (int x = 0; x < width * bpp; x++)
            {
                row[x] = (byte)((((x / bpp) * 255 / width) + (y * 255 / height) + rng.Next(32)) & 0xFF);
            }
        }

        return image;
    }
}
