using HandPose.Torch.Internal.Native;

namespace HandPose.Torch;

/// <summary>How a loss reduces its elementwise values.</summary>
public enum Reduction
{
    /// <summary>No reduction: one value per element.</summary>
    None = 0,

    /// <summary>The mean.</summary>
    Mean = 1,

    /// <summary>The sum.</summary>
    Sum = 2,
}

/// <summary>Interpolation modes of <see cref="Functional.Interpolate"/>.</summary>
public enum InterpolationMode
{
    /// <summary>Nearest neighbour (PyTorch's legacy <c>nearest</c>).</summary>
    Nearest,

    /// <summary>Bilinear.</summary>
    Bilinear,
}

/// <summary>Stateless neural-network operations on NCHW tensors (PyTorch's <c>torch.nn.functional</c>); all differentiable.</summary>
public static class Functional
{
    /// <summary>2-D convolution.</summary>
    /// <param name="input">N×C×H×W.</param>
    /// <param name="weight">O×(C/groups)×kH×kW.</param>
    /// <param name="bias">O values, or null.</param>
    /// <param name="stride">(sH, sW).</param>
    /// <param name="padding">(pH, pW).</param>
    /// <param name="dilation">(dH, dW).</param>
    /// <param name="groups">Channel groups.</param>
    /// <returns>N×O×H'×W'.</returns>
    public static Tensor Conv2d(Tensor input, Tensor weight, Tensor? bias = null, (long H, long W)? stride = null, (long H, long W)? padding = null, (long H, long W)? dilation = null, long groups = 1) =>
        Aten.Conv2d.Call(input, weight, bias, Pair(stride, 1), Pair(padding, 0), Pair(dilation, 1), groups);

    /// <summary>2-D transposed convolution.</summary>
    /// <param name="input">N×C×H×W.</param>
    /// <param name="weight">C×(O/groups)×kH×kW.</param>
    /// <param name="bias">O values, or null.</param>
    /// <param name="stride">(sH, sW).</param>
    /// <param name="padding">(pH, pW).</param>
    /// <param name="outputPadding">(opH, opW).</param>
    /// <param name="groups">Channel groups.</param>
    /// <param name="dilation">(dH, dW).</param>
    /// <returns>N×O×H'×W'.</returns>
    public static Tensor ConvTranspose2d(Tensor input, Tensor weight, Tensor? bias = null, (long H, long W)? stride = null, (long H, long W)? padding = null, (long H, long W)? outputPadding = null, long groups = 1, (long H, long W)? dilation = null) =>
        Aten.ConvTranspose2d.Call(input, weight, bias, Pair(stride, 1), Pair(padding, 0), Pair(outputPadding, 0), groups, Pair(dilation, 1));

    /// <summary>Batch normalization; in training mode the running statistics are updated in place.</summary>
    /// <param name="input">N×C×….</param>
    /// <param name="runningMean">C running means (or null).</param>
    /// <param name="runningVar">C running variances (or null).</param>
    /// <param name="weight">C scales (or null).</param>
    /// <param name="bias">C shifts (or null).</param>
    /// <param name="training">Use batch statistics and update the running ones.</param>
    /// <param name="momentum">The running-average momentum.</param>
    /// <param name="eps">Added to the variance.</param>
    /// <returns>The normalized input.</returns>
    public static Tensor BatchNorm(Tensor input, Tensor? runningMean, Tensor? runningVar, Tensor? weight = null, Tensor? bias = null, bool training = false, double momentum = 0.1, double eps = 1e-5) =>
        Aten.BatchNorm.Call(input, weight, bias, runningMean, runningVar, training, momentum, eps, true);

    /// <summary>x·Wᵀ + b.</summary>
    /// <param name="input">…×in.</param>
    /// <param name="weight">out×in.</param>
    /// <param name="bias">out values, or null.</param>
    /// <returns>…×out.</returns>
    public static Tensor Linear(Tensor input, Tensor weight, Tensor? bias = null) => Aten.Linear.Call(input, weight, bias);

    /// <summary>max(x, 0).</summary>
    /// <param name="input">The input.</param>
    /// <returns>The result.</returns>
    public static Tensor Relu(Tensor input) => Aten.Relu.Call(input);

    /// <summary>x for x ≥ 0, slope·x otherwise.</summary>
    /// <param name="input">The input.</param>
    /// <param name="negativeSlope">The slope for negative inputs.</param>
    /// <returns>The result.</returns>
    public static Tensor LeakyRelu(Tensor input, double negativeSlope = 0.01) => Aten.LeakyRelu.Call(input, negativeSlope);

