using System.Diagnostics;
using System.Globalization;
using HandPose;
using HandPose.Fuzz;

// handpose-fuzz [--seconds S] [--min-inputs N] [--seed K] [--target NAME] [--report FILE] [--replay TARGET ITERATION]
// Every input must parse or throw a HandPoseException, within a per-input timeout and allocation bound. Failing inputs
// are written to artifacts/fuzz/failures/; copy one into Regressions/TARGET/ to replay it on every run.
var options = FuzzOptions.Parse(args);

// Sizes from headers must be refused before allocating: a lower ceiling keeps each accepted input small.
HandPoseLimits.MaxImagePixels = 1 << 22;
HandPoseLimits.MaxTensorElements = 1 << 22;

string baseDir = AppContext.BaseDirectory;
IReadOnlyList<FuzzTarget> targets = [.. Targets.All.Where(t => options.Target is null || t.Name == options.Target)];
if (targets.Count == 0)
{
    Console.Error.WriteLine($"handpose-fuzz: no target named '{options.Target}'. Targets: {string.Join(", ", Targets.All.Select(t => t.Name))}");
    return 2;
}

if (options.Replay is (string replayTarget, int iteration))
{
    FuzzTarget target = targets.Single(t => t.Name == replayTarget);
    byte[] input = Mutator.Mutate(Seeds(target), iteration, options.Seed);
    Outcome outcome = Run(target, input, options.Timeout);
    Console.WriteLine($"{target.Name} #{iteration}: {outcome}");
    return outcome.Failed ? 1 : 0;
}

string failures = Path.Combine(options.ArtifactsDirectory, "failures");
double totalWeight = targets.Sum(t => t.Weight);
var lines = new List<string>();
int totalInputs = 0, totalFailures = 0, passedTargets = 0, failedTargets = 0;
foreach (FuzzTarget target in targets)
{
    IReadOnlyList<byte[]> seeds = Seeds(target);
    double share = target.Weight / totalWeight;
    TimeSpan budget = TimeSpan.FromSeconds(options.Seconds * share);
    int minimum = (int)Math.Ceiling(options.MinInputs * share);
    var clock = Stopwatch.StartNew();
    int inputs = 0, accepted = 0, rejected = 0, failed = 0;

    // Regressions first: inputs that once failed, replayed as they are.
    string regressions = Path.Combine(baseDir, "Regressions", target.Name);
    IEnumerable<string> regressionFiles = Directory.Exists(regressions) ? Directory.GetFiles(regressions).Order(StringComparer.Ordinal) : [];
    var queue = new Queue<(string Label, Func<byte[]> Make)>(regressionFiles.Select(f => ($"regression {Path.GetFileName(f)}", (Func<byte[]>)(() => File.ReadAllBytes(f)))));
    for (int i = 0; queue.Count > 0 || inputs < minimum || clock.Elapsed < budget; i++)
    {
        (string label, Func<byte[]> make) = queue.Count > 0 ? queue.Dequeue() : ($"iteration {i}", () => Mutator.Mutate(seeds, i, options.Seed));
        byte[] input = make();
        Outcome outcome = Run(target, input, options.Timeout);
        inputs++;
        if (outcome.Failed)
        {
            failed++;
            Directory.CreateDirectory(Path.Combine(failures, target.Name));
            string saved = Path.Combine(failures, target.Name, $"{label.Replace(' ', '-')}.bin");
            File.WriteAllBytes(saved, input);
            Console.Error.WriteLine($"FAIL {target.Name} {label}: {outcome} (input: {saved}; replay: --replay {target.Name} {i} --seed {options.Seed})");
            if (outcome.Hung)
            {
                // The hung call still holds its thread; report and stop here.
                Console.WriteLine($"fuzz: stopped on a hang in {target.Name}");
                return 1;
            }
        }
        else if (outcome.Accepted)
        {
            accepted++;
        }
        else
        {
            rejected++;
        }
    }

    totalInputs += inputs;
    totalFailures += failed;
    _ = failed == 0 ? passedTargets++ : failedTargets++;
    string line = string.Create(CultureInfo.InvariantCulture,
        $"fuzz {target.Name}: {inputs} inputs ({seeds.Count} seeds), {accepted} parsed, {rejected} rejected with a HandPoseException, {failed} failures, {clock.Elapsed.TotalSeconds:F1} s");
    Console.WriteLine(line);
    lines.Add(line);
}

