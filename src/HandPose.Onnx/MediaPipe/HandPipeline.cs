using System.Collections.Concurrent;
using HandPose.Imaging;

namespace HandPose.Onnx.MediaPipe;

/// <summary>
/// The palm → landmark pipeline with MediaPipe's tracking: image mode detects palms on every call; video mode
/// derives each hand's next region from its landmarks and runs palm detection only when fewer than
/// <see cref="MediaPipeHandEstimatorOptions.MaxHands"/> hands are tracked.
/// </summary>
/// <remarks>
/// Image mode is safe from many threads at once: each call rents its own <see cref="HandBuffers"/> from a pool, and
/// the ONNX Runtime sessions allow concurrent runs. Video mode keeps per-stream state; a second thread entering it
/// (or <see cref="Reset"/>) while a frame is in progress gets a <see cref="ConcurrentUseException"/>.
/// </remarks>
internal sealed class HandPipeline : IDisposable
{
    private readonly IHandModels _models;
    private readonly MediaPipeHandEstimatorOptions _options;
    /// <summary>Buffer sets kept for reuse; at most this many (more only while more calls run at once).</summary>
    private const int MaxPooledBuffers = 16;

    private readonly ConcurrentBag<HandBuffers> _pool = [];
    private int _palmDetectionRuns;
    private int _landmarkRuns;
    private int _videoBusy;
    private List<Track> _tracks = [];
    private TimeSpan? _lastTimestamp;
    private (int Width, int Height) _lastSize;

    public HandPipeline(IHandModels models, MediaPipeHandEstimatorOptions options)
    {
        _models = models;
        _options = options;
    }

    /// <summary>Palm detector runs so far (for tests and diagnostics).</summary>
    public int PalmDetectionRuns => Volatile.Read(ref _palmDetectionRuns);

    /// <summary>Landmark model runs so far.</summary>
    public int LandmarkRuns => Volatile.Read(ref _landmarkRuns);

    public HandPoseResult EstimateImage(ImageView image, CancellationToken cancellationToken)
    {
        var tracks = new List<Track>();
        List<Hand> hands = Run(image, tracks, null, cancellationToken);
        return new HandPoseResult(hands, image.Width, image.Height);
    }

    public HandPoseResult EstimateFrame(ImageView frame, TimeSpan timestamp, CancellationToken cancellationToken)
    {
        EnterVideo("Estimate(frame, timestamp)");
        try
        {
            return EstimateFrameCore(frame, timestamp, cancellationToken);
        }
        finally
        {
            Volatile.Write(ref _videoBusy, 0);
        }
    }

    private HandPoseResult EstimateFrameCore(ImageView frame, TimeSpan timestamp, CancellationToken cancellationToken)
    {
        if (_lastTimestamp is { } last && timestamp <= last)
        {
            throw new ArgumentException($"Video frame timestamps must increase: got {timestamp} after {last}.", nameof(timestamp));
        }
        if (_lastSize != (frame.Width, frame.Height))
        {
            _tracks = [];
        }
        var tracks = _tracks;
        List<Hand> hands = Run(frame, tracks, timestamp, cancellationToken);
        _lastTimestamp = timestamp;
        _lastSize = (frame.Width, frame.Height);
        return new HandPoseResult(hands, frame.Width, frame.Height) { Timestamp = timestamp };
    }

    /// <summary>Forgets the tracked hands and the last timestamp.</summary>
    public void Reset()
    {
        EnterVideo("Reset()");
        _tracks = [];
        _lastTimestamp = null;
        _lastSize = default;
        Volatile.Write(ref _videoBusy, 0);
    }

    /// <summary>Marks video mode busy, or throws when another thread is inside it (video state is per stream).</summary>
    private void EnterVideo(string call)
    {
        if (Interlocked.Exchange(ref _videoBusy, 1) != 0)
        {
            throw new ConcurrentUseException(
                $"MediaPipeHandEstimator.{call} was called while another thread was processing a video frame on the same estimator. " +
                "Video mode tracks one stream: use one estimator per stream and call it from one thread at a time " +
                "(image mode, Estimate(image), is safe to share between threads).");
        }
    }

    private HandBuffers RentBuffers() => _pool.TryTake(out HandBuffers? b) ? b : new HandBuffers();

    private void ReturnBuffers(HandBuffers buffers)
    {
        if (_pool.Count < MaxPooledBuffers)
        {
            _pool.Add(buffers);
        }
    }

    private List<Hand> Run(ImageView image, List<Track> tracks, TimeSpan? timestamp, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        HandBuffers buffers = RentBuffers();
        try
        {
            return Run(image, tracks, timestamp, buffers, cancellationToken);
        }
        finally
        {
            ReturnBuffers(buffers);
        }
    }