    /// <summary>Leaky ReLU with learned slopes (one, or one per channel).</summary>
    /// <param name="input">The input.</param>
    /// <param name="weight">The slopes.</param>
    /// <returns>The result.</returns>
    public static Tensor Prelu(Tensor input, Tensor weight) => Aten.Prelu.Call(input, weight);

    /// <summary>1 / (1 + e⁻ˣ).</summary>
    /// <param name="input">The input.</param>
    /// <returns>The result.</returns>
    public static Tensor Sigmoid(Tensor input) => Aten.Sigmoid.Call(input);

    /// <summary>Hyperbolic tangent.</summary>
    /// <param name="input">The input.</param>
    /// <returns>The result.</returns>
    public static Tensor Tanh(Tensor input) => Aten.Tanh.Call(input);

    /// <summary>Softmax along a dimension.</summary>
    /// <param name="input">The input.</param>
    /// <param name="dim">The dimension.</param>
    /// <returns>The result.</returns>
    public static Tensor Softmax(Tensor input, long dim) => Aten.Softmax.Call(input, dim);

    /// <summary>Log-softmax along a dimension.</summary>
    /// <param name="input">The input.</param>
    /// <param name="dim">The dimension.</param>
    /// <returns>The result.</returns>
    public static Tensor LogSoftmax(Tensor input, long dim) => Aten.LogSoftmax.Call(input, dim);

    /// <summary>2-D max pooling.</summary>
    /// <param name="input">N×C×H×W.</param>
    /// <param name="kernel">(kH, kW).</param>
    /// <param name="stride">(sH, sW); the kernel when null.</param>
    /// <param name="padding">(pH, pW).</param>
    /// <param name="dilation">(dH, dW).</param>
    /// <param name="ceilMode">Round output sizes up.</param>
    /// <returns>The result.</returns>
    public static Tensor MaxPool2d(Tensor input, (long H, long W) kernel, (long H, long W)? stride = null, (long H, long W)? padding = null, (long H, long W)? dilation = null, bool ceilMode = false) =>
        Aten.MaxPool2d.Call(input, Pair(kernel, 0), Pair(stride ?? kernel, 0), Pair(padding, 0), Pair(dilation, 1), ceilMode);

    /// <summary>2-D average pooling.</summary>
    /// <param name="input">N×C×H×W.</param>
    /// <param name="kernel">(kH, kW).</param>
    /// <param name="stride">(sH, sW); the kernel when null.</param>
    /// <param name="padding">(pH, pW).</param>
    /// <param name="ceilMode">Round output sizes up.</param>
    /// <param name="countIncludePad">Count padded zeros in the average.</param>
    /// <returns>The result.</returns>
    public static Tensor AvgPool2d(Tensor input, (long H, long W) kernel, (long H, long W)? stride = null, (long H, long W)? padding = null, bool ceilMode = false, bool countIncludePad = true) =>
        Aten.AvgPool2d.Call(input, Pair(kernel, 0), Pair(stride ?? kernel, 0), Pair(padding, 0), ceilMode, countIncludePad);

    /// <summary>Adaptive average pooling to a fixed output size.</summary>
    /// <param name="input">N×C×H×W.</param>
    /// <param name="outputSize">(H', W').</param>
    /// <returns>N×C×H'×W'.</returns>
    public static Tensor AdaptiveAvgPool2d(Tensor input, (long H, long W) outputSize) => Aten.AdaptiveAvgPool2d.Call(input, Pair(outputSize, 0));

    /// <summary>Adaptive max pooling to a fixed output size.</summary>
    /// <param name="input">N×C×H×W.</param>
    /// <param name="outputSize">(H', W').</param>
    /// <returns>N×C×H'×W'.</returns>
    public static Tensor AdaptiveMaxPool2d(Tensor input, (long H, long W) outputSize)
    {
        Tensor?[] results = Aten.AdaptiveMaxPool2d.CallMany([input, Pair(outputSize, 0)]);
        results[1]?.Dispose();
        return results[0]!;
    }

    /// <summary>Resizes N×C×H×W maps to an output size or by scale factors (exactly one of them).</summary>
    /// <param name="input">N×C×H×W.</param>
    /// <param name="size">(H', W'), or null.</param>
    /// <param name="scaleFactor">(fH, fW), or null.</param>
    /// <param name="mode">Nearest or bilinear.</param>
    /// <param name="alignCorners">Bilinear only: align the corner pixels' centres.</param>
    /// <returns>The resized maps.</returns>
    public static Tensor Interpolate(Tensor input, (long H, long W)? size = null, (double H, double W)? scaleFactor = null, InterpolationMode mode = InterpolationMode.Nearest, bool alignCorners = false)
    {
        if (size.HasValue == scaleFactor.HasValue)
        {
            throw new ArgumentException("Give exactly one of size and scaleFactor.", nameof(size));
        }

        if (mode == InterpolationMode.Nearest && alignCorners)
        {
            throw new ArgumentException("alignCorners applies to bilinear interpolation only.", nameof(alignCorners));
        }

        long[]? outSize = size is { } s ? [s.H, s.W] : null;
        double[]? scales = scaleFactor is { } f ? [f.H, f.W] : null;
        return mode == InterpolationMode.Bilinear
            ? Aten.UpsampleBilinear.Call(input, outSize, alignCorners, scales)
            : Aten.UpsampleNearest.Call(input, outSize, scales);
    }

