using HandPose.Imaging;
using HandPose.Torch.Models.Hand3d;
using HandPose.Torch.Serialization;
using TorchSharp;
using static TorchSharp.torch;

namespace HandPose.Torch.Estimators;

/// <summary>
/// Zimmermann &amp; Brox's full 3D pipeline (hand3d <c>ColorHandPose3DNetwork.inference</c> + <c>run.py</c>) on a whole
/// RGB image: HandSegNet segments the hand, the blob holding the most confident hand pixel is cropped and resized to
/// 256 × 256, PoseNet finds 21 keypoints (argmax of its last stage upsampled to 256 × 256, mapped back to the image),
/// and PosePrior + ViewpointNet lift its score maps to root-relative 3D in the camera frame, known up to scale.
/// </summary>
/// <remarks>
/// <para>Results use the library's <see cref="KeypointSchema.Hand21"/> order. hand3d's keypoint 0 is the palm centre
/// ½(wrist + middle MCP); the wrist is recovered exactly as 2·palm − middle MCP, in 2D and 3D.
/// <see cref="Hand.Keypoints"/>: image pixels (Z = 0, <see cref="Hand.HasDepth"/> false), confidence = the score map's
/// peak clamped to [0, 1]. <see cref="Hand.WorldKeypoints"/>: the same kind of output as MediaPipe's world keypoints —
/// camera-frame axes (x right, y down, z away from the camera) in metres, origin at the palm centre, scaled by
/// <see cref="Hand3dEstimatorOptions.BoneLengthMetres"/>. <see cref="Hand.Score"/> = the most confident hand pixel's
/// probability; <see cref="Hand.Region"/> = the square that was cropped. At most one hand; none when no pixel is more
/// likely hand than background (the official code would then crop a fixed fallback box).</para>
/// <para>Thread-safety: one caller at a time (no tracking state; video mode only checks that timestamps increase).</para>
/// </remarks>
public sealed class Hand3dEstimator : IHandPoseEstimator
{
    private const int OfficialHeight = 240;
    private const int OfficialWidth = 320;
    private static readonly int[] MiddleMcp = [12, 9]; // hand3d index, Hand21 index

    private readonly Hand3dEstimatorOptions _options;
    private readonly Device _device;
    private readonly HandSegNet _segNet;
    private readonly Hand3dPoseNet _poseNet;
    private readonly Hand3dPosePrior _posePrior;
    private TimeSpan? _lastTimestamp;
    private bool _disposed;

    /// <summary>Loads the three networks.</summary>
    /// <param name="options">Weights and settings.</param>
    /// <exception cref="ArgumentException">An option is invalid (hand side unknown, bone length not positive).</exception>
    /// <exception cref="ModelLoadException">A weights file is missing, unreadable or does not fit its network.</exception>
    /// <exception cref="BackendUnavailableException">libtorch does not load, or the device is unavailable.</exception>
    public Hand3dEstimator(Hand3dEstimatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.HandSide is not (Handedness.Left or Handedness.Right))
        {
            throw new ArgumentException($"HandSide must be Left or Right (an input of hand3d's lifting network); got {options.HandSide}.", nameof(options));
        }

        if (!(options.BoneLengthMetres > 0) || !float.IsFinite(options.BoneLengthMetres))
        {
            throw new ArgumentException($"BoneLengthMetres must be positive and finite; got {options.BoneLengthMetres}.", nameof(options));
        }

