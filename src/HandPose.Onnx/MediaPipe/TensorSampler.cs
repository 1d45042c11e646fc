using HandPose.Imaging;

namespace HandPose.Onnx.MediaPipe;

/// <summary>How samples outside the image are filled.</summary>
internal enum SampleBorder
{
    /// <summary>Black (MediaPipe's BORDER_ZERO, used for the palm letterbox).</summary>
    Zero,

    /// <summary>The nearest edge pixel (BORDER_REPLICATE, used for landmark crops).</summary>
    Replicate,
}

/// <summary>Tensor layout of a sampled image.</summary>
internal enum TensorLayout
{
    /// <summary>[1, H, W, 3], channels last (the TFLite models' own layout).</summary>
    Nhwc,

    /// <summary>[1, 3, H, W], channels first.</summary>
    Nchw,
}

/// <summary>
/// MediaPipe's ImageToTensor: samples a rotated rectangle of an image into a size×size RGB float tensor in [0, 1]
/// with bilinear interpolation. Pixel centres sit at integer + 0.5: output pixel (u, v) reads the image point
/// centre + R(rotation)·(((u + 0.5) / size − 0.5)·width, ((v + 0.5) / size − 0.5)·height).
/// Gray images are replicated to three channels; alpha is ignored.
/// </summary>
internal static class TensorSampler
{
    private const float Inv255 = 1f / 255f;

    public static void Sample(ImageView image, in HandRegion region, int size, SampleBorder border, TensorLayout layout, Span<float> tensor)
    {
        int plane = size * size;
        if (tensor.Length < plane * 3)
        {
            throw new ArgumentException($"The tensor needs {plane * 3} floats; got {tensor.Length}.", nameof(tensor));
        }
        int bpp = image.BytesPerPixel;
        bool gray = image.Format == PixelFormat.Gray8;
        int w = image.Width, h = image.Height;
        float cos = MathF.Cos(region.Rotation), sin = MathF.Sin(region.Rotation);
        ReadOnlySpan<byte> data = image.Data;
        int stride = image.Stride;
        Span<float> rgb = stackalloc float[3];
        for (int v = 0; v < size; v++)
        {
            float dy = (((v + 0.5f) / size) - 0.5f) * region.Height;
            for (int u = 0; u < size; u++)
            {
                float dx = (((u + 0.5f) / size) - 0.5f) * region.Width;
                float fx = region.CenterX + (cos * dx) - (sin * dy) - 0.5f;
                float fy = region.CenterY + (sin * dx) + (cos * dy) - 0.5f;
                float flx = MathF.Floor(fx), fly = MathF.Floor(fy);
                float ax = fx - flx, ay = fy - fly;
                int x0 = (int)Math.Clamp(flx, -2f, w + 1f);
                int y0 = (int)Math.Clamp(fly, -2f, h + 1f);
                rgb.Clear();
                Accumulate(data, stride, bpp, gray, w, h, x0, y0, (1f - ax) * (1f - ay), border, rgb);
                Accumulate(data, stride, bpp, gray, w, h, x0 + 1, y0, ax * (1f - ay), border, rgb);
                Accumulate(data, stride, bpp, gray, w, h, x0, y0 + 1, (1f - ax) * ay, border, rgb);
                Accumulate(data, stride, bpp, gray, w, h, x0 + 1, y0 + 1, ax * ay, border, rgb);
                int p = (v * size) + u;
                if (layout == TensorLayout.Nhwc)
                {
                    tensor[3 * p] = rgb[0] * Inv255;
                    tensor[(3 * p) + 1] = rgb[1] * Inv255;
                    tensor[(3 * p) + 2] = rgb[2] * Inv255;
                }
                else
                {
                    tensor[p] = rgb[0] * Inv255;
                    tensor[plane + p] = rgb[1] * Inv255;
                    tensor[(2 * plane) + p] = rgb[2] * Inv255;
                }
            }
        }
    }

    private static void Accumulate(ReadOnlySpan<byte> data, int stride, int bpp, bool gray, int w, int h, int x, int y, float weight, SampleBorder border, Span<float> rgb)
    {
        if ((uint)x >= (uint)w || (uint)y >= (uint)h)
        {
            if (border == SampleBorder.Zero)
            {
                return;
            }
            x = Math.Clamp(x, 0, w - 1);
            y = Math.Clamp(y, 0, h - 1);
        }
        int o = (y * stride) + (x * bpp);
        if (gray)
        {
            float g = data[o] * weight;
            rgb[0] += g;
            rgb[1] += g;
            rgb[2] += g;
            return;
        }
        rgb[0] += data[o] * weight;
        rgb[1] += data[o + 1] * weight;
        rgb[2] += data[o + 2] * weight;
    }
}
