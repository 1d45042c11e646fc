using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using HandPose.Evaluation;
using HandPose.IO;

namespace HandPose.Cli.Commands;

/// <summary>
/// <c>handpose eval</c>: keypoint metrics from .npy files (docs/cli.md). Two forms: predictions against ground truth
/// (MMPose PCK/AUC/EPE in 2D; Freiburg errors, AUC and Procrustes-aligned error in 3D), and NSRM's protocol on raw
/// heatmaps (<c>--convention nsrm</c>). Prints one JSON object on stdout.
/// </summary>
internal sealed class EvalCommand : ICliCommand
{
    public Command Create(CliContext context)
    {
        var pred = new Option<FileInfo?>("--pred") { Description = "Predicted keypoints [N, K, 2] (pixels) or [N, K, 3] (e.g. mm), float .npy." };
        var heatmaps = new Option<FileInfo?>("--heatmaps") { Description = "Keypoint heatmaps [N, K, h, w] for --convention nsrm." };
        var gt = new Option<FileInfo?>("--gt") { Description = "Ground-truth keypoints [N, K, 2|3]; NaN = missing." };
        var visible = new Option<FileInfo?>("--visible") { Description = "[N, K]: 1 = labelled, 0 = not (excluded from every metric)." };
        var bbox = new Option<FileInfo?>("--bbox") { Description = "[N, 4] boxes x0, y0, x1, y1: PCK normalised by max(w, h) (MMPose)." };
        var normSize = new Option<FileInfo?>("--norm-size") { Description = "[N] per-sample PCK normalisers (e.g. head size for PCKh)." };
        var cropSize = new Option<FileInfo?>("--crop-size") { Description = "[N, 2] crop width, height in pixels (--convention nsrm)." };
        var convention = new Option<string?>("--convention") { Description = "nsrm: decode --heatmaps as the official NSRM code and report its PCK per threshold." };
        convention.AcceptOnlyFromAmong("nsrm");
        var metric = new Option<string>("--metric") { Description = "pck, auc, epe or all (every metric the inputs allow).", DefaultValueFactory = _ => "all" };
        metric.AcceptOnlyFromAmong("pck", "auc", "epe", "all");
        var thr = new Option<string?>("--thr") { Description = "PCK threshold (default 0.2); with --convention nsrm a comma list (default 0.04,0.06,0.08,0.1,0.12)." };
        var aucMax = new Option<double?>("--auc-max") { Description = "Largest AUC threshold: 30 (px) for 2D, 50 (mm) for 3D by default." };
        var aucSteps = new Option<int>("--auc-steps") { Description = "Number of AUC thresholds.", DefaultValueFactory = _ => 20 };
        var arch = new Option<string?>("--arch") { Description = "Evaluate a network: its architecture (with --weights and --data)." };
        var weights = new Option<FileInfo?>("--weights") { Description = "The network's state dict (.pt, .safetensors; e.g. RUN/best.pt)." };
        var data = new Option<string?>("--data") { Description = "synth:N (seeded by --seed), a synthetic-layout folder, or freihand:/onehand10k:/panoptic:DIR." };
        var inputSize = new Option<int>("--input-size") { Description = "Network input side in pixels.", DefaultValueFactory = _ => 256 };
        var seed = new Option<long>("--seed") { Description = "Seed of synth:N samples (training uses --seed K, validation K + 1).", DefaultValueFactory = _ => 2 };
        var batch = new Option<int>("--batch") { Description = "Samples per forward pass.", DefaultValueFactory = _ => 16 };

        var command = new Command("eval", "Evaluate keypoint predictions (PCK, AUC, EPE; NSRM's protocol on heatmaps) and print the metrics as JSON.")
        {
            pred, heatmaps, gt, visible, bbox, normSize, cropSize, convention, metric, thr, aucMax, aucSteps, arch, weights, data, inputSize, seed, batch,
        };
        command.SetAction(parse =>
        {
            if (parse.GetValue(arch) is { } archName)
            {
                if (parse.GetValue(weights) is not { } w || parse.GetValue(data) is not { } d)
                {
                    return context.Usage("--arch needs --weights and --data.");
                }

                return context.Guard(() => ModelEvaluation.Run(context, archName, w.FullName, d, parse.GetValue(inputSize), parse.GetValue(seed), parse.GetValue(batch)));
            }

            if (parse.GetValue(gt) is null)
            {
                return context.Usage("give --gt (with --pred or --heatmaps), or --arch with --weights and --data.");
            }

            FileInfo? p = parse.GetValue(pred), h = parse.GetValue(heatmaps);
            bool nsrm = parse.GetValue(convention) == "nsrm";
            if (nsrm != (h is not null) || (p is null) == (h is null))
            {
                return context.Usage("give --pred (keypoints), or --heatmaps with --convention nsrm.");
            }

            if (nsrm && parse.GetValue(cropSize) is null)
            {
                return context.Usage("--convention nsrm needs --crop-size.");
            }

            if (parse.GetValue(aucSteps) < 2)
            {
                return context.Usage("--auc-steps must be at least 2.");
            }

            string gtPath = parse.GetValue(gt)!.FullName;
            return context.Guard(() => nsrm
                ? RunNsrm(context, h!.FullName, gtPath, parse.GetValue(cropSize)!.FullName, ParseThresholds(parse.GetValue(thr), NsrmEvaluation.Thresholds))
                : RunKeypoints(context, new KeypointRequest(
                    p!.FullName, gtPath, parse.GetValue(visible)?.FullName, parse.GetValue(bbox)?.FullName, parse.GetValue(normSize)?.FullName,
                    parse.GetValue(metric)!, ParseThresholds(parse.GetValue(thr), [0.2]), parse.GetValue(aucMax), parse.GetValue(aucSteps))));
        });
        return command;
    }

