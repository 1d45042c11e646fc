using System.CommandLine;
using HandPose.Datasets.Training;
using HandPose.Torch.Models;
using HandPose.Torch.Training;
using Spectre.Console;

namespace HandPose.Cli.Commands;

/// <summary>
/// <c>handpose train</c>: trains an architecture with its official recipe on a dataset or on-the-fly synthetic hands,
/// with a progress bar on a terminal, <c>metrics.jsonl</c>, <c>curves.png</c>, <c>last.ckpt</c> and <c>best.pt</c>;
/// Ctrl+C saves the position and exits; <c>--resume</c> continues bit for bit.
/// </summary>
internal sealed class TrainCommand : ICliCommand
{
    public Command Create(CliContext context)
    {
        var arch = new Option<string>("--arch") { Description = "Architecture (e.g. simplebaseline-resnet18; see 'handpose forward --help').", Required = true };
        var data = new Option<string>("--data") { Description = "Training data: synth:N, a synthetic-layout folder, or freihand:/onehand10k:/panoptic:DIR.", Required = true };
        var val = new Option<string?>("--val") { Description = "Held-out data, same forms (synth:N is drawn with seed K + 1)." };
        var inputSize = new Option<int>("--input-size") { Description = "Network input side in pixels.", DefaultValueFactory = _ => 256 };
        var epochs = new Option<int>("--epochs") { Description = "Epochs to train to.", DefaultValueFactory = _ => 10 };
        var batch = new Option<int>("--batch") { Description = "Samples per step.", DefaultValueFactory = _ => 16 };
        var lr = new Option<double?>("--lr") { Description = "Learning rate (default: the recipe's official one)." };
        var optimizer = new Option<string>("--optimizer") { Description = "adam, adamw or sgd.", DefaultValueFactory = _ => "adam" };
        optimizer.AcceptOnlyFromAmong("adam", "adamw", "sgd");
        var schedule = new Option<string>("--schedule") { Description = "cosine, step (x0.1 every --step-epochs) or constant.", DefaultValueFactory = _ => "cosine" };
        schedule.AcceptOnlyFromAmong("cosine", "step", "constant");
        var stepEpochs = new Option<int>("--step-epochs") { Description = "Epochs between learning-rate decays of --schedule step.", DefaultValueFactory = _ => 30 };
        var seed = new Option<long>("--seed") { Description = "Seed of initialisation, order, augmentation and synth:N.", DefaultValueFactory = _ => 1 };
        var threads = new Option<int>("--threads") { Description = "libtorch threads (0 = one per core).", DefaultValueFactory = _ => 0 };
        var workers = new Option<int>("--workers") { Description = "Data loader threads.", DefaultValueFactory = _ => 1 };
        var output = new Option<DirectoryInfo>("--out") { Description = "Run folder: metrics.jsonl, curves.png, last.ckpt, best.pt.", Required = true };
        var resume = new Option<FileInfo?>("--resume") { Description = "Continue from a checkpoint (RUN/last.ckpt)." };

        var command = new Command("train", "Train a network with its official recipe (losses, targets), validating each epoch (PCK@0.2, AUC, EPE).")
        {
            arch, data, val, inputSize, epochs, batch, lr, optimizer, schedule, stepEpochs, seed, threads, workers, output, resume,
        };
        command.SetAction(parse => context.Guard(() =>
        {
            int size = parse.GetValue(inputSize);
            long k = parse.GetValue(seed);
            TorchArchitecture architecture = TorchArchitectures.Get(parse.GetRequiredValue(arch));
            TrainingSource train = TrainingSource.Parse(parse.GetRequiredValue(data), size, k);
            TrainingSource? held = parse.GetValue(val) is { } v ? TrainingSource.Parse(v, size, k + 1) : null;
            var options = new TrainerOptions
            {
                OutputDirectory = parse.GetRequiredValue(output).FullName,
                InputSize = size,
                Epochs = parse.GetValue(epochs),
                BatchSize = parse.GetValue(batch),
                LearningRate = parse.GetValue(lr),
                Optimizer = parse.GetValue(optimizer) switch { "adamw" => OptimizerKind.AdamW, "sgd" => OptimizerKind.Sgd, _ => OptimizerKind.Adam },
                Schedule = parse.GetValue(schedule) switch { "step" => LearningRateSchedule.Step, "constant" => LearningRateSchedule.Constant, _ => LearningRateSchedule.Cosine },
                StepEpochs = parse.GetValue(stepEpochs),
                Seed = k,
                Threads = parse.GetValue(threads),
                LoaderWorkers = parse.GetValue(workers),
                ResumeFrom = parse.GetValue(resume)?.FullName,
            };
            return Train(context, architecture, train, held, options);
        }));
        return command;
    }