        ArgumentNullException.ThrowIfNull(options.HandSegNetWeights);
        ArgumentNullException.ThrowIfNull(options.PoseNetWeights);
        _options = options;
        _device = TorchRuntime.Device(options.Device);
        _segNet = new HandSegNet();
        _poseNet = new Hand3dPoseNet();
        _posePrior = new Hand3dPosePrior();
        try
        {
            StateDicts.Load(_segNet, options.HandSegNetWeights);
            StateDicts.Load(_poseNet, options.PoseNetWeights);
            StateDicts.Load(_posePrior, options.PosePriorWeights ?? options.PoseNetWeights);
            foreach (nn.Module m in new nn.Module[] { _segNet, _poseNet, _posePrior })
            {
                m.to(_device).eval();
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    public KeypointSchema Schema => KeypointSchema.Hand21;

    /// <inheritdoc/>
    public HandPoseResult Estimate(ImageView image, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        cancellationToken.ThrowIfCancellationRequested();
        int width = image.Width, height = image.Height;
        if (width < 8 || height < 8)
        {
            throw new InputShapeException("image", "at least 8 × 8 pixels", $"{width} × {height}");
        }

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor input = ToTensor(image).to(_device);
        bool resize = _options.ResizeToOfficialSize && (height != OfficialHeight || width != OfficialWidth);
        if (resize)
        {
            input = TfLayers.ResizeBilinear(input, OfficialHeight, OfficialWidth);
        }

        int h = (int)input.shape[2], w = (int)input.shape[3];
        float[] foreground = nn.functional.softmax(_segNet.call(input), 1)[0, 1].cpu().data<float>().ToArray();
        cancellationToken.ThrowIfCancellationRequested();
        bool[] blob = Hand3dCrop.ObjectMask(foreground, h, w);
        if (!blob.Contains(true))
        {
            return new HandPoseResult([], width, height);
        }

        Hand3dCropBox box = Hand3dCrop.Box(blob, h, w);
        (float y1, float x1, float y2, float x2) = box.Normalized(h, w);
        Tensor crop = TfLayers.CropAndResize(input, y1, x1, y2, x2, Hand3dCrop.CropSize);
        Tensor maps = _poseNet.call(crop);
        cancellationToken.ThrowIfCancellationRequested();
        Tensor side = tensor(_options.HandSide == Handedness.Right ? new float[] { 0, 1 } : [1, 0], [1, 2]).to(_device);
        float[] relative = _posePrior.call(maps, side).cpu().data<float>().ToArray();
        Tensor up = TfLayers.ResizeBilinear(maps, Hand3dCrop.CropSize, Hand3dCrop.CropSize)[0].reshape(maps.shape[1], -1);
        (Tensor peaks, Tensor where) = up.max(1);
        float[] peak = peaks.cpu().data<float>().ToArray();
        long[] index = where.cpu().data<long>().ToArray();

        float sx = (float)width / w, sy = (float)height / h;
        var image2d = new (float X, float Y)[Hand3dCanonicalFrame.Keypoints];
        for (int k = 0; k < image2d.Length; k++)
        {
            (float row, float column) = box.ToImage(index[k] / Hand3dCrop.CropSize, index[k] % Hand3dCrop.CropSize);
            image2d[k] = (column * sx, row * sy);
        }

        var keypoints = new Keypoint3D[Hand3dCanonicalFrame.Keypoints];
        var world = new Keypoint3D[Hand3dCanonicalFrame.Keypoints];
        float bone = _options.BoneLengthMetres;
        for (int std = 0; std < keypoints.Length; std++)
        {
            int k = ToHand3dIndex(std);
            float confidence = Math.Clamp(peak[k], 0f, 1f);
            (float x, float y) = image2d[k];
            (float wx, float wy, float wz) = (relative[3 * k], relative[(3 * k) + 1], relative[(3 * k) + 2]);
            if (std == 0)
            {
                // hand3d's keypoint 0 is the palm centre = ½(wrist + middle MCP): the wrist is 2·palm − middle MCP.
                int m = MiddleMcp[0];
                (x, y) = ((2 * x) - image2d[m].X, (2 * y) - image2d[m].Y);
                (wx, wy, wz) = ((2 * wx) - relative[3 * m], (2 * wy) - relative[(3 * m) + 1], (2 * wz) - relative[(3 * m) + 2]);
                confidence = Math.Min(confidence, Math.Clamp(peak[m], 0f, 1f));
            }

            keypoints[std] = new Keypoint3D(x, y, 0f, confidence);
            world[std] = new Keypoint3D(wx * bone, wy * bone, wz * bone, confidence);
        }

        var hand = new Hand(KeypointSchema.Hand21, keypoints, hasDepth: false)
        {
            WorldKeypoints = world,
            Handedness = _options.HandSide,
            HandednessScore = 1f,
            Score = foreground.Max(),
            Region = new HandRegion(box.CenterColumn * sx, box.CenterRow * sy, box.Side * sx, box.Side * sy),
        };
        return new HandPoseResult([hand], width, height);
    }

    /// <inheritdoc/>
    public HandPoseResult Estimate(ImageView frame, TimeSpan timestamp, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_lastTimestamp is { } last && timestamp <= last)
        {
            throw new ArgumentException($"Timestamps must increase: {timestamp} after {last}.", nameof(timestamp));
        }

        HandPoseResult result = Estimate(frame, cancellationToken) with { Timestamp = timestamp };
        _lastTimestamp = timestamp;
        return result;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _segNet?.Dispose();
        _poseNet?.Dispose();
        _posePrior?.Dispose();
    }

    /// <summary>
    /// The hand3d (RHD-order) index of a <see cref="KeypointSchema.Hand21"/> keypoint: 0 → 0 (palm centre, turned into
    /// the wrist by the caller); each finger's four keypoints are stored tip → base, the reverse of Hand21's base → tip.
    /// </summary>
    internal static int ToHand3dIndex(int std) => std == 0 ? 0 : ((std - 1) / 4 * 4) + 4 - ((std - 1) % 4);

    /// <summary>8-bit RGB (grey replicated, alpha dropped) → 1 × 3 × H × W in [−0.5, 0.5] (x/255 − 0.5).</summary>
    private static Tensor ToTensor(ImageView image)
    {
        int w = image.Width, h = image.Height, bpp = image.BytesPerPixel;
        var data = new float[3 * h * w];
        int plane = h * w;
        for (int y = 0; y < h; y++)
        {
            ReadOnlySpan<byte> row = image.GetRow(y);
            for (int x = 0; x < w; x++)
            {
                for (int c = 0; c < 3; c++)
                {
                    byte v = row[(x * bpp) + (bpp == 1 ? 0 : c)];
                    data[(c * plane) + (y * w) + x] = (v / 255f) - 0.5f;
                }
            }
        }

        return tensor(data, [1, 3, h, w]);
    }
}