    private sealed record KeypointRequest(string Pred, string Gt, string? Visible, string? Bbox, string? NormSize, string Metric, double[] Thresholds, double? AucMax, int AucSteps);

    private static int RunKeypoints(CliContext context, KeypointRequest r)
    {
        NpyArray p = NpyArray.Load(r.Pred), g = NpyArray.Load(r.Gt);
        if (p.Shape.Count != 3 || p.Shape[2] is not (2 or 3) || !p.Shape.SequenceEqual(g.Shape))
        {
            throw new FormatException($"--pred and --gt must both be [N, K, 2] or [N, K, 3]; got [{string.Join(", ", p.Shape)}] ({r.Pred}) and [{string.Join(", ", g.Shape)}] ({r.Gt}).");
        }

        if (r.Thresholds.Length != 1)
        {
            throw new FormatException("--thr takes one PCK threshold here.");
        }

        int n = p.Shape[0], k = p.Shape[1], d = p.Shape[2];
        float[]? vis = r.Visible is null ? null : Load(r.Visible, "--visible", [n, k]).Data;
        using var json = new JsonOutput(context.Out);
        json.Number("samples", n);
        json.Number("keypoints", k);
        bool all = r.Metric == "all";
        if (d == 2)
        {
            Keypoint2D[][] pk = Points2D(p.Data, n, k, null), gk = Points2D(g.Data, n, k, vis);
            double[]? norms = Normalisers(r, n);
            if (r.Metric == "pck" && norms is null)
            {
                throw new FormatException("PCK needs a normaliser: --bbox B.npy [N, 4] or --norm-size N.npy [N].");
            }

            if ((all || r.Metric == "pck") && norms is not null)
            {
                PckResult pck = PoseMetrics.Pck(pk, gk, norms, r.Thresholds[0]);
                json.Number("pck", pck.Average);
                json.Number("pck_threshold", r.Thresholds[0]);
                json.Numbers("pck_per_keypoint", pck.PerKeypoint);
            }

            if (all || r.Metric == "auc")
            {
                json.Number("auc", PoseMetrics.Auc(pk, gk, r.AucMax ?? 30, r.AucSteps));
            }

            if (all || r.Metric == "epe")
            {
                json.Number("epe", PoseMetrics.EndPointError(pk, gk));
            }
        }
        else
        {
            if (r.Metric == "pck")
            {
                throw new FormatException("PCK is defined here for 2D keypoints; for 3D use --metric auc (Freiburg) or epe.");
            }

            Keypoint3D[][] pk = Points3D(p.Data, n, k, null), gk = Points3D(g.Data, n, k, vis);
            if (all || r.Metric == "auc")
            {
                double max = r.AucMax ?? 50;
                json.Number("auc", PoseMetrics.AucFreiburg(pk, gk, 0, max, r.AucSteps));
                json.Number("auc_max", max);
            }

            if (all || r.Metric == "epe")
            {
                ErrorStatistics stats = PoseMetrics.ErrorStatisticsFreiburg(pk, gk);
                json.Number("epe", PoseMetrics.EndPointError(pk, gk));
                json.Number("epe_mean_per_keypoint", stats.Mean);
                json.Number("epe_median_per_keypoint", stats.Median);
                json.Number("epe_procrustes", PoseMetrics.EndPointErrorAligned(pk, gk));
            }
        }

        return CliApp.Ok;
    }

