using System.Runtime.InteropServices;
using SkiaSharp;

namespace HandPose.Imaging.Tests;

/// <summary>
/// SkiaSharp interop: what an estimator sees for every way a SkiaSharp app holds pixels, checked against the same
/// photo decoded by <see cref="ImageDecoder"/> (and against the straight RGBA of premultiplied pixels).
/// </summary>
[TestFixture]
public sealed class SkiaImagesTests
{
    private static readonly string Photo = Fixtures.Data("jpeg", "hagrid_four_07fdea90.jpg");

    [Test]
    public void Rgba8888_bitmap_is_read_in_place()
    {
        ImageBuffer decoded = ImageDecoder.Load(Photo);
        using SKBitmap bitmap = SkiaImages.ToSKBitmap(decoded.AsView());
        Assert.That((bitmap.ColorType, bitmap.AlphaType), Is.EqualTo((SKColorType.Rgba8888, SKAlphaType.Opaque)));
        using var estimator = new RecordingEstimator();

        HandPoseResult result = estimator.Estimate(bitmap);

        Assert.That(estimator.DataAddress, Is.EqualTo(bitmap.GetPixels()), "no copy for RGBA8888");
        Assert.That((result.ImageWidth, result.ImageHeight), Is.EqualTo((decoded.Width, decoded.Height)));
        AssertSameRgb(estimator.Seen!, decoded);
    }

    [Test]
    public void Bgra8888_premultiplied_bitmap_is_converted_to_straight_rgba()
    {
        ImageBuffer decoded = ImageDecoder.Load(Photo);
        using SKBitmap bgra = SKBitmap.Decode(Photo).Copy(SKColorType.Bgra8888);
        Assert.That(bgra.ColorType, Is.EqualTo(SKColorType.Bgra8888));
        using var estimator = new RecordingEstimator();

        estimator.Estimate(bgra);

        Assert.That(estimator.DataAddress, Is.Not.EqualTo(bgra.GetPixels()));
        Assert.That(estimator.Seen!.Format, Is.EqualTo(PixelFormat.Rgba32));
        AssertSameRgb(estimator.Seen, decoded);
    }

    [Test]
    public void Premultiplied_alpha_is_unpremultiplied()
    {
        var info = new SKImageInfo(3, 1, SKColorType.Rgba8888, SKAlphaType.Premul);
        using var bitmap = new SKBitmap(info);
        // Straight (200, 100, 50) at alpha 128 is stored premultiplied as round(v * 128 / 255).
        byte[] premul = [100, 50, 25, 128, 0, 0, 0, 0, 10, 20, 30, 255];
        premul.CopyTo(bitmap.GetPixelSpan());

        ImageBuffer straight = SkiaImages.ToImageBuffer(bitmap);

        Assert.That(straight.Format, Is.EqualTo(PixelFormat.Rgba32));
        byte[] p = straight.Memory.ToArray();
        Assert.That(p[3], Is.EqualTo(128));
        Assert.That(new[] { p[0], p[1], p[2] }, Is.EqualTo(new byte[] { 199, 100, 50 }).Within(1), "unpremultiplied");
        Assert.That(p[4..8], Is.EqualTo(new byte[] { 0, 0, 0, 0 }));
        Assert.That(p[8..12], Is.EqualTo(new byte[] { 10, 20, 30, 255 }), "opaque pixels unchanged");
    }

    [Test]
    public void Gray8_bitmap_stays_gray_and_in_place()
    {
        ImageBuffer gray = Fixtures.SmoothImage(37, 19, PixelFormat.Gray8);
        using SKBitmap bitmap = SkiaImages.ToSKBitmap(gray.AsView());
        using var estimator = new RecordingEstimator();

        estimator.Estimate(bitmap, TimeSpan.FromMilliseconds(40));

        Assert.That(estimator.DataAddress, Is.EqualTo(bitmap.GetPixels()));
        Assert.That(estimator.Timestamp, Is.EqualTo(TimeSpan.FromMilliseconds(40)), "the video overload passes the timestamp");
        Assert.That(estimator.Seen!.Format, Is.EqualTo(PixelFormat.Gray8));
        Assert.That(estimator.Seen.Memory.ToArray(), Is.EqualTo(gray.Memory.ToArray()));
    }

