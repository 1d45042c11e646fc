namespace HandPose.Synthetic.Internal;

/// <summary>Photometric augmentation of the float RGB image into bytes: optional blur, colour jitter, sensor noise.</summary>
internal static class Augmentation
{
    public static void Apply(ref SampleRandom rng, int size, Span<float> rgb, Span<float> scratch, Span<byte> output)
    {
        if (rng.Chance(0.3f))
        {
            Blur(size, rgb, scratch);
        }

        float contrast = rng.Range(0.8f, 1.2f), brightness = rng.Range(-20, 20);
        float gr = rng.Range(0.88f, 1.12f), gg = rng.Range(0.92f, 1.08f), gb = rng.Range(0.88f, 1.12f);
        float sigma = rng.Chance(0.6f) ? rng.Range(0.5f, 6f) : 0;

        // Noise from a triangular distribution (two 16-bit uniforms), scaled to unit variance: cheap and smooth enough.
        float noiseScale = sigma * MathF.Sqrt(6) / 65535f;
        var noise = new SampleRandom((long)rng.NextUInt64(), 0, 7);
        for (int i = 0; i < rgb.Length; i += 3)
        {
            ulong bits = sigma > 0 ? noise.NextUInt64() : 0, more = sigma > 0 ? noise.NextUInt64() : 0;
            Store(output, i, rgb[i], gr, contrast, brightness, Noise(bits, noiseScale));
            Store(output, i + 1, rgb[i + 1], gg, contrast, brightness, Noise(bits >> 32, noiseScale));
            Store(output, i + 2, rgb[i + 2], gb, contrast, brightness, Noise(more, noiseScale));
        }
    }

    private static float Noise(ulong bits, float scale) => ((int)(bits & 0xFFFF) + (int)((bits >> 16) & 0xFFFF) - 65535) * scale;

    private static void Store(Span<byte> output, int i, float value, float gain, float contrast, float brightness, float noise)
    {
        float v = ((((value * gain) - 128) * contrast) + 128 + brightness) + noise;
        output[i] = (byte)Math.Clamp((int)(v + 0.5f), 0, 255);
    }

    /// <summary>A separable [1 2 1]/4 blur with edge replication.</summary>
    private static void Blur(int size, Span<float> rgb, Span<float> tmp)
    {
        int row = 3 * size;
        for (int y = 0; y < size; y++)
        {
            for (int x = 0; x < size; x++)
            {
                int l = Math.Max(x - 1, 0), r = Math.Min(x + 1, size - 1);
                for (int ch = 0; ch < 3; ch++)
                {
                    tmp[(y * row) + (3 * x) + ch] = (rgb[(y * row) + (3 * l) + ch] + (2 * rgb[(y * row) + (3 * x) + ch]) + rgb[(y * row) + (3 * r) + ch]) * 0.25f;
                }
            }
        }

        for (int y = 0; y < size; y++)
        {
            int up = Math.Max(y - 1, 0) * row, down = Math.Min(y + 1, size - 1) * row, mid = y * row;
            for (int j = 0; j < row; j++)
            {
                rgb[mid + j] = (tmp[up + j] + (2 * tmp[mid + j]) + tmp[down + j]) * 0.25f;
            }
        }
    }
}
