using HandPose.Onnx.Model;
using HandPose.Structure.Codecs;
using HandPose.Torch.Estimators;
using HandPose.Torch.Export.Internal;
using HandPose.Torch.Models;
using HandPose.Torch.Serialization;
using static TorchSharp.torch;

namespace HandPose.Torch.Export;

/// <summary>How <see cref="TorchOnnxExporter"/> shapes the exported model.</summary>
public sealed record TorchOnnxExportOptions
{
    /// <summary>The input width in pixels; <see langword="null"/> for the architecture's official size (<see cref="TorchOnnxExporter.DefaultInputSize"/>).</summary>
    public int? InputWidth { get; init; }

    /// <summary>The input height in pixels; <see langword="null"/> for the architecture's official size.</summary>
    public int? InputHeight { get; init; }
}

/// <summary>
/// Writes a zoo network built by <see cref="TorchArchitecture.Create"/> (with its weights) as an ONNX model, opset
/// <see cref="OpsetVersion"/>, whose outputs equal the TorchSharp evaluation-mode outputs. TorchSharp has no tracer: the
/// exporter walks the network's registered modules by their official names and writes each layer as its ONNX operator.
/// </summary>
/// <remarks>
/// <para>The graph has one float32 input <c>input</c> [N, 3, H, W] (N symbolic, H and W fixed) and the architecture's
/// official outputs (<see cref="TorchArchitecture.Outputs"/>); a multi-stage network also gets <c>heatmaps</c>, its
/// final stage [N, K, h, w]. The model spec (<see cref="PoseModelSpec"/>) goes into <c>metadata_props</c>.</para>
/// <para>Supported: <c>simplebaseline-*</c>, <c>freihand-*</c>, <c>cpm</c>, <c>nsrm-*</c>, <c>handypose</c>, <c>hand3d-handsegnet</c>, <c>hand3d-posenet</c>, <c>resnet*</c>
/// (<see cref="SupportedArchitectures"/>). Thread-safe as long as the module is not trained at the same time.</para>
/// </remarks>
public static class TorchOnnxExporter
{
    /// <summary>The ONNX operator set the exporter writes (ai.onnx 17, IR version 8).</summary>
    public const int OpsetVersion = 17;

    /// <summary>The name of the graph's image input.</summary>
    public const string InputName = "input";

    /// <summary>The name of the extra output holding a multi-stage network's final heatmaps.</summary>
    public const string FinalHeatmapsName = "heatmaps";

    /// <summary>The architectures (names of <see cref="TorchArchitectures.All"/>) the exporter writes.</summary>
    public static IReadOnlyList<string> SupportedArchitectures { get; } = [.. TorchArchitectures.All.Select(a => a.Name).Where(IsSupportedName)];

