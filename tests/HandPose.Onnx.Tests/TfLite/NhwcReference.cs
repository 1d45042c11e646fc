namespace HandPose.Onnx.Tests.TfLite;

/// <summary>Direct loops over NHWC data with TensorFlow's definitions, the independent reference for converter tests.</summary>
internal static class NhwcReference
{
    public static float[] Random(int count, int seed, float scale = 1f)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => (rng.NextSingle() * 2 - 1) * scale).ToArray();
    }

    /// <summary>TensorFlow SAME: output ceil(in/stride), padding total split with the extra pixel after.</summary>
    private static (int Out, int Before) Same(int input, int k, int s)
    {
        int output = (input + s - 1) / s;
        int total = Math.Max((output - 1) * s + k - input, 0);
        return (output, total / 2);
    }

    /// <summary>CONV_2D (filter OHWI) or DEPTHWISE_CONV_2D (filter [1,KH,KW,C·m]) with SAME padding and optional RELU6.</summary>
    public static float[] Conv(float[] x, int h, int w, int c, float[] filter, int kh, int kw, int outC, float[] bias,
        int stride, bool depthwise, bool relu6, out int oh, out int ow)
    {
        (oh, int top) = Same(h, kh, stride);
        (ow, int left) = Same(w, kw, stride);
        int m = depthwise ? outC / c : 0;
        var y = new float[oh * ow * outC];
        for (int i = 0; i < oh; i++)
        {
            for (int j = 0; j < ow; j++)
            {
                for (int o = 0; o < outC; o++)
                {
                    double sum = bias[o];
                    for (int a = 0; a < kh; a++)
                    {
                        for (int b = 0; b < kw; b++)
                        {
                            int yy = i * stride - top + a, xx = j * stride - left + b;
                            if (yy < 0 || yy >= h || xx < 0 || xx >= w)
                            {
                                continue;
                            }

                            if (depthwise)
                            {
                                sum += x[(yy * w + xx) * c + o / m] * filter[(a * kw + b) * outC + o];
                            }
                            else
                            {
                                for (int ci = 0; ci < c; ci++)
                                {
                                    sum += x[(yy * w + xx) * c + ci] * filter[((o * kh + a) * kw + b) * c + ci];
                                }
                            }
                        }
                    }

                    float v = (float)sum;
                    y[(i * ow + j) * outC + o] = relu6 ? Math.Clamp(v, 0f, 6f) : v;
                }
            }
        }

        return y;
    }

    public static float[] PadChannels(float[] x, int pixels, int c, int extra)
    {
        var y = new float[pixels * (c + extra)];
        for (int p = 0; p < pixels; p++)
        {
            Array.Copy(x, p * c, y, p * (c + extra), c);
        }

        return y;
    }

    public static float[] Round16(float[] values) => values.Select(v => (float)(Half)v).ToArray();

    /// <summary>MAX_POOL_2D with SAME padding: padded cells never win.</summary>
    public static float[] MaxPool(float[] x, int h, int w, int c, int k, int stride, out int oh, out int ow)
    {
        (oh, int top) = Same(h, k, stride);
        (ow, int left) = Same(w, k, stride);
        var y = new float[oh * ow * c];
        for (int i = 0; i < oh; i++)
        {
            for (int j = 0; j < ow; j++)
            {
                for (int ch = 0; ch < c; ch++)
                {
                    float best = float.NegativeInfinity;
                    for (int a = 0; a < k; a++)
                    {
                        for (int b = 0; b < k; b++)
                        {
                            int yy = i * stride - top + a, xx = j * stride - left + b;
                            if (yy >= 0 && yy < h && xx >= 0 && xx < w)
                            {
                                best = Math.Max(best, x[(yy * w + xx) * c + ch]);
                            }
                        }
                    }

                    y[(i * ow + j) * c + ch] = best;
                }
            }
        }

        return y;
    }

    /// <summary>RESIZE_BILINEAR with half_pixel_centers: source = (dst + 0.5)·in/out − 0.5, neighbours clamped to the image.</summary>
    public static float[] ResizeHalfPixel(float[] x, int h, int w, int c, int oh, int ow)
    {
        var y = new float[oh * ow * c];
        for (int i = 0; i < oh; i++)
        {
            double sy = (i + 0.5) * h / oh - 0.5;
            int y0 = (int)Math.Floor(sy);
            double fy = sy - y0;
            int ya = Math.Clamp(y0, 0, h - 1), yb = Math.Clamp(y0 + 1, 0, h - 1);
            for (int j = 0; j < ow; j++)
            {
                double sx = (j + 0.5) * w / ow - 0.5;
                int x0 = (int)Math.Floor(sx);
                double fx = sx - x0;
                int xa = Math.Clamp(x0, 0, w - 1), xb = Math.Clamp(x0 + 1, 0, w - 1);
                for (int ch = 0; ch < c; ch++)
                {
                    double top = x[(ya * w + xa) * c + ch] * (1 - fx) + x[(ya * w + xb) * c + ch] * fx;
                    double bottom = x[(yb * w + xa) * c + ch] * (1 - fx) + x[(yb * w + xb) * c + ch] * fx;
                    y[(i * ow + j) * c + ch] = (float)(top * (1 - fy) + bottom * fy);
                }
            }
        }

        return y;
    }
}
