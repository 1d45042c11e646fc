using HandPose.Structure.Codecs;
using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using HandPose.IO;
using HandPose.Structure;

namespace HandPose.Cli.Commands;

/// <summary><c>handpose masks</c>: renders heatmaps, LDM or LPM for one hand into a float32 .npy (docs/cli.md).</summary>
internal sealed class MasksCommand : ICliCommand
{
    public Command Create(CliContext context)
    {
        var keypoints = new Option<FileInfo>("--keypoints") { Description = "JSON keypoints: [[x, y], ...] or {\"keypoints\": [[x, y], ...]}; null or [null, null] = missing.", Required = true };
        var mapSize = new Option<string>("--map-size") { Description = "Map size WxH in cells (or one number for a square map).", Required = true };
        var kind = new Option<string>("--kind") { Description = "heatmap, ldm or lpm.", Required = true };
        kind.AcceptOnlyFromAmong("heatmap", "ldm", "lpm");
        var grouping = new Option<string>("--grouping") { Description = "limbs, g1, g6 or g1g6 (7 channels, G1 first).", DefaultValueFactory = _ => "g1g6" };
        grouping.AcceptOnlyFromAmong("limbs", "g1", "g6", "g1g6");
        var sigma = new Option<double>("--sigma") { Description = "Gaussian sigma in map cells (heatmap, lpm).", DefaultValueFactory = _ => 1.0 };
        var width = new Option<double>("--width") { Description = "LDM half-width in map cells.", DefaultValueFactory = _ => 1.0 };
        var variant = new Option<string>("--variant") { Description = "paper (intended formulas) or official (the released NSRM code bit for bit).", DefaultValueFactory = _ => "paper" };
        variant.AcceptOnlyFromAmong("paper", "official");
        var skeleton = new Option<string>("--skeleton") { Description = "hand21, coco17 or a skeleton JSON file.", DefaultValueFactory = _ => "hand21" };
        var crop = new Option<string?>("--crop") { Description = "Keypoints are crop pixels of a WxH crop; converted as NSRM: X = x*S/s/W, Y = y*S/s/H (float64)." };
        var inputSize = new Option<int?>("--input-size") { Description = "Network input size S for --crop (default 368)." };
        var stride = new Option<int?>("--stride") { Description = "Output stride s for --crop (default 8)." };
        var output = new Option<FileInfo>("--out") { Description = "Output float32 .npy, shape [C, H, W].", Required = true };

        var command = new Command("masks", "Render structure representations (Gaussian heatmaps, NSRM LDM or LPM) for one hand into a float32 .npy.")
        {
            keypoints, mapSize, kind, grouping, sigma, width, variant, skeleton, crop, inputSize, stride, output,
        };
        command.SetAction(parse =>
        {
            if (parse.GetValue(crop) is null && (parse.GetValue(inputSize) is not null || parse.GetValue(stride) is not null))
            {
                return context.Usage("--input-size and --stride only apply with --crop.");
            }

            return context.Guard(() => Run(new Request(
                parse.GetValue(keypoints)!.FullName,
                parse.GetValue(mapSize)!,
                parse.GetValue(kind)!,
                parse.GetValue(grouping)!,
                parse.GetValue(sigma),
                parse.GetValue(width),
                parse.GetValue(variant)!,
                parse.GetValue(skeleton)!,
                parse.GetValue(crop),
                parse.GetValue(inputSize) ?? NsrmCoordinates.DefaultInputSize,
                parse.GetValue(stride) ?? NsrmCoordinates.DefaultStride,
                parse.GetValue(output)!.FullName), context.Out));
        });
        return command;
    }

    internal sealed record Request(string Keypoints, string MapSize, string Kind, string Grouping, double Sigma, double Width, string Variant, string Skeleton, string? Crop, int InputSize, int Stride, string Output);

