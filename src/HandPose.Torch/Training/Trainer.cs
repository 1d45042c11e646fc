using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using HandPose.Datasets.Training;
using HandPose.Evaluation;
using HandPose.Structure.Codecs;
using HandPose.Torch.Models;
using HandPose.Torch.Serialization;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.optim.lr_scheduler;

namespace HandPose.Torch.Training;

/// <summary>
/// Trains an architecture with its recipe: the loader feeds augmented batches, the recipe's loss drives the
/// optimiser, each epoch is validated (PCK@0.2, AUC, EPE) and written to <c>metrics.jsonl</c>; <c>last.ckpt</c> (a
/// <see cref="TrainingCheckpoint"/>) is written after every epoch and on cancellation, <c>best.pt</c> (the state dict
/// by official names) whenever validation PCK improves. On CPU a resumed run is bit-identical to an uninterrupted one,
/// also when it was cancelled in the middle of an epoch.
/// </summary>
public sealed class Trainer : IDisposable
{
    private readonly TrainerOptions _options;
    private readonly OptimizerHelper _optimizer;
    private readonly LRScheduler? _scheduler;

    /// <summary>Builds the network (seeded), its optimiser and its schedule.</summary>
    /// <param name="architecture">The architecture.</param>
    /// <param name="options">The run's settings.</param>
    /// <param name="recipe">The recipe; null takes <see cref="TrainingRecipes.For"/>.</param>
    /// <exception cref="ArgumentException">No recipe is known for the architecture, or an option is out of range.</exception>
    /// <exception cref="BackendUnavailableException">libtorch does not load.</exception>
    public Trainer(TorchArchitecture architecture, TrainerOptions options, TrainingRecipe? recipe = null)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        TorchRuntime.EnsureAvailable();
        Recipe = recipe ?? TrainingRecipes.For(architecture);
        Recipe.Targets(options.InputSize); // validates the input size against the stride
        _options = options;
        set_num_threads(options.Threads > 0 ? options.Threads : Environment.ProcessorCount);
        manual_seed(options.Seed);
        Architecture = architecture;
        Model = architecture.Create();
        double lr = options.LearningRate ?? Recipe.LearningRate;
        _optimizer = options.Optimizer switch
        {
            OptimizerKind.Adam => optim.Adam(Model.parameters(), lr, weight_decay: options.WeightDecay),
            OptimizerKind.AdamW => optim.AdamW(Model.parameters(), lr, weight_decay: options.WeightDecay),
            _ => optim.SGD(Model.parameters(), lr, momentum: options.Momentum, weight_decay: options.WeightDecay),
        };
        _scheduler = options.Schedule switch
        {
            LearningRateSchedule.Step => StepLR(_optimizer, options.StepEpochs, options.Gamma),
            LearningRateSchedule.Cosine => CosineAnnealingLR(_optimizer, options.Epochs, 0),
            _ => null,
        };
    }

    /// <summary>The architecture.</summary>
    public TorchArchitecture Architecture { get; }

    /// <summary>The recipe.</summary>
    public TrainingRecipe Recipe { get; }

    /// <summary>The network being trained.</summary>
    public nn.Module Model { get; }

    /// <summary>The file names the run writes in <see cref="TrainerOptions.OutputDirectory"/>.</summary>
    public const string MetricsFile = "metrics.jsonl", LastCheckpoint = "last.ckpt", BestWeights = "best.pt";

    /// <summary>Trains to <see cref="TrainerOptions.Epochs"/>, resuming first when <see cref="TrainerOptions.ResumeFrom"/> is set.</summary>
    /// <param name="training">Training samples.</param>
    /// <param name="validation">Held-out samples, or null to skip validation.</param>
    /// <param name="progress">Called after every step.</param>
    /// <param name="epochFinished">Called after every epoch with its metrics and the whole history.</param>
    /// <param name="cancellationToken">Cancels between steps (not during validation); the position is saved to last.ckpt first.</param>
    /// <returns>The history and whether the run was interrupted.</returns>
    /// <exception cref="ModelLoadException">The checkpoint to resume from does not fit.</exception>
    /// <exception cref="EngineException">The loss became NaN or infinite.</exception>
    public TrainingResult Run(TrainingSource training, TrainingSource? validation, Action<TrainingProgress>? progress = null,
                              Action<EpochMetrics, IReadOnlyList<EpochMetrics>>? epochFinished = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(training);
        string dir = _options.OutputDirectory;
        Directory.CreateDirectory(dir);
        var pipeline = new SamplePipeline(_options.InputSize, Recipe.Targets(_options.InputSize));
        var loader = new HandBatchLoader(training, pipeline, _options.BatchSize, _options.Seed, training: true, _options.LoaderWorkers, _options.Prefetch);
        HandBatchLoader? validator = validation is null ? null
            : new HandBatchLoader(validation, pipeline, _options.BatchSize, _options.Seed, training: false, _options.LoaderWorkers, _options.Prefetch);

        int startEpoch = 0, startStep = 0;
        var history = new List<EpochMetrics>();
        if (_options.ResumeFrom is { } resume)
        {
            startEpoch = TrainingCheckpoint.Load(resume, Model, _optimizer, _scheduler, out startStep);
            history.AddRange(ReadHistory(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(resume))!, MetricsFile)).Where(m => m.Epoch <= startEpoch));
        }

        double best = history.Select(m => m.Pck).Where(double.IsFinite).DefaultIfEmpty(double.NegativeInfinity).Max();
        Model.train();
        for (int epoch = startEpoch; epoch < _options.Epochs; epoch++)
        {
            int first = epoch == startEpoch ? startStep : 0;
            if (cancellationToken.IsCancellationRequested)
            {
                TrainingCheckpoint.Save(Path.Combine(dir, LastCheckpoint), Model, _optimizer, _scheduler, epoch, first);
                return new TrainingResult(history, best, Interrupted: true);
            }

            var clock = Stopwatch.StartNew();
            TimeSpan waitBefore = loader.WaitTime;
            double lr = _optimizer.ParamGroups.First().LearningRate, lossSum = 0;
            int steps = 0, samples = 0, total = loader.BatchesPerEpoch;
            foreach (TrainingBatch batch in loader.Epoch(epoch, first, CancellationToken.None))
            {
                double loss = Step(batch, epoch);
                if (!double.IsFinite(loss))
                {
                    throw new EngineException("training", 0, $"the loss became {loss} at epoch {epoch + 1}, step {first + steps + 1}; lower the learning rate (now {lr.ToString(CultureInfo.InvariantCulture)}).");
                }

                lossSum += loss;
                steps++;
                samples += batch.Count;
                double seconds = clock.Elapsed.TotalSeconds;
                progress?.Invoke(new TrainingProgress(epoch + 1, _options.Epochs, first + steps, total, lossSum / steps, samples / seconds, (loader.WaitTime - waitBefore).TotalSeconds / seconds));
                if (cancellationToken.IsCancellationRequested)
                {
                    break;
                }
            }

            if (cancellationToken.IsCancellationRequested && first + steps < total)
            {
                // Mid-epoch: the checkpoint records the step, the resumed run skips the batches already trained.
                TrainingCheckpoint.Save(Path.Combine(dir, LastCheckpoint), Model, _optimizer, _scheduler, epoch, first + steps);
                return new TrainingResult(history, best, Interrupted: true);
            }

            double trainSeconds = clock.Elapsed.TotalSeconds;
            double wait = (loader.WaitTime - waitBefore).TotalSeconds / trainSeconds;
            _scheduler?.step();
            ValidationMetrics v = validator is null ? new ValidationMetrics(double.NaN, double.NaN, double.NaN, 0) : Validate(Model, Recipe, validator, CancellationToken.None);
            var metrics = new EpochMetrics(epoch + 1, steps > 0 ? lossSum / steps : double.NaN, v.Pck, v.Auc, v.Epe, clock.Elapsed.TotalSeconds, samples / trainSeconds, wait, lr);
            history.Add(metrics);
            TrainingCheckpoint.Save(Path.Combine(dir, LastCheckpoint), Model, _optimizer, _scheduler, epoch + 1);
            if (validator is null || (double.IsFinite(v.Pck) && v.Pck > best))
            {
                best = validator is null ? best : v.Pck;
                StateDicts.Save(Model, Path.Combine(dir, BestWeights));
            }

            WriteHistory(Path.Combine(dir, MetricsFile), history);
            epochFinished?.Invoke(metrics, history);
        }

        return new TrainingResult(history, best, Interrupted: false);
    }

    /// <summary>Evaluates a network on every sample of a (non-training) loader: PCK@0.2 (box), AUC (0–30 px), EPE.</summary>
    /// <param name="model">The network (put in eval mode for the call, then back in its previous mode).</param>
    /// <param name="recipe">Its recipe (forward and decoding).</param>
    /// <param name="loader">The held-out samples.</param>
    /// <param name="cancellationToken">Stops between batches.</param>
    /// <returns>The metrics in input pixels; keypoints outside the input or unlabelled do not count.</returns>
    public static ValidationMetrics Validate(nn.Module model, TrainingRecipe recipe, HandBatchLoader loader, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(recipe);
        ArgumentNullException.ThrowIfNull(loader);
        bool wasTraining = model.training;
        model.eval();
        var predicted = new List<Keypoint2D[]>();
        var truth = new List<Keypoint2D[]>();
        var boxes = new List<(double, double)>();
        try
        {
            using var noGrad = no_grad();
            foreach (TrainingBatch batch in loader.Epoch(0, 0, cancellationToken))
            {
                using var scope = NewDisposeScope();
                int n = batch.Count, k = batch.KeypointCount, s = batch.InputSize;
                Tensor heatmaps = recipe.Forward(model, tensor(batch.Images, [n, 3, s, s])).Heatmaps.cpu().contiguous();
                long h = heatmaps.shape[2], w = heatmaps.shape[3];
                float[] values = heatmaps.data<float>().ToArray();
                int plane = (int)(k * h * w);
                for (int i = 0; i < n; i++)
                {
                    var peaks = new Keypoint2D[k];
                    HeatmapDecoder.Decode(values.AsSpan(i * plane, plane), k, (int)h, (int)w, HeatmapLayout.ChannelsFirst, recipe.Refinement, peaks);
                    var gt = new Keypoint2D[k];
                    for (int j = 0; j < k; j++)
                    {
                        peaks[j] = new Keypoint2D(peaks[j].X * recipe.Stride, peaks[j].Y * recipe.Stride, peaks[j].Confidence);
                        gt[j] = batch.TargetWeights[(i * k) + j] > 0 ? new Keypoint2D(batch.Keypoints[(((i * k) + j) * 2)], batch.Keypoints[(((i * k) + j) * 2) + 1]) : Keypoint2D.Missing;
                    }

                    predicted.Add(peaks);
                    truth.Add(gt);
                    boxes.Add((batch.BoxSizes[i], batch.BoxSizes[i]));
                }
            }
        }
        finally
        {
            model.train(wasTraining);
        }

        return new ValidationMetrics(
            PoseMetrics.PckBoundingBox(predicted, truth, boxes, 0.2).Average,
            PoseMetrics.Auc(predicted, truth, 30, 20),
            PoseMetrics.EndPointError(predicted, truth),
            predicted.Count);
    }

    /// <summary>Reads a metrics.jsonl written by a run (missing file: empty).</summary>
    /// <param name="path">The file.</param>
    /// <returns>Its epochs.</returns>
    /// <exception cref="DataFormatException">A line is not a metrics record (line named).</exception>
    public static IReadOnlyList<EpochMetrics> ReadHistory(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            return [];
        }

        var result = new List<EpochMetrics>();
        int line = 0;
        foreach (string text in File.ReadLines(path))
        {
            line++;
            if (string.IsNullOrWhiteSpace(text))
            {
                continue;
            }

            try
            {
                using JsonDocument doc = JsonDocument.Parse(text);
                JsonElement r = doc.RootElement;
                double D(string name) => r.GetProperty(name).ValueKind == JsonValueKind.Null ? double.NaN : r.GetProperty(name).GetDouble();
                result.Add(new EpochMetrics(r.GetProperty("epoch").GetInt32(), D("loss"), D("pck"), D("auc"), D("epe"), D("seconds"), D("samples_per_second"), D("data_wait"), D("lr")));
            }
            catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
            {
                throw new DataFormatException("metrics.jsonl", $"{path}: line {line} is not a metrics record ({ex.Message}).", ex);
            }
        }

        return result;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _optimizer.Dispose();
        Model.Dispose();
    }

    /// <summary>One optimisation step on a batch (benchmarks); returns the loss.</summary>
    internal double StepForBenchmark(TrainingBatch batch) => Step(batch, 0);

    private double Step(TrainingBatch batch, int epoch)
    {
        using var scope = NewDisposeScope();
        int n = batch.Count, s = batch.InputSize;
        Tensor images = tensor(batch.Images, [n, 3, s, s]);
        var targets = new List<Tensor>(batch.Targets.Count);
        for (int t = 0; t < batch.Targets.Count; t++)
        {
            (int c, int h, int w) = batch.TargetShapes[t];
            targets.Add(tensor(batch.Targets[t], [n, c, h, w]));
        }

        Tensor weights = tensor(batch.TargetWeights, [n, batch.KeypointCount]);
        _optimizer.zero_grad();
        Tensor loss = Recipe.Loss(Recipe.Forward(Model, images), targets, weights, epoch);
        loss.backward();
        _optimizer.step();
        return loss.item<float>();
    }

    private static void WriteHistory(string path, IReadOnlyList<EpochMetrics> history)
    {
        var b = new StringBuilder();
        foreach (EpochMetrics m in history)
        {
            b.Append(CultureInfo.InvariantCulture, $"{{\"epoch\": {m.Epoch}, \"loss\": {J(m.Loss)}, \"pck\": {J(m.Pck)}, \"auc\": {J(m.Auc)}, \"epe\": {J(m.Epe)}, ");
            b.Append(CultureInfo.InvariantCulture, $"\"seconds\": {J(m.Seconds)}, \"samples_per_second\": {J(m.SamplesPerSecond)}, \"data_wait\": {J(m.DataWait)}, \"lr\": {J(m.LearningRate)}}}\n");
        }

        string temporary = path + ".tmp";
        File.WriteAllText(temporary, b.ToString());
        File.Move(temporary, path, overwrite: true);
    }

    private static string J(double v) => double.IsFinite(v) ? v.ToString("R", CultureInfo.InvariantCulture) : "null";
}
