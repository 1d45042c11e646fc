using HandPose.Imaging;
using HandPose.Structure.Codecs;
using HandPose.Torch.Models;
using HandPose.Torch.Serialization;
using TorchSharp;
using static TorchSharp.torch;

namespace HandPose.Torch.Estimators;

/// <summary>
/// A single-hand 2D keypoint estimator for any heatmap network of the zoo (CPM, NSRM, HandyPose, Simple Baselines) on
/// TorchSharp: crops the hand region (or the whole image) with <see cref="ImageTransforms.CropRotatedToTensor"/>,
/// runs the network's final heatmaps, decodes one peak per keypoint with <see cref="HeatmapDecoder"/> and maps it back
/// to image pixels (continuous coordinates, pixel centres at + 0.5).
/// </summary>
/// <remarks>
/// The region is enlarged to the input's aspect ratio; pixels outside the image follow
/// <see cref="TorchHeatmapEstimatorOptions.Border"/>. Not thread-safe (one network, evaluation mode, no grad): use one
/// estimator per thread.
/// </remarks>
public sealed class TorchHeatmapEstimator : IHandPoseEstimator
{
    private readonly TorchArchitecture _architecture;
    private readonly nn.Module _model;
    private readonly Device _device;
    private readonly TorchHeatmapEstimatorOptions _options;
    private bool _disposed;

    /// <summary>Builds the architecture, loads its weights by their official names and prepares it for inference.</summary>
    /// <param name="architecture">A heatmap architecture name (<c>cpm</c>, <c>nsrm-lpm-g1g6</c>, <c>handypose</c>, <c>simplebaseline-resnet50</c>, …).</param>
    /// <param name="weightsPath">A torch.save state dict or safetensors file with the official names.</param>
    /// <param name="options">Preprocessing and decoding; <see langword="null"/> for the architecture's official settings (<see cref="TorchHeatmapEstimatorOptions.For"/>).</param>
    /// <param name="device"><c>cpu</c> (default), <c>cuda</c> or <c>cuda:N</c>.</param>
    /// <exception cref="ArgumentException">Unknown architecture or device.</exception>
    /// <exception cref="ModelLoadException">The weights cannot be read or do not fit (names listed).</exception>
    /// <exception cref="BackendUnavailableException">libtorch does not load.</exception>
    public TorchHeatmapEstimator(string architecture, string weightsPath, TorchHeatmapEstimatorOptions? options = null, string device = "cpu")
    {
        ArgumentNullException.ThrowIfNull(architecture);
        ArgumentNullException.ThrowIfNull(weightsPath);
        _architecture = TorchArchitectures.Get(architecture);
        _options = options ?? TorchHeatmapEstimatorOptions.For(architecture);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(_options.InputWidth, nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(_options.InputHeight, nameof(options));
        _device = TorchRuntime.Device(device);
        _model = _architecture.Create();
        try
        {
            StateDicts.Load(_model, weightsPath);
            _model.to(_device).eval();
        }
        catch
        {
            _model.Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    public KeypointSchema Schema => _options.Schema;

    /// <summary>The network input size in pixels (width, height).</summary>
    public (int Width, int Height) InputSize => (_options.InputWidth, _options.InputHeight);

    /// <summary>Estimates one hand over the whole image (the image is the hand crop).</summary>
    /// <param name="image">The image (Gray8, Rgb24 or Rgba32).</param>
    /// <param name="cancellationToken">Checked before the network runs.</param>
    /// <returns>One hand with keypoints in image pixels and per-keypoint confidences (the heatmap peaks, clamped at 0).</returns>
    /// <exception cref="InputShapeException">The network's heatmaps do not match the schema.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public HandPoseResult Estimate(ImageView image, CancellationToken cancellationToken = default) =>
        Estimate(image, new HandRegion(image.Width / 2f, image.Height / 2f, image.Width, image.Height), cancellationToken);

    /// <inheritdoc cref="Estimate(ImageView, CancellationToken)"/>
    /// <param name="frame">The video frame.</param>
    /// <param name="timestamp">The frame's time (copied to the result; no state is kept between frames).</param>
    /// <param name="cancellationToken">Checked before the network runs.</param>
    public HandPoseResult Estimate(ImageView frame, TimeSpan timestamp, CancellationToken cancellationToken = default) =>
        Estimate(frame, cancellationToken) with { Timestamp = timestamp };

    /// <summary>Estimates one hand inside a (possibly rotated) box of the image.</summary>
    /// <param name="image">The image (Gray8, Rgb24 or Rgba32).</param>
    /// <param name="region">The hand box in image pixels; enlarged to the input's aspect ratio.</param>
    /// <param name="cancellationToken">Checked before the network runs.</param>
    /// <returns>One hand with keypoints in image pixels; <see cref="Hand.Region"/> is the region actually cropped.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The region has a non-positive or non-finite size.</exception>
    /// <exception cref="InputShapeException">The network's heatmaps do not match the schema.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public HandPoseResult Estimate(ImageView image, HandRegion region, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        HandRegion used = Fit(region);
        float[] input = Crop(image, used);
        cancellationToken.ThrowIfCancellationRequested();
        (float[] heatmaps, int h, int w) = Heatmaps(input);
        return new HandPoseResult([Decode(heatmaps, h, w, used)], image.Width, image.Height);
    }

    /// <summary>Releases the network.</summary>
    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            _model.Dispose();
        }
    }

