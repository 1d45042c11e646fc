using System.Collections;
using System.Reflection;
using TorchSharp.Modules;
using TorchSharp.PyBridge;
using static TorchSharp.torch;
using static TorchSharp.torch.optim.lr_scheduler;

namespace HandPose.Torch.Serialization;

/// <summary>
/// Training checkpoints that resume bit for bit on CPU: one <c>torch.save</c>-format file (PyTorch's
/// <c>torch.load</c> reads it too) holding <c>{"epoch", "state_dict", "optimizer", "scheduler", "rng_state"}</c>, the
/// layout of the official training scripts. The optimizer's part is TorchSharp.PyBridge's (PyTorch's
/// <c>param_groups</c>/<c>state</c>); the scheduler's is its fields, as PyTorch's <c>scheduler.state_dict()</c> is its
/// <c>__dict__</c>; the RNG state is the default CPU generator's (dropout, random initialisation, <c>randn</c>).
/// </summary>
public static class TrainingCheckpoint
{
    /// <summary>Writes a checkpoint.</summary>
    /// <param name="path">The file to write.</param>
    /// <param name="model">The model.</param>
    /// <param name="optimizer">Its optimizer.</param>
    /// <param name="scheduler">Its learning-rate scheduler, or null.</param>
    /// <param name="epoch">The number of completed epochs (or steps: whatever the loop resumes from).</param>
    /// <param name="step">Steps already done in epoch <paramref name="epoch"/> (a run interrupted mid-epoch); saved as <c>"step"</c>.</param>
    public static void Save(string path, nn.Module model, OptimizerHelper optimizer, LRScheduler? scheduler, int epoch, int step = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(optimizer);
        TorchRuntime.EnsureAvailable();
        using var scope = NewDisposeScope();
        Hashtable optimizerState;
        using (var buffer = new MemoryStream())
        {
            optimizer.save_py(buffer, leaveOpen: true);
            buffer.Position = 0;
            optimizerState = TorchZip.Read(buffer, "optimizer state");
        }

        var checkpoint = new Dictionary<string, object>
        {
            ["epoch"] = epoch,
            ["step"] = step,
            ["state_dict"] = model.state_dict(),
            ["optimizer"] = optimizerState,
            ["scheduler"] = scheduler is null ? new Dictionary<string, object>() : SchedulerState(scheduler),
            ["rng_state"] = random.get_rng_state(),
        };
        string temporary = path + ".tmp";
        using (FileStream file = File.Create(temporary))
        {
            PyTorchPickler.PickleStateDict(file, checkpoint);
        }

        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Restores a checkpoint into freshly built objects of the same configuration and returns its epoch.</summary>
    /// <param name="path">The checkpoint file.</param>
    /// <param name="model">The model (same architecture).</param>
    /// <param name="optimizer">Its optimizer (same type, same parameters in the same order).</param>
    /// <param name="scheduler">Its scheduler (same type), or null.</param>
    /// <exception cref="ModelLoadException">The file is not such a checkpoint, or does not fit the objects; the message names the file and the part.</exception>
    public static int Load(string path, nn.Module model, OptimizerHelper optimizer, LRScheduler? scheduler) =>
        Load(path, model, optimizer, scheduler, out _);

    /// <summary>Restores a checkpoint like <see cref="Load(string, nn.Module, OptimizerHelper, LRScheduler?)"/> and also returns the step within the epoch.</summary>
    /// <param name="path">The checkpoint file.</param>
    /// <param name="model">The model (same architecture).</param>
    /// <param name="optimizer">Its optimizer (same type, same parameters in the same order).</param>
    /// <param name="scheduler">Its scheduler (same type), or null.</param>
    /// <param name="step">Steps done in the returned epoch (0 for checkpoints without a <c>"step"</c> entry).</param>
    /// <returns>The epoch.</returns>
    /// <exception cref="ModelLoadException">The file is not such a checkpoint, or does not fit the objects; the message names the file and the part.</exception>
    public static int Load(string path, nn.Module model, OptimizerHelper optimizer, LRScheduler? scheduler, out int step)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(optimizer);
        TorchRuntime.EnsureAvailable();
        if (!File.Exists(path))
        {
            throw new ModelLoadException(path, "file not found");
        }

        int epoch;
        using var optimizerState = new MemoryStream();
        using (var scope = NewDisposeScope())
        {
            Hashtable table;
            Dictionary<string, Tensor> weights;
            try
            {
                table = TorchZip.Read(path);
                weights = PartOf<Hashtable>("state_dict").Cast<DictionaryEntry>().ToDictionary(e => (string)e.Key, e => (Tensor)e.Value!, StringComparer.Ordinal);
            }
            catch (Exception ex) when (TorchZip.IsFormatError(ex))
            {
                throw new ModelLoadException(path, $"not a readable training checkpoint ({ex.GetType().Name}: {ex.Message})", ex);
            }

            object Part(string key) => table[key] ?? throw new ModelLoadException(path, $"no '{key}' entry: not a HandPose/PyTorch training checkpoint");
            T PartOf<T>(string key) => Part(key) is T value ? value : throw new ModelLoadException(path, $"the '{key}' entry is a {Part(key).GetType().Name}, not a {typeof(T).Name}");
            StateDicts.Copy(model, weights, path);
            PyTorchPickler.PickleStateDict(optimizerState, PartOf<Hashtable>("optimizer"), leaveOpen: true);
            if (scheduler is not null)
            {
                RestoreScheduler(scheduler, PartOf<Hashtable>("scheduler"), path);
            }

            random.set_rng_state(PartOf<Tensor>("rng_state"));
            epoch = Convert.ToInt32(Part("epoch"), System.Globalization.CultureInfo.InvariantCulture);
            step = table.ContainsKey("step") ? Convert.ToInt32(table["step"], System.Globalization.CultureInfo.InvariantCulture) : 0;
        }

        // Outside the scope: the optimizer keeps the moment tensors it reads.
        try
        {
            optimizerState.Position = 0;
            optimizer.load_py(optimizerState);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidCastException or KeyNotFoundException or NullReferenceException)
        {
            throw new ModelLoadException(path, $"the optimizer state does not fit {optimizer.GetType().Name}: {ex.Message}", ex);
        }

        return epoch;
    }