    private static int RunNsrm(CliContext context, string heatmapPath, string gtPath, string cropPath, double[] thresholds)
    {
        NpyArray h = NpyArray.Load(heatmapPath), g = NpyArray.Load(gtPath);
        if (h.Shape.Count != 4)
        {
            throw new FormatException($"--heatmaps must be [N, K, h, w]; got [{string.Join(", ", h.Shape)}] ({heatmapPath}).");
        }

        int n = h.Shape[0], k = h.Shape[1];
        if (g.Shape.Count != 3 || g.Shape[0] != n || g.Shape[1] != k || g.Shape[2] != 2)
        {
            throw new FormatException($"--gt must be [{n}, {k}, 2] to match the heatmaps; got [{string.Join(", ", g.Shape)}] ({gtPath}).");
        }

        float[] crops = Load(cropPath, "--crop-size", [n, 2]).Data;
        var sizes = new (double Width, double Height)[n];
        for (int i = 0; i < n; i++)
        {
            sizes[i] = (crops[2 * i], crops[(2 * i) + 1]);
        }

        double[] pck = NsrmEvaluation.Evaluate(h.Data, h.Shape[3], h.Shape[2], Points2D(g.Data, n, k, null), sizes, thresholds);
        using var json = new JsonOutput(context.Out);
        json.String("convention", "nsrm");
        json.Number("images", n);
        json.Object("pck", thresholds.Select((t, i) => (t.ToString("R", CultureInfo.InvariantCulture), pck[i])));
        return CliApp.Ok;
    }

    private static double[]? Normalisers(KeypointRequest r, int n)
    {
        if (r.Bbox is not null && r.NormSize is not null)
        {
            throw new FormatException("Give one PCK normaliser: --bbox or --norm-size, not both.");
        }

        if (r.Bbox is not null)
        {
            float[] b = Load(r.Bbox, "--bbox", [n, 4]).Data;
            return Enumerable.Range(0, n).Select(i => (double)Math.Max(b[(4 * i) + 2] - b[4 * i], b[(4 * i) + 3] - b[(4 * i) + 1])).ToArray();
        }

        return r.NormSize is null ? null : Array.ConvertAll(Load(r.NormSize, "--norm-size", [n]).Data, v => (double)v);
    }

    private static NpyArray Load(string path, string option, int[] shape)
    {
        NpyArray a = NpyArray.Load(path);
        return a.Shape.SequenceEqual(shape)
            ? a
            : throw new FormatException($"{option} must be [{string.Join(", ", shape)}]; got [{string.Join(", ", a.Shape)}] ({path}).");
    }

    private static Keypoint2D[][] Points2D(float[] data, int n, int k, float[]? visible) =>
        [.. Enumerable.Range(0, n).Select(i => Enumerable.Range(0, k).Select(j =>
            visible is not null && visible[(i * k) + j] == 0 ? Keypoint2D.Missing : new Keypoint2D(data[2 * ((i * k) + j)], data[(2 * ((i * k) + j)) + 1])).ToArray())];

    private static Keypoint3D[][] Points3D(float[] data, int n, int k, float[]? visible) =>
        [.. Enumerable.Range(0, n).Select(i => Enumerable.Range(0, k).Select(j =>
            visible is not null && visible[(i * k) + j] == 0 ? Keypoint3D.Missing : new Keypoint3D(data[3 * ((i * k) + j)], data[(3 * ((i * k) + j)) + 1], data[(3 * ((i * k) + j)) + 2])).ToArray())];

    private static double[] ParseThresholds(string? text, IReadOnlyList<double> fallback)
    {
        if (text is null)
        {
            return [.. fallback];
        }

        string[] parts = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var values = new double[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]) || !(values[i] > 0) || !double.IsFinite(values[i]))
            {
                throw new FormatException($"--thr expects positive numbers separated by commas; got '{text}'.");
            }
        }

        return values.Length > 0 ? values : throw new FormatException("--thr is empty.");
    }

    /// <summary>One JSON object on stdout; NaN (nothing counted) is written as null.</summary>
    private sealed class JsonOutput : IDisposable
    {
        private readonly MemoryStream buffer = new();
        private readonly Utf8JsonWriter writer;
        private readonly TextWriter target;

        public JsonOutput(TextWriter target)
        {
            this.target = target;
            writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true });
            writer.WriteStartObject();
        }

        public void Number(string name, double value)
        {
            writer.WritePropertyName(name);
            Value(value);
        }

        public void String(string name, string value) => writer.WriteString(name, value);

        public void Numbers(string name, IEnumerable<double> values)
        {
            writer.WriteStartArray(name);
            foreach (double v in values)
            {
                Value(v);
            }

            writer.WriteEndArray();
        }

        public void Object(string name, IEnumerable<(string Key, double Value)> entries)
        {
            writer.WriteStartObject(name);
            foreach ((string key, double value) in entries)
            {
                Number(key, value);
            }

            writer.WriteEndObject();
        }

        public void Dispose()
        {
            writer.WriteEndObject();
            writer.Flush();
            target.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
            writer.Dispose();
            buffer.Dispose();
        }

        private void Value(double v)
        {
            if (double.IsFinite(v))
            {
                writer.WriteNumberValue(v);
            }
            else
            {
                writer.WriteNullValue();
            }
        }
    }
}