    /// <summary>Zeroes elements with probability p and scales the rest by 1/(1−p) when training.</summary>
    /// <param name="input">The input.</param>
    /// <param name="p">The drop probability.</param>
    /// <param name="training">Whether to drop (identity otherwise).</param>
    /// <returns>The result.</returns>
    public static Tensor Dropout(Tensor input, double p, bool training) => Aten.Dropout.Call(input, p, training);

    /// <summary>Mean squared error.</summary>
    /// <param name="input">The prediction.</param>
    /// <param name="target">The target (same shape).</param>
    /// <param name="reduction">The reduction.</param>
    /// <returns>The loss.</returns>
    public static Tensor MseLoss(Tensor input, Tensor target, Reduction reduction = Reduction.Mean) => Aten.MseLoss.Call(input, target, (long)reduction);

    /// <summary>Mean absolute error.</summary>
    /// <param name="input">The prediction.</param>
    /// <param name="target">The target (same shape).</param>
    /// <param name="reduction">The reduction.</param>
    /// <returns>The loss.</returns>
    public static Tensor L1Loss(Tensor input, Tensor target, Reduction reduction = Reduction.Mean) => Aten.L1Loss.Call(input, target, (long)reduction);

    /// <summary>Huber-style smooth L1 loss.</summary>
    /// <param name="input">The prediction.</param>
    /// <param name="target">The target (same shape).</param>
    /// <param name="reduction">The reduction.</param>
    /// <param name="beta">The quadratic-to-linear threshold.</param>
    /// <returns>The loss.</returns>
    public static Tensor SmoothL1Loss(Tensor input, Tensor target, Reduction reduction = Reduction.Mean, double beta = 1.0) => Aten.SmoothL1Loss.Call(input, target, (long)reduction, beta);

    /// <summary>Binary cross-entropy of probabilities.</summary>
    /// <param name="input">Probabilities in [0, 1].</param>
    /// <param name="target">Targets in [0, 1].</param>
    /// <param name="weight">Elementwise weights, or null.</param>
    /// <param name="reduction">The reduction.</param>
    /// <returns>The loss.</returns>
    public static Tensor BinaryCrossEntropy(Tensor input, Tensor target, Tensor? weight = null, Reduction reduction = Reduction.Mean) => Aten.BceLoss.Call(input, target, weight, (long)reduction);

    /// <summary>Binary cross-entropy of logits (numerically stable sigmoid + BCE).</summary>
    /// <param name="input">Logits.</param>
    /// <param name="target">Targets in [0, 1].</param>
    /// <param name="weight">Elementwise weights, or null.</param>
    /// <param name="posWeight">Weights of positive examples per class, or null.</param>
    /// <param name="reduction">The reduction.</param>
    /// <returns>The loss.</returns>
    public static Tensor BinaryCrossEntropyWithLogits(Tensor input, Tensor target, Tensor? weight = null, Tensor? posWeight = null, Reduction reduction = Reduction.Mean) =>
        Aten.BceWithLogits.Call(input, target, weight, posWeight, (long)reduction);

    /// <summary>Cross-entropy of class logits against class indices (int64) or class probabilities.</summary>
    /// <param name="input">N×C logits.</param>
    /// <param name="target">N class indices, or N×C probabilities.</param>
    /// <param name="weight">C class weights, or null.</param>
    /// <param name="reduction">The reduction.</param>
    /// <param name="ignoreIndex">A class index that contributes nothing.</param>
    /// <param name="labelSmoothing">Label smoothing in [0, 1].</param>
    /// <returns>The loss.</returns>
    public static Tensor CrossEntropy(Tensor input, Tensor target, Tensor? weight = null, Reduction reduction = Reduction.Mean, long ignoreIndex = -100, double labelSmoothing = 0) =>
        Aten.CrossEntropy.Call(input, target, weight, (long)reduction, ignoreIndex, labelSmoothing);

    private static long[] Pair((long H, long W)? value, long fallback) => value is { } v ? [v.H, v.W] : [fallback, fallback];
}