    private List<Hand> Run(ImageView image, List<Track> tracks, TimeSpan? timestamp, HandBuffers buffers, CancellationToken cancellationToken)
    {
        int w = image.Width, h = image.Height;
        var candidates = new List<Track>(tracks);
        if (candidates.Count < _options.MaxHands)
        {
            foreach (NormalizedRect roi in DetectPalmRois(image, buffers))
            {
                if (candidates.Count >= _options.MaxHands)
                {
                    break;
                }
                bool tracked = false;
                foreach (Track t in tracks)
                {
                    tracked |= NormalizedRect.AxisAlignedIou(roi, t.Roi) > _options.MinTrackingConfidence;
                }
                if (!tracked)
                {
                    candidates.Add(new Track(roi));
                }
            }
        }

        var hands = new List<Hand>(candidates.Count);
        tracks.Clear();
        var normalized = new float[HandGeometry.LandmarkCount * 3];
        foreach (Track track in candidates)
        {
            cancellationToken.ThrowIfCancellationRequested();
            NormalizedRect roi = track.Roi;
            HandRegion region = roi.ToPixels(w, h);
            var crop = new RotatedRect(region.CenterX, region.CenterY, region.Width, region.Height, region.Rotation);
            ImageTransforms.CropRotatedToTensor(image, crop, HandGeometry.LandmarkInputSize, HandGeometry.LandmarkInputSize, BorderMode.Replicate, buffers.LandmarkInput, _models.LandmarkLayout);
            _models.Landmarks(roi, buffers);
            Interlocked.Increment(ref _landmarkRuns);
            float presence = buffers.Presence[0], handednessScore = buffers.Handedness[0];
            if (!(presence >= _options.MinPresenceConfidence))
            {
                continue;
            }
            HandGeometry.ProjectLandmarks(buffers.Landmarks, roi, normalized);
            var keypoints = new Keypoint3D[HandGeometry.LandmarkCount];
            float handSize = MathF.Max(region.Width, region.Height);
            for (int i = 0; i < keypoints.Length; i++)
            {
                float x = normalized[3 * i] * w, y = normalized[(3 * i) + 1] * h, z = normalized[(3 * i) + 2] * w;
                if (timestamp is { } t && _options.Smoothing)
                {
                    (x, y, z) = track.Smooth(i, x, y, z, handSize, t.TotalSeconds, _options);
                }
                keypoints[i] = new Keypoint3D(x, y, z, presence);
            }
            var world = new float[HandGeometry.LandmarkCount * 3];
            HandGeometry.RotateWorld(buffers.World, roi.Rotation, world);
            var worldKeypoints = new Keypoint3D[HandGeometry.LandmarkCount];
            for (int i = 0; i < worldKeypoints.Length; i++)
            {
                worldKeypoints[i] = new Keypoint3D(world[3 * i], world[(3 * i) + 1], world[(3 * i) + 2], presence);
            }
            (Handedness side, float sideScore) = HandGeometry.Handedness(handednessScore, _options.Mirrored);
            hands.Add(new Hand(KeypointSchema.Hand21, keypoints, hasDepth: true)
            {
                WorldKeypoints = worldKeypoints,
                Handedness = side,
                HandednessScore = sideScore,
                Score = presence,
                Region = region,
            });
            track.Roi = HandGeometry.LandmarksToRoi(normalized, 3, w, h);
            tracks.Add(track);
        }
        return hands;
    }

    /// <summary>Letterbox to 192, detect, decode, weighted NMS, remove the letterbox, keep MaxHands, palm → ROI.</summary>
    private List<NormalizedRect> DetectPalmRois(ImageView image, HandBuffers buffers)
    {
        int w = image.Width, h = image.Height;
        LetterboxResult placement = ImageTransforms.LetterboxToTensor(image, PalmDecoder.InputSize, PalmDecoder.InputSize, buffers.PalmInput, _models.PalmLayout);
        _models.DetectPalms(buffers);
        Interlocked.Increment(ref _palmDetectionRuns);
        List<PalmDetection> detections = PalmDecoder.Decode(buffers.Regressors, buffers.Logits, _options.MinDetectionConfidence);
        List<PalmDetection> merged = PalmDecoder.WeightedNonMaxSuppression(detections);
        var letterbox = Letterbox.From(placement);
        var rois = new List<NormalizedRect>(Math.Min(merged.Count, _options.MaxHands));
        for (int i = 0; i < merged.Count && i < _options.MaxHands; i++)
        {
            rois.Add(HandGeometry.PalmToRoi(PalmDecoder.RemoveLetterbox(merged[i], letterbox), w, h));
        }
        return rois;
    }

    public void Dispose() => _models.Dispose();

    /// <summary>A hand followed from frame to frame: its next region and its smoothing filters.</summary>
    private sealed class Track(NormalizedRect roi)
    {
        private OneEuroFilter[]? _filters;

        public NormalizedRect Roi { get; set; } = roi;

        public (float X, float Y, float Z) Smooth(int index, float x, float y, float z, float handSize, double seconds, MediaPipeHandEstimatorOptions o)
        {
            _filters ??= CreateFilters(o);
            float scale = handSize > 0 ? 1f / handSize : 1f;
            return (_filters[3 * index].Filter(x, seconds, scale),
                    _filters[(3 * index) + 1].Filter(y, seconds, scale),
                    _filters[(3 * index) + 2].Filter(z, seconds, scale));
        }

        private static OneEuroFilter[] CreateFilters(MediaPipeHandEstimatorOptions o)
        {
            var filters = new OneEuroFilter[HandGeometry.LandmarkCount * 3];
            for (int i = 0; i < filters.Length; i++)
            {
                filters[i] = new OneEuroFilter(o.SmoothingMinCutoff, o.SmoothingBeta, o.SmoothingDerivativeCutoff);
            }
            return filters;
        }
    }
}