long peakMb = Process.GetCurrentProcess().PeakWorkingSet64 >> 20;
bool memoryOk = peakMb < options.PeakMegabytes;
string summary = $"fuzz: {totalInputs} inputs over {targets.Count} formats, {totalFailures} failures, peak memory {peakMb} MB (bound {options.PeakMegabytes} MB)";
Console.WriteLine(summary);
if (!memoryOk)
{
    failedTargets++;
}

if (options.Report is not null)
{
    // One line the test script folds into its totals: targets passed and failed.
    File.WriteAllLines(options.Report, [.. lines, summary, $"{passedTargets} {failedTargets}"]);
}

return totalFailures == 0 && memoryOk && totalInputs >= options.MinInputs ? 0 : 1;

static IReadOnlyList<byte[]> Seeds(FuzzTarget target)
{
    string dir = Path.Combine(AppContext.BaseDirectory, "Seeds", target.Name);
    byte[][] seeds = Directory.Exists(dir) ? [.. Directory.GetFiles(dir).Order(StringComparer.Ordinal).Select(File.ReadAllBytes)] : [];
    return seeds.Length > 0 ? seeds : throw new InvalidOperationException($"No seed files in {dir}.");
}

static Outcome Run(FuzzTarget target, byte[] input, TimeSpan timeout)
{
    Outcome? outcome = null;
    var thread = new Thread(() =>
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        try
        {
            target.Parse(input);
            outcome = new Outcome(true, null, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        catch (HandPoseException)
        {
            outcome = new Outcome(false, null, GC.GetAllocatedBytesForCurrentThread() - before);
        }
#pragma warning disable CA1031 // the point is to catch everything that is not a HandPoseException
        catch (Exception ex)
#pragma warning restore CA1031
        {
            outcome = new Outcome(false, ex, GC.GetAllocatedBytesForCurrentThread() - before);
        }
    }, maxStackSize: 16 << 20)
    { IsBackground = true };
    thread.Start();
    return thread.Join(timeout) ? outcome! with { AllocationLimit = FuzzOptions.AllocationLimitBytes } : Outcome.Hang(timeout);
}

internal sealed record Outcome(bool Accepted, Exception? Unexpected, long AllocatedBytes)
{
    public long AllocationLimit { get; init; } = long.MaxValue;

    public bool Hung { get; init; }

    public bool Failed => Hung || Unexpected is not null || AllocatedBytes > AllocationLimit;

    public static Outcome Hang(TimeSpan timeout) => new(false, null, 0) { Hung = true, Reason = $"no answer within {timeout.TotalSeconds:F0} s" };

    public string? Reason { get; init; }

    public override string ToString() =>
        Hung ? $"hang: {Reason}"
        : Unexpected is not null ? $"{Unexpected.GetType().FullName}: {Unexpected.Message} at {Unexpected.StackTrace?.Split('\n').FirstOrDefault()?.Trim()}"
        : AllocatedBytes > AllocationLimit ? $"allocated {AllocatedBytes >> 20} MB (bound {AllocationLimit >> 20} MB)"
        : Accepted ? "parsed" : "rejected";
}

internal sealed record FuzzOptions(double Seconds, int MinInputs, int Seed, string? Target, string? Report, (string, int)? Replay, TimeSpan Timeout, long PeakMegabytes, string ArtifactsDirectory)
{
    public const long AllocationLimitBytes = 256L << 20;

    public static FuzzOptions Parse(string[] args)
    {
        var o = new FuzzOptions(120, 10_000, 1, null, null, null, TimeSpan.FromSeconds(10), 2048, Path.Combine(Environment.CurrentDirectory, "artifacts", "fuzz"));
        for (int i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            o = args[i] switch
            {
                "--seconds" => o with { Seconds = double.Parse(Next(), CultureInfo.InvariantCulture) },
                "--min-inputs" => o with { MinInputs = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--seed" => o with { Seed = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--target" => o with { Target = Next() },
                "--report" => o with { Report = Next() },
                "--artifacts" => o with { ArtifactsDirectory = Next() },
                "--replay" => o with { Target = args[i + 1], Replay = (Next(), int.Parse(Next(), CultureInfo.InvariantCulture)) },
                _ => throw new ArgumentException($"Unknown option {args[i]}."),
            };
        }

        return o;
    }
}