    private static IEnumerable<FieldInfo> SchedulerFields(LRScheduler scheduler)
    {
        for (Type? t = scheduler.GetType(); t is not null && t != typeof(object); t = t.BaseType)
        {
            foreach (FieldInfo f in t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                if (f.FieldType.IsPrimitive || f.FieldType == typeof(string) || typeof(IEnumerable<double>).IsAssignableFrom(f.FieldType) || typeof(IEnumerable<int>).IsAssignableFrom(f.FieldType))
                {
                    yield return f;
                }
            }
        }
    }

    private static Dictionary<string, object> SchedulerState(LRScheduler scheduler)
    {
        var state = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (FieldInfo f in SchedulerFields(scheduler))
        {
            object? value = f.GetValue(scheduler);
            if (value is not null)
            {
                state[f.Name] = value switch
                {
                    IEnumerable<double> list => new ArrayList(list.ToArray()),
                    IEnumerable<int> list => new ArrayList(list.ToArray()),
                    _ => value,
                };
            }
        }

        return state;
    }

    private static void RestoreScheduler(LRScheduler scheduler, Hashtable state, string path)
    {
        var culture = System.Globalization.CultureInfo.InvariantCulture;
        foreach (FieldInfo f in SchedulerFields(scheduler))
        {
            if (!state.ContainsKey(f.Name))
            {
                throw new ModelLoadException(path, $"the scheduler state has no '{f.Name}': it was saved from another scheduler than {scheduler.GetType().Name}");
            }

            object? saved = state[f.Name];
            object? value = saved switch
            {
                ArrayList list when typeof(IEnumerable<double>).IsAssignableFrom(f.FieldType) => list.Cast<object>().Select(v => Convert.ToDouble(v, culture)).ToList(),
                ArrayList list => list.Cast<object>().Select(v => Convert.ToInt32(v, culture)).ToList(),
                _ => Convert.ChangeType(saved, f.FieldType, culture),
            };
            f.SetValue(scheduler, value);
        }
    }
}