    [Test]
    public void Raster_and_encoded_SKImages_give_the_decoded_pixels()
    {
        ImageBuffer decoded = ImageDecoder.Load(Photo);
        using SKImage lazy = SKImage.FromEncodedData(Photo);
        using SKImage raster = lazy.ToRasterImage(ensurePixelData: true);
        using var estimator = new RecordingEstimator();

        estimator.Estimate(lazy);
        AssertSameRgb(estimator.Seen!, decoded);
        estimator.Estimate(raster);
        AssertSameRgb(estimator.Seen!, decoded);
        Assert.That(SkiaImages.ToImageBuffer(raster).Width, Is.EqualTo(decoded.Width));
    }

    [Test]
    public void Rgb24_round_trips_through_SKBitmap()
    {
        ImageBuffer rgb = Fixtures.RandomImage(13, 7, PixelFormat.Rgb24, seed: 5);
        using SKBitmap bitmap = SkiaImages.ToSKBitmap(rgb.AsView());

        ImageBuffer back = SkiaImages.ToImageBuffer(bitmap);

        AssertSameRgb(back, rgb);
        Assert.That(back.Memory.ToArray().Where((_, i) => i % 4 == 3), Is.All.EqualTo(255));
    }

    [Test]
    public void Empty_or_unallocated_inputs_are_argument_errors()
    {
        using var estimator = new RecordingEstimator();
        using var empty = new SKBitmap();
        Assert.That(() => estimator.Estimate(empty), Throws.ArgumentException.With.Message.Contains("no pixels"));
        Assert.That(() => SkiaImages.ToSKBitmap(default), Throws.ArgumentException.With.Message.Contains("empty"));
        Assert.That(estimator.Calls, Is.Zero);
    }

    [Test]
    public void Conversion_checks_the_pixel_limit_before_allocating()
    {
        long saved = HandPoseLimits.MaxImagePixels;
        try
        {
            HandPoseLimits.MaxImagePixels = 100;
            using var bitmap = new SKBitmap(new SKImageInfo(20, 20, SKColorType.Bgra8888, SKAlphaType.Premul));
            Assert.That(() => SkiaImages.ToImageBuffer(bitmap), Throws.InstanceOf<LimitExceededException>().With.Message.Contains("20 x 20"));
        }
        finally
        {
            HandPoseLimits.MaxImagePixels = saved;
        }
    }

    private static void AssertSameRgb(ImageBuffer actual, ImageBuffer expected)
    {
        Assert.That((actual.Width, actual.Height), Is.EqualTo((expected.Width, expected.Height)));
        int a = actual.Format.BytesPerPixel(), e = expected.Format.BytesPerPixel();
        for (int y = 0; y < actual.Height; y++)
        {
            ReadOnlySpan<byte> ra = actual.AsView().GetRow(y), re = expected.AsView().GetRow(y);
            for (int x = 0; x < actual.Width; x++)
            {
                for (int c = 0; c < 3; c++)
                {
                    if (ra[(x * a) + c] != re[(x * e) + c])
                    {
                        Assert.Fail($"pixel ({x}, {y}) channel {c}: {ra[(x * a) + c]} != {re[(x * e) + c]}");
                    }
                }
            }
        }
    }

    /// <summary>Records what an estimator is given (a copy of the view, and where its first byte lives).</summary>
    private sealed class RecordingEstimator : IHandPoseEstimator
    {
        public ImageBuffer? Seen { get; private set; }

        public IntPtr DataAddress { get; private set; }

        public TimeSpan? Timestamp { get; private set; }

        public int Calls { get; private set; }

        public KeypointSchema Schema => KeypointSchema.Hand21;

        public HandPoseResult Estimate(ImageView image, CancellationToken cancellationToken = default) => Record(image, null);

        public HandPoseResult Estimate(ImageView frame, TimeSpan timestamp, CancellationToken cancellationToken = default) => Record(frame, timestamp);

        public void Dispose()
        {
        }

        private unsafe HandPoseResult Record(ImageView image, TimeSpan? timestamp)
        {
            Calls++;
            Seen = ImageBuffer.CopyOf(image);
            fixed (byte* p = &MemoryMarshal.GetReference(image.Data))
            {
                DataAddress = (IntPtr)p;
            }

            Timestamp = timestamp;
            return new HandPoseResult([], image.Width, image.Height);
        }
    }
}