    /// <summary>The official input size of an architecture (width, height): 256 for Simple Baselines, 368 for CPM/NSRM/HandyPose, 320×240 for HandSegNet, 256 for PoseNet, 224 for the ResNets and FreiHAND.</summary>
    /// <param name="architecture">An architecture name.</param>
    /// <returns>The size in pixels.</returns>
    /// <exception cref="ArgumentException">Not an architecture the exporter writes.</exception>
    public static (int Width, int Height) DefaultInputSize(string architecture)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        EnsureSupported(architecture);
        return HeatmapOptions(architecture) is { } o ? (o.InputWidth, o.InputHeight) : architecture switch
        {
            "hand3d-handsegnet" => (320, 240),
            "hand3d-posenet" => (256, 256),
            _ => (224, 224),
        };
    }

    /// <summary>Exports a network with the weights it holds.</summary>
    /// <param name="architecture">The network's architecture.</param>
    /// <param name="model">A network made by <paramref name="architecture"/>'s <see cref="TorchArchitecture.Create"/>, on any device.</param>
    /// <param name="options">Input size; <see langword="null"/> for the official one.</param>
    /// <returns>The ONNX model's bytes and the spec written into its metadata.</returns>
    /// <exception cref="ArgumentException">The architecture is not supported, the module is not its network, or the input size is too small for it.</exception>
    /// <exception cref="BackendUnavailableException">libtorch does not load.</exception>
    public static (byte[] Model, PoseModelSpec Spec) Export(TorchArchitecture architecture, nn.Module model, TorchOnnxExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        ArgumentNullException.ThrowIfNull(model);
        EnsureSupported(architecture.Name);
        TorchRuntime.EnsureAvailable();
        if (!ArchitectureGraphs.IsNetworkOf(architecture.Name, model))
        {
            throw new ArgumentException($"The module ({model.GetType().Name}) is not a {architecture.Name} network; build it with that architecture's Create().", nameof(model));
        }

        (int width, int height) = Size(architecture.Name, options);
        IReadOnlyList<long[]> shapes = ProbeShapes(architecture, model, width, height);

        var graph = new OnnxGraphBuilder(architecture.Name.Replace('-', '_'), OpsetVersion)
        {
            DocString = $"{architecture.Name}: {architecture.Description}. Exported from TorchSharp by HandPose.",
        };
        graph.AddInput(InputName, OnnxElementType.Float, "N", 3, height, width);
        var emitter = new OnnxModuleEmitter(graph, [.. architecture.Outputs, FinalHeatmapsName]);
        IReadOnlyList<string> values = ArchitectureGraphs.Build(emitter, model, [InputName]);
        var outputs = new List<string>(architecture.Outputs);
        for (int i = 0; i < values.Count; i++)
        {
            emitter.Output(values[i], architecture.Outputs[i], shapes[i]);
        }

        string final = architecture.Outputs[0];
        if (shapes[^1].Length == 5)
        {
            // Stacked stages (N × T × K × h × w): the last one is the prediction.
            string last = emitter.Select1(values[^1], shapes[^1][1] - 1, FinalHeatmapsName);
            emitter.Output(last, FinalHeatmapsName, [shapes[^1][0], .. shapes[^1][2..]]);
            outputs.Add(FinalHeatmapsName);
            final = FinalHeatmapsName;
        }

        PoseModelSpec spec = Spec(architecture.Name, width, height, shapes[^1], final, outputs);
        foreach ((string key, string value) in spec.ToMetadata())
        {
            graph.SetMetadata(key, value);
        }

        graph.SetMetadata("handpose.exporter", $"HandPose.Torch.Export {graph.ProducerVersion}, opset {OpsetVersion}");
        return (graph.ToBytes(), spec);
    }

    /// <summary>Builds an architecture, loads its weights by their official names, and writes the ONNX model to a file.</summary>
    /// <param name="architecture">An architecture name (<see cref="SupportedArchitectures"/>).</param>
    /// <param name="weightsPath">A torch.save state dict or safetensors file; <see langword="null"/> for the default (random) initialisation.</param>
    /// <param name="outputPath">The <c>.onnx</c> file to write (replaced; written through a temporary file).</param>
    /// <param name="options">Input size; <see langword="null"/> for the official one.</param>
    /// <returns>The spec written into the model's metadata.</returns>
    /// <exception cref="ArgumentException">Unknown or unsupported architecture, or an input size too small for it.</exception>
    /// <exception cref="ModelLoadException">The weights cannot be read or do not fit the architecture.</exception>
    /// <exception cref="BackendUnavailableException">libtorch does not load.</exception>
    /// <exception cref="IOException">The output cannot be written.</exception>
    public static PoseModelSpec ExportFile(string architecture, string? weightsPath, string outputPath, TorchOnnxExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        ArgumentException.ThrowIfNullOrEmpty(outputPath);
        TorchArchitecture arch = TorchArchitectures.Get(architecture);
        EnsureSupported(arch.Name);
        using nn.Module model = arch.Create();
        if (weightsPath is not null)
        {
            StateDicts.Load(model, weightsPath);
        }

        (byte[] bytes, PoseModelSpec spec) = Export(arch, model, options);
        string full = Path.GetFullPath(outputPath);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        string temp = full + ".partial";
        File.WriteAllBytes(temp, bytes);
        File.Move(temp, full, overwrite: true);
        return spec;
    }

    private static bool IsSupportedName(string name) =>
        name.StartsWith("simplebaseline-", StringComparison.Ordinal) || name.StartsWith("freihand-", StringComparison.Ordinal)
        || name is "cpm" or "handypose" || name.StartsWith("nsrm-", StringComparison.Ordinal) || name is "resnet18" or "resnet50" or "resnet101"
        || name is "hand3d-handsegnet" or "hand3d-posenet";

    private static void EnsureSupported(string name)
    {
        if (!IsSupportedName(name))
        {
            throw new ArgumentException(
                $"The ONNX exporter does not write '{name}' yet; it writes {string.Join(", ", SupportedArchitectures)}.", nameof(name));
        }
    }

    private static TorchHeatmapEstimatorOptions? HeatmapOptions(string name) =>
        name is "cpm" or "handypose" || name.StartsWith("nsrm-", StringComparison.Ordinal) || name.StartsWith("simplebaseline-", StringComparison.Ordinal)
            ? TorchHeatmapEstimatorOptions.For(name) : null;

    private static (int Width, int Height) Size(string name, TorchOnnxExportOptions? options)
    {
        (int w, int h) = DefaultInputSize(name);
        w = options?.InputWidth ?? w;
        h = options?.InputHeight ?? h;
        if (w < 32 || h < 32)
        {
            throw new ArgumentException($"{name} needs an input of at least 32×32 pixels; got {w}×{h}.", nameof(options));
        }

        return (w, h);
    }

    /// <summary>The output shapes of one evaluation-mode forward pass on zeros (batch 1).</summary>
    private static IReadOnlyList<long[]> ProbeShapes(TorchArchitecture architecture, nn.Module model, int width, int height)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        bool training = model.training;
        model.eval();
        try
        {
            Device device = model.parameters().FirstOrDefault()?.device ?? CPU;
            Tensor x = zeros([1, 3, height, width], device: device);
            return [.. architecture.ForwardAll(model, [x]).Select(y => y.shape)];
        }
        finally
        {
            model.train(training);
        }
    }

    private static PoseModelSpec Spec(string name, int width, int height, long[] lastShape, string final, IReadOnlyList<string> outputs)
    {
        bool heatmaps = !name.StartsWith("resnet", StringComparison.Ordinal) && name != "hand3d-handsegnet";
        TorchHeatmapEstimatorOptions? o = HeatmapOptions(name);
        // hand3d feeds RGB in [-0.5, 0.5]: v / 255 − 0.5; the ResNet classifiers ImageNet's normalisation.
        Imaging.PixelNormalization? normalization = o?.Normalization
            ?? (name.StartsWith("hand3d-", StringComparison.Ordinal) ? Hand3dNormalization : name.StartsWith("resnet", StringComparison.Ordinal) ? Imaging.PixelNormalization.ImageNet : null);
        return new PoseModelSpec
        {
            Architecture = name,
            InputWidth = width,
            InputHeight = height,
            Mean = normalization?.Mean,
            Std = normalization?.Std,
            Bgr = o?.Bgr ?? false,
            Schema = heatmaps ? o?.Schema ?? KeypointSchema.Hand21 : null,
            HeatmapStride = heatmaps ? (int)(height / lastShape[^2]) : null,
            Decoder = heatmaps ? o?.Refinement ?? HeatmapRefinement.None : null,
            FinalOutput = final,
            Outputs = outputs,
        };
    }

    private static Imaging.PixelNormalization Hand3dNormalization { get; } = new([0.5f, 0.5f, 0.5f], [1f, 1f, 1f]);
}