    private static int Train(CliContext context, TorchArchitecture architecture, TrainingSource train, TrainingSource? held, TrainerOptions options)
    {
        using var trainer = new Trainer(architecture, options);
        using var cancel = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        string curves = Path.Combine(options.OutputDirectory, "curves.png");
        context.Out.WriteLine(CliContext.Invariant($"{architecture.Name} ({trainer.Recipe.Name}): train {train.Description}, val {held?.Description ?? "none"}, input {options.InputSize}, batch {options.BatchSize}, {options.Epochs} epochs -> {options.OutputDirectory}"));
        void EpochDone(EpochMetrics m, IReadOnlyList<EpochMetrics> history)
        {
            TrainingCurves.Save(history, curves, architecture.Name);
            context.Out.WriteLine(CliContext.Invariant(
                $"epoch {m.Epoch}/{options.Epochs}: loss {m.Loss:G5}, val PCK@0.2 {m.Pck:F4}, AUC {m.Auc:F4}, EPE {m.Epe:F2} px, {m.SamplesPerSecond:F1} samples/s, data wait {m.DataWait:P1}, {m.Seconds:F0} s"));
        }

        TrainingResult result;
        try
        {
            bool terminal = ReferenceEquals(context.Out, Console.Out) && !Console.IsOutputRedirected;
            result = terminal ? WithProgressBar(trainer, train, held, EpochDone, cancel.Token) : trainer.Run(train, held, null, EpochDone, cancel.Token);
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }

        if (result.Interrupted)
        {
            context.Out.WriteLine($"interrupted: the position is saved in {Path.Combine(options.OutputDirectory, Trainer.LastCheckpoint)}; continue with --resume.");
            return CliApp.Failure;
        }

        context.Out.WriteLine(CliContext.Invariant($"best val PCK@0.2 {result.BestPck:F4}: {Path.Combine(options.OutputDirectory, Trainer.BestWeights)}; curves: {curves}"));
        return CliApp.Ok;
    }

    private static TrainingResult WithProgressBar(Trainer trainer, TrainingSource train, TrainingSource? held, Action<EpochMetrics, IReadOnlyList<EpochMetrics>> epochDone, CancellationToken token)
    {
        TrainingResult? result = null;
        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(ctx =>
            {
                ProgressTask? task = null;
                int epoch = 0;
                result = trainer.Run(train, held, p =>
                {
                    if (task is null || p.Epoch != epoch)
                    {
                        task?.StopTask();
                        epoch = p.Epoch;
                        task = ctx.AddTask($"epoch {p.Epoch}/{p.Epochs}", maxValue: p.Steps);
                        task.Value = p.Step - 1;
                    }

                    task.Description = CliContext.Invariant($"epoch {p.Epoch}/{p.Epochs}  loss {p.Loss:G4}  {p.SamplesPerSecond:F1} samples/s  wait {p.DataWait:P0}");
                    task.Value = p.Step;
                }, epochDone, token);
                task?.StopTask();
            });
        return result!;
    }
}
