using System.CommandLine;
using System.Diagnostics;
using HandPose.Synthetic;

namespace HandPose.Cli.Commands;

/// <summary><c>handpose synth</c>: renders synthetic hands in the dataset layout of docs/synthetic.md.</summary>
internal sealed class SynthCommand : ICliCommand
{
    public Command Create(CliContext context)
    {
        var count = new Option<int>("--count") { Description = "Number of samples (indices 0..N-1).", Required = true };
        var size = new Option<int>("--size") { Description = "Image side in pixels (16 to 4096).", DefaultValueFactory = _ => 256 };
        var seed = new Option<long>("--seed") { Description = "Seed; the same seed gives the same bytes.", DefaultValueFactory = _ => 0 };
        var output = new Option<DirectoryInfo>("--out") { Description = "Output folder: rgb/, depth/, mask/, annotations.json.", Required = true };
        var handedness = new Option<string>("--handedness") { Description = "left, right or both.", DefaultValueFactory = _ => "both" };
        handedness.AcceptOnlyFromAmong("left", "right", "both");
        var preview = new Option<FileInfo?>("--preview") { Description = "Also write a contact sheet PNG of the first samples (up to 32) with their keypoints." };
        var backgrounds = new Option<DirectoryInfo?>("--backgrounds") { Description = "A folder of photos to crop backgrounds from (half of the samples)." };
        var occluders = new Option<double>("--occluders") { Description = "Probability of occluders in front of the hand.", DefaultValueFactory = _ => 0.25 };
        var noAugment = new Option<bool>("--no-augment") { Description = "Skip blur, noise and colour jitter." };
        var threads = new Option<int>("--threads") { Description = "Worker threads (0 = one per core).", DefaultValueFactory = _ => 0 };

        var command = new Command("synth", "Render synthetic hands (RGB, 16-bit depth in mm, part masks, 2D/3D keypoints); same seed, same bytes.")
        {
            count, size, seed, output, handedness, preview, backgrounds, occluders, noAugment, threads,
        };
        command.SetAction(parse => context.Guard(() =>
        {
            int n = parse.GetValue(count);
            if (n < 0)
            {
                throw new FormatException($"--count must be 0 or more; got {n}.");
            }

            var options = new SyntheticOptions
            {
                Size = parse.GetValue(size),
                Handedness = parse.GetValue(handedness) switch { "left" => SyntheticHandedness.Left, "right" => SyntheticHandedness.Right, _ => SyntheticHandedness.Both },
                OccluderProbability = parse.GetValue(occluders),
                Augment = !parse.GetValue(noAugment),
                Backgrounds = parse.GetValue(backgrounds) is { } dir ? SyntheticDataset.LoadBackgrounds(dir.FullName) : [],
            };
            var sampler = new HandSampler(parse.GetValue(seed), options);
            string outDir = parse.GetValue(output)!.FullName;
            var clock = Stopwatch.StartNew();
            SyntheticDataset.Write(sampler, n, outDir, parse.GetValue(threads));
            context.Out.WriteLine(CliContext.Invariant($"{outDir}: {n} samples of {options.Size}x{options.Size} in {clock.Elapsed.TotalSeconds:F1} s"));
            if (parse.GetValue(preview) is { } sheet)
            {
                SyntheticSample[] first = Enumerable.Range(0, Math.Min(n, 32)).Select(i => sampler.Sample(i)).ToArray();
                if (first.Length > 0)
                {
                    SyntheticDataset.SaveContactSheet(first, sheet.FullName);
                    context.Out.WriteLine(CliContext.Invariant($"{sheet.FullName}: contact sheet of {first.Length} samples"));
                }
            }

            return CliApp.Ok;
        }));
        return command;
    }
}
