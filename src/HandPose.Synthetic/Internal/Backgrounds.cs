namespace HandPose.Synthetic.Internal;

/// <summary>Procedural backgrounds (gradients, multi-octave value noise, stripes, random shapes) and photo crops, into float RGB in [0, 255].</summary>
internal static class Backgrounds
{
    public static void Draw(ref SampleRandom rng, SyntheticOptions options, int size, Span<float> rgb)
    {
        if (options.Backgrounds.Count > 0 && rng.Chance((float)options.PhotoBackgroundFraction))
        {
            Photo(ref rng, options.Backgrounds[rng.Next(options.Backgrounds.Count)], size, rgb);
            return;
        }

        int kind = rng.Next(4);
        Gradient(ref rng, size, rgb);
        switch (kind)
        {
            case 0:
                Noise(ref rng, size, rgb, octaves: 4, amplitude: rng.Range(40, 110));
                break;
            case 1:
                Noise(ref rng, size, rgb, octaves: 2, amplitude: 30);
                Shapes(ref rng, size, rgb, 3 + rng.Next(8));
                break;
            case 2:
                Stripes(ref rng, size, rgb);
                Noise(ref rng, size, rgb, octaves: 3, amplitude: 25);
                break;
            default:
                Shapes(ref rng, size, rgb, 5 + rng.Next(10));
                Noise(ref rng, size, rgb, octaves: 4, amplitude: 40);
                break;
        }
    }

    private static (float R, float G, float B) Color(ref SampleRandom rng)
    {
        // Mostly muted indoor colours, sometimes saturated ones.
        float grey = rng.Range(20, 235);
        float sat = rng.Chance(0.3f) ? rng.Range(0.4f, 0.9f) : rng.Range(0f, 0.35f);
        return (Mix(grey, rng.Range(0, 255), sat), Mix(grey, rng.Range(0, 255), sat), Mix(grey, rng.Range(0, 255), sat));
    }

    private static float Mix(float a, float b, float t) => a + ((b - a) * t);

    private static void Gradient(ref SampleRandom rng, int size, Span<float> rgb)
    {
        var c0 = Color(ref rng);
        var c1 = Color(ref rng);
        float angle = rng.Range(0, 2 * MathF.PI);
        (float s, float c) = MathF.SinCos(angle);
        float inv = 1f / size;
        for (int y = 0; y < size; y++)
        {
            for (int x = 0; x < size; x++)
            {
                float t = Math.Clamp(0.5f + ((((x * c) + (y * s)) * inv) - (0.5f * (c + s))), 0, 1);
                int i = 3 * ((y * size) + x);
                rgb[i] = Mix(c0.R, c1.R, t);
                rgb[i + 1] = Mix(c0.G, c1.G, t);
                rgb[i + 2] = Mix(c0.B, c1.B, t);
            }
        }
    }

    /// <summary>
    /// Adds value noise: random colour offsets on grids of 3, 6, 12, ... cells, smoothly interpolated. The octaves are
    /// summed on a grid a quarter of the image side and added with one bilinear upsampling pass (the finest octave
    /// still spans several pixels per cell, so nothing is lost and the cost is a sixteenth).
    /// </summary>
    private static void Noise(ref SampleRandom rng, int size, Span<float> rgb, int octaves, float amplitude)
    {
        int low = Math.Max(8, (size + 3) / 4);
        float[] field = new float[3 * low * low];
        float[] grid = new float[3 * 49 * 49];
        Span<float> rowValues = stackalloc float[3 * 49];
        int cells = 3;
        for (int o = 0; o < octaves && cells < 48; o++, cells *= 2, amplitude *= 0.55f)
        {
            int g = cells + 1;
            float chroma = rng.Range(0f, 0.8f);
            for (int i = 0; i < g * g; i++)
            {
                float l = rng.Range(-amplitude, amplitude);
                grid[3 * i] = l + (chroma * rng.Range(-amplitude, amplitude));
                grid[(3 * i) + 1] = l + (chroma * rng.Range(-amplitude, amplitude));
                grid[(3 * i) + 2] = l + (chroma * rng.Range(-amplitude, amplitude));
            }

            float scale = (float)cells / low;
            for (int y = 0; y < low; y++)
            {
                float gy = (y + 0.5f) * scale;
                int y0 = Math.Min((int)gy, cells - 1);
                float ty = Smooth(gy - y0);
                for (int i = 0; i < 3 * g; i++)
                {
                    rowValues[i] = Mix(grid[(3 * y0 * g) + i], grid[(3 * (y0 + 1) * g) + i], ty);
                }

                for (int x = 0; x < low; x++)
                {
                    float gx = (x + 0.5f) * scale;
                    int x0 = Math.Min((int)gx, cells - 1);
                    float tx = Smooth(gx - x0);
                    int j = 3 * ((y * low) + x);
                    for (int ch = 0; ch < 3; ch++)
                    {
                        field[j + ch] += Mix(rowValues[(3 * x0) + ch], rowValues[(3 * (x0 + 1)) + ch], tx);
                    }
                }
            }
        }

        // Bilinear upsampling (half-pixel centres, edges clamped) added to the image.
        float step = (float)low / size;
        for (int y = 0; y < size; y++)
        {
            float sy = Math.Clamp(((y + 0.5f) * step) - 0.5f, 0, low - 1);
            int y0 = Math.Min((int)sy, low - 2);
            float ty = sy - y0;
            int r0 = 3 * y0 * low, r1 = r0 + (3 * low), row = 3 * y * size;
            for (int x = 0; x < size; x++)
            {
                float sx = Math.Clamp(((x + 0.5f) * step) - 0.5f, 0, low - 1);
                int x0 = Math.Min((int)sx, low - 2);
                float tx = sx - x0;
                int a = 3 * x0;
                for (int ch = 0; ch < 3; ch++)
                {
                    float top = Mix(field[r0 + a + ch], field[r0 + a + 3 + ch], tx);
                    float bottom = Mix(field[r1 + a + ch], field[r1 + a + 3 + ch], tx);
                    rgb[row + (3 * x) + ch] += Mix(top, bottom, ty);
                }
            }
        }
    }