    private static int Run(Request request, TextWriter stdout)
    {
        KeypointSchema schema = request.Skeleton switch
        {
            "hand21" => KeypointSchema.Hand21,
            "coco17" => KeypointSchema.Coco17,
            _ => KeypointSchema.FromJson(File.ReadAllText(request.Skeleton)),
        };
        (int mapWidth, int mapHeight) = ParseSize(request.MapSize, "--map-size");
        double[] xy = ReadKeypoints(request.Keypoints, schema);
        if (request.Crop is not null)
        {
            (int cropWidth, int cropHeight) = ParseSize(request.Crop, "--crop");
            NsrmCoordinates.CropToMap(xy, xy, cropWidth, cropHeight, request.InputSize, request.Stride);
        }

        StructureVariant variant = request.Variant == "official" ? StructureVariant.OfficialCode : StructureVariant.Paper;
        LimbGrouping grouping = request.Grouping switch
        {
            "limbs" => LimbGrouping.Limbs,
            "g1" => LimbGrouping.G1,
            "g6" => LimbGrouping.G6,
            _ => LimbGrouping.G1G6,
        };
        StructureRenderer renderer;
        try
        {
            renderer = request.Kind switch
            {
                "heatmap" => new GaussianHeatmapRenderer(schema, mapWidth, mapHeight, request.Sigma),
                "ldm" => new LimbDeterministicMaskRenderer(schema, mapWidth, mapHeight, grouping, request.Width, variant),
                _ => new LimbProbabilisticMaskRenderer(schema, mapWidth, mapHeight, grouping, request.Sigma, variant),
            };
        }
        catch (LimitExceededException ex)
        {
            throw new LimitExceededException(ex.LimitName, HandPoseLimits.MaxTensorElementsVariable, ex.Limit,
                $"--map-size {mapWidth}x{mapHeight} with --kind {request.Kind} (--grouping {request.Grouping}): {ex.Request}");
        }
        catch (ArgumentOutOfRangeException ex)
        {
            string option = ex.ParamName switch
            {
                "mapWidth" or "mapHeight" => "--map-size",
                "sigma" => "--sigma",
                "halfWidth" or "width" => "--width",
                _ => ex.ParamName ?? "an option",
            };
            throw new FormatException($"{option}: {ex.Message.Split(" (Parameter", 2)[0]}", ex);
        }

        float[] maps = new float[renderer.OutputLength];
        renderer.Render(xy, maps);
        OutputFiles.WriteOne(request.Output, "--out", new NpyArray([renderer.ChannelCount, mapHeight, mapWidth], maps).Save);
        stdout.WriteLine(CliContext.Invariant($"{request.Output}: {request.Kind} [{renderer.ChannelCount}, {mapHeight}, {mapWidth}] float32"));
        return CliApp.Ok;
    }

    private static (int Width, int Height) ParseSize(string text, string option)
    {
        string[] parts = text.Split('x', 'X');
        if (parts.Length is 1 or 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int w)
            && int.TryParse(parts[^1], NumberStyles.None, CultureInfo.InvariantCulture, out int h)
            && w > 0 && h > 0)
        {
            return (w, h);
        }

        throw new FormatException($"{option} expects WxH with positive integers (e.g. 46x46); got '{text}'.");
    }

    /// <summary>Reads interleaved float64 (x, y); a null point or a null coordinate becomes NaN (missing).</summary>
    private static double[] ReadKeypoints(string path, KeypointSchema schema)
    {
        byte[] bytes = File.ReadAllBytes(path);
        try
        {
            using var doc = JsonDocument.Parse(bytes, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
            JsonElement list = doc.RootElement;
            if (list.ValueKind == JsonValueKind.Object && !list.TryGetProperty("keypoints", out list))
            {
                throw new FormatException($"{path}: expected an array of [x, y] points or an object with a \"keypoints\" array.");
            }

            if (list.ValueKind != JsonValueKind.Array)
            {
                throw new FormatException($"{path}: expected an array of [x, y] points; got {list.ValueKind}.");
            }

            if (list.GetArrayLength() != schema.KeypointCount)
            {
                throw new FormatException($"{path} has {list.GetArrayLength()} keypoints; skeleton '{schema.Name}' needs {schema.KeypointCount}.");
            }

            double[] xy = new double[2 * schema.KeypointCount];
            int i = 0;
            foreach (JsonElement point in list.EnumerateArray())
            {
                if (point.ValueKind == JsonValueKind.Null)
                {
                    xy[2 * i] = xy[(2 * i) + 1] = double.NaN;
                }
                else if (point.ValueKind == JsonValueKind.Array && point.GetArrayLength() >= 2)
                {
                    xy[2 * i] = Coordinate(point[0], path, i);
                    xy[(2 * i) + 1] = Coordinate(point[1], path, i);
                }
                else
                {
                    throw new FormatException($"{path}: keypoint {i} must be [x, y] (or null when missing); got {point.GetRawText()}.");
                }

                i++;
            }

            return xy;
        }
        catch (JsonException ex)
        {
            throw new FormatException($"{path}: invalid JSON at line {ex.LineNumber + 1}, position {ex.BytePositionInLine + 1}: {ex.Message}", ex);
        }
    }

    private static double Coordinate(JsonElement value, string path, int index) => value.ValueKind switch
    {
        JsonValueKind.Number => value.GetDouble(),
        JsonValueKind.Null => double.NaN,
        _ => throw new FormatException($"{path}: keypoint {index} has a non-numeric coordinate {value.GetRawText()}."),
    };
}
