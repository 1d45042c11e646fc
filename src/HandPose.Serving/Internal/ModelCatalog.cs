using HandPose.Onnx.MediaPipe;

namespace HandPose.Serving.Internal;

/// <summary>The service's models by name, each with its pool of image-mode estimators; the first is the default.</summary>
internal sealed class ModelCatalog : IDisposable
{
    private readonly Dictionary<string, EstimatorPool> _pools = new(StringComparer.OrdinalIgnoreCase);

    public ModelCatalog(HandPoseServerOptions options)
    {
        if (options.Models.Count == 0)
        {
            throw new ArgumentException("At least one model is needed (full, lite or a landmark .onnx file).", nameof(options));
        }

        int threads = options.ThreadsPerEstimator ?? Math.Max(1, Environment.ProcessorCount / Math.Max(1, options.MaxConcurrentRequests));
        foreach (string spec in options.Models)
        {
            (string name, MediaPipeHandEstimatorOptions estimator) = Parse(spec, options, threads);
            if (!_pools.TryAdd(name, new EstimatorPool(name, estimator)))
            {
                throw new ArgumentException($"The model '{name}' is given twice.", nameof(options));
            }

            Names.Add(name);
        }
    }

    public List<string> Names { get; } = [];

    public string Default => Names[0];

    /// <summary>The pool of that model (the default when null or empty), or null when no model has that name.</summary>
    public EstimatorPool? Find(string? name) => _pools.GetValueOrDefault(string.IsNullOrEmpty(name) ? Default : name);

    /// <summary>Options for a video-mode (tracking, smoothed) estimator of that model.</summary>
    public static MediaPipeHandEstimatorOptions ForVideo(EstimatorPool pool, bool mirrored) => new()
    {
        Model = pool.Options.Model,
        LandmarkModelPath = pool.Options.LandmarkModelPath,
        ModelDirectory = pool.Options.ModelDirectory,
        MaxHands = pool.Options.MaxHands,
        Threads = pool.Options.Threads,
        Mirrored = mirrored,
        Smoothing = true,
    };

    /// <summary>Makes one estimator of every model, so that a missing model fails at start, not at the first request.</summary>
    public void Warm()
    {
        foreach (EstimatorPool pool in _pools.Values)
        {
            pool.Return(pool.Rent());
        }
    }

    public void Dispose()
    {
        foreach (EstimatorPool pool in _pools.Values)
        {
            pool.Dispose();
        }
    }

    private static (string Name, MediaPipeHandEstimatorOptions Options) Parse(string spec, HandPoseServerOptions options, int threads)
    {
        MediaPipeHandModel model = MediaPipeHandModel.Full;
        string? landmark = null;
        string name = spec;
        if (string.Equals(spec, "lite", StringComparison.OrdinalIgnoreCase))
        {
            model = MediaPipeHandModel.Lite;
            name = "lite";
        }
        else if (string.Equals(spec, "full", StringComparison.OrdinalIgnoreCase))
        {
            name = "full";
        }
        else if (spec.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase))
        {
            landmark = Path.GetFullPath(spec);
            name = Path.GetFileName(spec);
        }
        else
        {
            throw new ArgumentException($"A model is full, lite or a hand landmark .onnx file; got '{spec}'.", nameof(options));
        }

        return (name, new MediaPipeHandEstimatorOptions
        {
            Model = model,
            LandmarkModelPath = landmark,
            ModelDirectory = options.ModelDirectory,
            MaxHands = options.MaxHands,
            Threads = threads,
        });
    }
}