    private static float Smooth(float t) => t * t * (3 - (2 * t));

    private static void Stripes(ref SampleRandom rng, int size, Span<float> rgb)
    {
        var c = Color(ref rng);
        float angle = rng.Range(0, MathF.PI), period = rng.Range(6, size / 3f), strength = rng.Range(0.3f, 0.9f);
        (float s, float co) = MathF.SinCos(angle);
        float w = 1 / period;
        for (int y = 0; y < size; y++)
        {
            for (int x = 0; x < size; x++)
            {
                float phase = ((x * co) + (y * s)) * w;
                float tri = MathF.Abs(phase - MathF.Floor(phase) - 0.5f) * 2; // triangle wave, smoothed below
                float t = strength * Smooth(tri);
                int i = 3 * ((y * size) + x);
                rgb[i] = Mix(rgb[i], c.R, t);
                rgb[i + 1] = Mix(rgb[i + 1], c.G, t);
                rgb[i + 2] = Mix(rgb[i + 2], c.B, t);
            }
        }
    }

    /// <summary>Random discs, boxes and thick lines (anti-aliased by a one-pixel coverage ramp).</summary>
    private static void Shapes(ref SampleRandom rng, int size, Span<float> rgb, int count)
    {
        for (int n = 0; n < count; n++)
        {
            var c = Color(ref rng);
            float cx = rng.Range(-0.1f, 1.1f) * size, cy = rng.Range(-0.1f, 1.1f) * size;
            float rx = rng.Range(0.03f, 0.22f) * size, ry = rng.Range(0.03f, 0.22f) * size;
            int kind = rng.Next(3);
            (float sn, float cs) = MathF.SinCos(rng.Range(0, MathF.PI));
            if (kind == 2)
            {
                ry = rng.Range(1.5f, 0.03f * size);
            }

            float reach = MathF.Max(rx, ry) + 1;
            int x0 = Math.Max(0, (int)(cx - reach)), x1 = Math.Min(size - 1, (int)(cx + reach));
            int y0 = Math.Max(0, (int)(cy - reach)), y1 = Math.Min(size - 1, (int)(cy + reach));
            for (int y = y0; y <= y1; y++)
            {
                for (int x = x0; x <= x1; x++)
                {
                    float dx = x - cx, dy = y - cy;
                    float lx = (dx * cs) + (dy * sn), ly = (-dx * sn) + (dy * cs);
                    float inside = kind == 0
                        ? (1 - MathF.Sqrt(((lx * lx) / (rx * rx)) + ((ly * ly) / (ry * ry)))) * MathF.Min(rx, ry)
                        : MathF.Min(rx - MathF.Abs(lx), ry - MathF.Abs(ly));
                    float a = Math.Clamp(inside + 0.5f, 0, 1);
                    if (a > 0)
                    {
                        int i = 3 * ((y * size) + x);
                        rgb[i] = Mix(rgb[i], c.R, a);
                        rgb[i + 1] = Mix(rgb[i + 1], c.G, a);
                        rgb[i + 2] = Mix(rgb[i + 2], c.B, a);
                    }
                }
            }
        }
    }

    /// <summary>A random axis-aligned crop (at least a quarter of the shorter side) of a photo, bilinearly scaled, maybe mirrored.</summary>
    private static void Photo(ref SampleRandom rng, SyntheticBackground photo, int size, Span<float> rgb)
    {
        int shortSide = Math.Min(photo.Width, photo.Height);
        float side = rng.Range(0.25f, 1f) * shortSide;
        float ox = rng.Range(0, photo.Width - side), oy = rng.Range(0, photo.Height - side);
        bool flip = rng.Chance(0.5f);
        float step = side / size;
        ReadOnlySpan<byte> src = photo.Rgb;
        for (int y = 0; y < size; y++)
        {
            float sy = Math.Clamp(oy + ((y + 0.5f) * step) - 0.5f, 0, photo.Height - 1);
            int y0 = (int)sy, y1 = Math.Min(y0 + 1, photo.Height - 1);
            float ty = sy - y0;
            for (int x = 0; x < size; x++)
            {
                float sx = Math.Clamp(ox + (((flip ? size - 1 - x : x) + 0.5f) * step) - 0.5f, 0, photo.Width - 1);
                int x0 = (int)sx, x1 = Math.Min(x0 + 1, photo.Width - 1);
                float tx = sx - x0;
                for (int ch = 0; ch < 3; ch++)
                {
                    float top = Mix(src[(3 * ((y0 * photo.Width) + x0)) + ch], src[(3 * ((y0 * photo.Width) + x1)) + ch], tx);
                    float bottom = Mix(src[(3 * ((y1 * photo.Width) + x0)) + ch], src[(3 * ((y1 * photo.Width) + x1)) + ch], tx);
                    rgb[(3 * ((y * size) + x)) + ch] = Mix(top, bottom, ty);
                }
            }
        }
    }
}
