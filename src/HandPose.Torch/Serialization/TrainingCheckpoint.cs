using System.Globalization;
using HandPose.Torch.Modules;
using HandPose.Torch.Optim;

namespace HandPose.Torch.Serialization;

/// <summary>
/// A full training state in one safetensors file: model parameters and buffers (<c>model/…</c>), optimizer state
/// (<c>optimizer/…</c>), libtorch's CPU generator state (<c>rng/cpu</c>), and the epoch, step count, learning rate and
/// scheduler epoch as metadata. Loading it in a new process and continuing gives bit-identical results.
/// </summary>
public static class TrainingCheckpoint
{
    private const string Format = "handpose-training-checkpoint/1";

    /// <summary>Writes the checkpoint.</summary>
    /// <param name="path">The file.</param>
    /// <param name="model">The model.</param>
    /// <param name="optimizer">The optimizer.</param>
    /// <param name="scheduler">The scheduler, or null.</param>
    /// <param name="epoch">The caller's epoch counter.</param>
    public static void Save(string path, Module model, Optimizer optimizer, LearningRateScheduler? scheduler, int epoch)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(optimizer);
        using var scope = TorchRuntime.NewDisposeScope();
        var tensors = model.StateDict().Select(p => ($"model/{p.Name}", p.Tensor))
            .Concat(optimizer.StateTensors().Select(p => ($"optimizer/{p.Name}", p.Tensor)))
            .Append(("rng/cpu", TorchRuntime.GetRngState()));
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["format"] = Format,
            ["epoch"] = epoch.ToString(CultureInfo.InvariantCulture),
            ["optimizer.type"] = optimizer.GetType().Name,
            ["optimizer.steps"] = optimizer.StepCount.ToString(CultureInfo.InvariantCulture),
            ["optimizer.lr"] = SafeTensors.Format(optimizer.LearningRate),
            ["optimizer.initial_lr"] = SafeTensors.Format(optimizer.InitialLearningRate),
        };
        if (scheduler is not null)
        {
            metadata["scheduler.type"] = scheduler.GetType().Name;
            metadata["scheduler.epoch"] = scheduler.Epoch.ToString(CultureInfo.InvariantCulture);
        }

        SafeTensors.Save(path, tensors, metadata);
    }

    /// <summary>Restores model, optimizer, scheduler and the random generator from a checkpoint.</summary>
    /// <param name="path">The file.</param>
    /// <param name="model">A model of the same architecture.</param>
    /// <param name="optimizer">An optimizer of the same type over <paramref name="model"/>.</param>
    /// <param name="scheduler">A scheduler of the same type, or null.</param>
    /// <returns>The epoch stored by <see cref="Save"/>.</returns>
    /// <exception cref="ModelLoadException">The file is unreadable or does not fit the model/optimizer; the message names the file.</exception>
    public static int Load(string path, Module model, Optimizer optimizer, LearningRateScheduler? scheduler)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(optimizer);
        using TensorDictionary file = SafeTensors.Load(path);
        try
        {
            var meta = file.Metadata;
            if (!meta.TryGetValue("format", out string? format) || format != Format)
            {
                throw new ModelLoadException(path, $"not a HandPose training checkpoint (format '{format}', expected '{Format}').");
            }

            if (meta["optimizer.type"] != optimizer.GetType().Name)
            {
                throw new ModelLoadException(path, $"saved with a {meta["optimizer.type"]} optimizer, not {optimizer.GetType().Name}.");
            }

            var modelState = file.Where(kv => kv.Key.StartsWith("model/", StringComparison.Ordinal))
                .ToDictionary(kv => kv.Key["model/".Length..], kv => kv.Value, StringComparer.Ordinal);
            model.LoadStateDict(modelState);
            optimizer.LoadStateTensors(file.Where(kv => kv.Key.StartsWith("optimizer/", StringComparison.Ordinal))
                .Select(kv => (kv.Key["optimizer/".Length..], kv.Value)));
            optimizer.StepCount = long.Parse(meta["optimizer.steps"], CultureInfo.InvariantCulture);
            optimizer.RestoreInitialLearningRate(SafeTensors.ParseDouble(meta["optimizer.initial_lr"]));
            optimizer.LearningRate = SafeTensors.ParseDouble(meta["optimizer.lr"]);
            if (scheduler is not null)
            {
                if (!meta.TryGetValue("scheduler.epoch", out string? schedulerEpoch))
                {
                    throw new ModelLoadException(path, "the checkpoint holds no scheduler state.");
                }

                scheduler.SetEpoch(int.Parse(schedulerEpoch, CultureInfo.InvariantCulture));
            }

            TorchRuntime.SetRngState(file["rng/cpu"]);
            return int.Parse(meta["epoch"], CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is ArgumentException or KeyNotFoundException or FormatException or EngineException)
        {
            throw new ModelLoadException(path, $"does not fit this model/optimizer ({ex.Message}).", ex);
        }
    }
}
