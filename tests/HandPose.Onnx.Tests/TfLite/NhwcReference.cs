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
}
