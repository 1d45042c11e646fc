using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HandPose.Torch.Models.Hand3d;

/// <summary>
/// The TensorFlow 1 conventions hand3d's <c>NetworkOps</c> is built on, expressed on TorchSharp: 'SAME' padding
/// (asymmetric for even inputs of strided convolutions), Xavier-uniform weights with biases 1e-4, leaky ReLU with
/// slope 0.01, and TF1's legacy bilinear <c>resize_images</c> and <c>crop_and_resize</c> sampling rules.
/// </summary>
internal static class TfLayers
{
    /// <summary>The negative slope of <c>NetworkOps.leaky_relu</c>.</summary>
    public const double LeakySlope = 0.01;

    /// <summary>A square convolution with the official initialisation; stride-1 layers pad symmetrically here, strided ones in <see cref="Same"/>.</summary>
    public static Conv2d Conv(long inChannels, long outChannels, long kernel, long stride = 1)
    {
        Conv2d conv = nn.Conv2d(inChannels, outChannels, kernel, stride: stride, padding: stride == 1 ? kernel / 2 : 0);
        nn.init.xavier_uniform_(conv.weight);
        nn.init.constant_(conv.bias, 1e-4);
        return conv;
    }

    /// <summary>A dense layer with the official initialisation (Xavier uniform, bias 1e-4).</summary>
    public static Linear Dense(long inFeatures, long outFeatures)
    {
        Linear fc = nn.Linear(inFeatures, outFeatures);
        nn.init.xavier_uniform_(fc.weight);
        nn.init.constant_(fc.bias, 1e-4);
        return fc;
    }

    /// <summary>
    /// Applies <paramref name="conv"/> with TF 'SAME' padding: for stride 1 and an odd kernel that is the symmetric
    /// padding the layer already has; for stride s TF pads max((⌈n/s⌉−1)·s + k − n, 0) in total, the smaller half first.
    /// </summary>
    public static Tensor Same(Conv2d conv, Tensor x)
    {
        long stride = conv.stride![0];
        if (stride == 1)
        {
            return Call(conv, x);
        }

        long k = conv.kernel_size![0];
        long h = x.shape[2], w = x.shape[3];
        long padH = Math.Max(((((h + stride) - 1) / stride) - 1) * stride + k - h, 0);
        long padW = Math.Max(((((w + stride) - 1) / stride) - 1) * stride + k - w, 0);
        using Tensor padded = nn.functional.pad(x, [padW / 2, padW - (padW / 2), padH / 2, padH - (padH / 2)]);
        return Call(conv, padded);
    }

    /// <summary>Runs a convolution through <see cref="Internal.ChannelPadding"/> (libtorch's channel-count defect).</summary>
    public static Tensor Call(Conv2d conv, Tensor x) => Internal.ChannelPadding.Conv(conv, x);

    /// <summary>A VGG-style encoder: each convolution with leaky ReLU, a 2×2 max-pool after those flagged.</summary>
    public static Tensor Encode((Conv2d Conv, bool PoolAfter)[] layers, Tensor x)
    {
        foreach ((Conv2d conv, bool pool) in layers)
        {
            x = ConvRelu(conv, x);
            if (pool)
            {
                x = nn.functional.max_pool2d(x, 2, 2);
            }
        }

        return x;
    }

    /// <summary><c>NetworkOps.conv_relu</c>: SAME convolution, then leaky ReLU (slope 0.01).</summary>
    public static Tensor ConvRelu(Conv2d conv, Tensor x) => nn.functional.leaky_relu(Same(conv, x), LeakySlope);

    /// <summary>
    /// TF1 <c>tf.image.resize_images</c> (bilinear, <c>align_corners=False</c>, no half-pixel centres): output pixel i
    /// samples the input at i·(in/out), interpolating towards the next pixel (clamped at the last one).
    /// </summary>
    /// <param name="x">N × C × H × W.</param>
    /// <param name="height">Output height.</param>
    /// <param name="width">Output width.</param>
    public static Tensor ResizeBilinear(Tensor x, long height, long width)
    {
        using var scope = NewDisposeScope();
        Tensor rows = Interpolate(x, 2, height);
        return Interpolate(rows, 3, width).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// TF1 <c>tf.image.crop_and_resize</c> for one box per image: sample (i, j) of the size × size crop reads the input
    /// at y = y1·(H−1) + i·(y2−y1)·(H−1)/(size−1) (x alike), bilinearly between the clamped neighbours; samples
    /// outside [0, H−1] × [0, W−1] are 0 (the extrapolation value).
    /// </summary>
    /// <param name="image">1 × C × H × W.</param>
    /// <param name="y1">Top, normalized (0 = first row, 1 = last row).</param>
    /// <param name="x1">Left, normalized.</param>
    /// <param name="y2">Bottom, normalized.</param>
    /// <param name="x2">Right, normalized.</param>
    /// <param name="size">Crop side in pixels (at least 2).</param>
    public static Tensor CropAndResize(Tensor image, float y1, float x1, float y2, float x2, int size)
    {
        using var scope = NewDisposeScope();
        Tensor rows = Sample(image, 2, y1, y2, size);
        return Sample(rows, 3, x1, x2, size).MoveToOuterDisposeScope();
    }

    private static Tensor Interpolate(Tensor x, int dim, long outSize)
    {
        long inSize = x.shape[dim];
        double scale = (double)inSize / outSize;
        var lo = new long[outSize];
        var hi = new long[outSize];
        var frac = new float[outSize];
        for (long i = 0; i < outSize; i++)
        {
            // TF computes the source position in float32.
            float src = (float)(i * (float)scale);
            long f = (long)MathF.Floor(src);
            lo[i] = f;
            hi[i] = Math.Min(f + 1, inSize - 1);
            frac[i] = src - f;
        }

        return Blend(x, dim, lo, hi, frac, null);
    }

    private static Tensor Sample(Tensor x, int dim, float start, float end, int outSize)
    {
        long inSize = x.shape[dim];
        var lo = new long[outSize];
        var hi = new long[outSize];
        var frac = new float[outSize];
        var valid = new float[outSize];
        // float32 arithmetic, as TF's kernel: whether a sample on the border is inside depends on it.
        float step = outSize > 1 ? (end - start) * (inSize - 1) / (outSize - 1) : 0;
        for (int i = 0; i < outSize; i++)
        {
            float src = outSize > 1 ? (start * (inSize - 1)) + (i * step) : 0.5f * (start + end) * (inSize - 1);
            if (src < 0 || src > inSize - 1)
            {
                continue; // extrapolation value 0: index 0 with zero weight
            }

            long f = (long)MathF.Floor(src);
            lo[i] = f;
            hi[i] = (long)MathF.Ceiling(src);
            frac[i] = src - f;
            valid[i] = 1f;
        }

        return Blend(x, dim, lo, hi, frac, valid);
    }

    private static Tensor Blend(Tensor x, int dim, long[] lo, long[] hi, float[] frac, float[]? valid)
    {
        long[] shape = [1, 1, 1, 1];
        shape[dim] = lo.Length;
        Tensor w = tensor(frac, device: x.device).reshape(shape);
        Tensor a = x.index_select(dim, tensor(lo, device: x.device));
        Tensor b = x.index_select(dim, tensor(hi, device: x.device));
        Tensor y = a + ((b - a) * w);
        return valid is null ? y : y * tensor(valid, device: x.device).reshape(shape);
    }
}
