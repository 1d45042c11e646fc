using static TorchSharp.torch;

namespace HandPose.Torch.Models.Dsf;

/// <summary>
/// DSF's (AWR-style) dense joint representation (<c>model/backbone.py offset2joint_softmax</c>): every pixel of the
/// F × F output is a 3D point (u, v ∈ [−1, 1] at pixel centres, d = the normalized depth resized to F × F by nearest
/// neighbour); per joint, 3 unit-offset channels and one closeness heatmap h = (r − distance)/r.
/// </summary>
/// <remarks>Thread-safe (stateless).</remarks>
public static class DsfDecoding
{
    /// <summary>DSF's kernel radius r in normalized units (<c>feature_para = [0.8]</c>).</summary>
    public const double KernelRadius = 0.8;

    /// <summary>DSF's softmax sharpness.</summary>
    public const double SoftmaxScale = 30;

    /// <summary>
    /// Joints from the dense maps: over foreground pixels (depth &lt; 0.99; background pixels count with zero maps),
    /// weights = softmax(scale · h) and joint = Σ w · (point + unit · (r − r·h)), in the crop's normalized uvd.
    /// </summary>
    /// <param name="dense">N × 4J × F × F network output (3J offsets, then J heatmaps).</param>
    /// <param name="depth">N × 1 × H × W the network's input (normalized depth).</param>
    /// <param name="kernelRadius">r.</param>
    /// <param name="scale">Softmax sharpness.</param>
    /// <returns>N × J × 3 (u, v, d).</returns>
    /// <exception cref="InputShapeException">The shapes do not fit.</exception>
    public static Tensor OffsetToJoints(Tensor dense, Tensor depth, double kernelRadius = KernelRadius, double scale = SoftmaxScale)
    {
        ArgumentNullException.ThrowIfNull(dense);
        ArgumentNullException.ThrowIfNull(depth);
        if (dense.dim() != 4 || dense.shape[1] % 4 != 0 || dense.shape[2] != dense.shape[3] || depth.dim() != 4 || depth.shape[1] != 1 || depth.shape[0] != dense.shape[0])
        {
            throw new InputShapeException("dense", "N × 4J × F × F maps and N × 1 × H × W depth", $"[{string.Join(", ", dense.shape)}] and [{string.Join(", ", depth.shape)}]");
        }

        using var scope = NewDisposeScope();
        long n = dense.shape[0], j = dense.shape[1] / 4, f = dense.shape[2];
        Tensor d = depth.shape[2] == f && depth.shape[3] == f ? depth : nn.functional.interpolate(depth, [f, f], mode: InterpolationMode.Nearest);
        Tensor centres = (2.0 * (arange(f, dtype: dense.dtype, device: dense.device) + 0.5) / f) - 1.0;
        Tensor u = centres.reshape(1, 1, 1, f).expand(n, 1, f, f); // varies along columns
        Tensor v = centres.reshape(1, 1, f, 1).expand(n, 1, f, f); // varies along rows
        Tensor points = cat([u, v, d], 1).reshape(n, 1, 3, f * f);
        Tensor mask = d.lt(0.99).to_type(dense.dtype).reshape(n, 1, f * f);
        Tensor unit = dense[.., ..(int)(3 * j)].reshape(n, j, 3, f * f) * mask.unsqueeze(2);
        Tensor heat = dense[.., (int)(3 * j)..].reshape(n, j, f * f) * mask;
        Tensor weights = nn.functional.softmax(heat * scale, -1);
        Tensor distance = kernelRadius - (heat * kernelRadius);
        Tensor joints = ((unit * distance.unsqueeze(2)) + points) * weights.unsqueeze(2);
        return joints.sum(-1).MoveToOuterDisposeScope();
    }
}