    /// <summary>Checks the region and enlarges its shorter side to the input's aspect ratio.</summary>
    internal HandRegion Fit(HandRegion region)
    {
        if (!(region.Width > 0) || !(region.Height > 0) || !float.IsFinite(region.Width) || !float.IsFinite(region.Height)
            || !float.IsFinite(region.CenterX) || !float.IsFinite(region.CenterY) || !float.IsFinite(region.Rotation))
        {
            throw new ArgumentOutOfRangeException(nameof(region), region, "The hand region needs a finite centre, rotation and positive size.");
        }

        float aspect = (float)_options.InputWidth / _options.InputHeight;
        return region.Width / region.Height > aspect ? region with { Height = region.Width / aspect } : region with { Width = region.Height * aspect };
    }

    /// <summary>The network input of a region: 3 × H × W floats, normalised, RGB or BGR.</summary>
    internal float[] Crop(ImageView image, HandRegion r)
    {
        int w = _options.InputWidth, h = _options.InputHeight, plane = w * h;
        var data = new float[3 * plane];
        ImageTransforms.CropRotatedToTensor(image, Rect(r), w, h, _options.Border, data, TensorLayout.Nchw, _options.Normalization);
        if (_options.Bgr)
        {
            Span<float> red = data.AsSpan(0, plane), blue = data.AsSpan(2 * plane, plane);
            for (int i = 0; i < plane; i++)
            {
                (red[i], blue[i]) = (blue[i], red[i]); // the normalisation (RGB order) was applied before the swap
            }
        }

        return data;
    }

    /// <summary>The final heatmaps of one input (K × h × w floats).</summary>
    internal (float[] Data, int Height, int Width) Heatmaps(float[] input)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor x = tensor(input, [1, 3, _options.InputHeight, _options.InputWidth]).to(_device);
        Tensor y = _architecture.Forward(_model, [x]).to(CPU).to_type(ScalarType.Float32).contiguous();
        int k = Schema.KeypointCount;
        if (y.dim() != 4 || y.shape[0] != 1 || y.shape[1] != k)
        {
            throw new InputShapeException(_architecture.Name, $"heatmaps [1, {k}, h, w] for schema '{Schema.Name}'", $"[{string.Join(", ", y.shape)}]");
        }

        return (y.data<float>().ToArray(), (int)y.shape[2], (int)y.shape[3]);
    }

    /// <summary>Peaks in heatmap coordinates → input pixels (× input / heatmap size) → image pixels through the crop.</summary>
    internal Hand Decode(float[] heatmaps, int h, int w, HandRegion used)
    {
        int k = Schema.KeypointCount;
        var peaks = new Keypoint2D[k];
        HeatmapDecoder.Decode(heatmaps, k, h, w, HeatmapLayout.ChannelsFirst, _options.Refinement, peaks);
        AffineTransform toImage = Rect(used).ToSourceTransform(_options.InputWidth, _options.InputHeight);
        double sx = (double)_options.InputWidth / w, sy = (double)_options.InputHeight / h;
        var keypoints = new Keypoint3D[k];
        float score = 0;
        for (int i = 0; i < k; i++)
        {
            Keypoint2D p = peaks[i];
            if (p.IsMissing)
            {
                keypoints[i] = Keypoint3D.Missing;
                continue;
            }

            (double x, double y) = toImage.Apply(p.X * sx, p.Y * sy);
            keypoints[i] = new Keypoint3D((float)x, (float)y, 0f, p.Confidence);
            score += p.Confidence;
        }

        return new Hand(Schema, keypoints) { Region = used, Score = score / k };
    }

    private static RotatedRect Rect(HandRegion r) => new(r.CenterX, r.CenterY, r.Width, r.Height, r.Rotation);
}
