using HandPose.Torch.Models.Dsf;
using HandPose.Torch.Models.Hand3d;
using TorchSharp;
using static TorchSharp.torch;

namespace HandPose.Torch.Models;

/// <summary>
/// A network HandPose can build by name: what <c>handpose forward</c>, <c>export</c>, <c>train</c> and <c>eval</c>
/// take as <c>--arch</c>. Parameters carry the official PyTorch names, so official state dicts load unchanged.
/// </summary>
public sealed class TorchArchitecture
{
    private readonly Func<nn.Module> _create;
    private readonly Func<nn.Module, IReadOnlyList<Tensor>, IReadOnlyList<Tensor>> _forwardAll;
    private readonly Func<IReadOnlyList<Tensor>, Tensor> _final;

    private TorchArchitecture(string name, string description, int inputs, IReadOnlyList<string> outputs, Func<nn.Module> create,
        Func<nn.Module, IReadOnlyList<Tensor>, IReadOnlyList<Tensor>> forwardAll, Func<IReadOnlyList<Tensor>, Tensor> final)
    {
        Name = name;
        Description = description;
        Inputs = inputs;
        Outputs = outputs;
        _create = create;
        _forwardAll = forwardAll;
        _final = final;
    }

    /// <summary>The name (e.g. <c>simplebaseline-resnet18</c>).</summary>
    public string Name { get; }

    /// <summary>One line: what it is and what it returns.</summary>
    public string Description { get; }

    /// <summary>How many input tensors <see cref="Forward"/> takes.</summary>
    public int Inputs { get; }

    /// <summary>
    /// The names of the official outputs <see cref="ForwardAll"/> returns, in the official order (<c>output</c> for a
    /// network with one output; e.g. <c>structure</c>, <c>keypoints</c> for NSRM).
    /// </summary>
    public IReadOnlyList<string> Outputs { get; }

    /// <summary>Builds the network with its default (official) initialisation.</summary>
    /// <exception cref="BackendUnavailableException">libtorch does not load.</exception>
    public nn.Module Create()
    {
        TorchRuntime.EnsureAvailable();
        return _create();
    }

    /// <summary>
    /// Runs a network made by <see cref="Create"/> on its inputs and returns its final output: the output itself for a
    /// single-output network, the last stage's heatmaps (N × joints × h × w) for a multi-stage one.
    /// </summary>
    /// <param name="model">The network.</param>
    /// <param name="inputs">Exactly <see cref="Inputs"/> tensors.</param>
    /// <exception cref="ArgumentException">Wrong number of inputs.</exception>
    public Tensor Forward(nn.Module model, IReadOnlyList<Tensor> inputs)
    {
        using var scope = NewDisposeScope();
        return _final(ForwardAll(model, inputs)).MoveToOuterDisposeScope();
    }

    /// <summary>Runs a network made by <see cref="Create"/> and returns every official output, named by <see cref="Outputs"/>.</summary>
    /// <param name="model">The network.</param>
    /// <param name="inputs">Exactly <see cref="Inputs"/> tensors.</param>
    /// <exception cref="ArgumentException">Wrong number of inputs.</exception>
    public IReadOnlyList<Tensor> ForwardAll(nn.Module model, IReadOnlyList<Tensor> inputs)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Count != Inputs)
        {
            throw new ArgumentException($"{Name} takes {Inputs} input(s), got {inputs.Count}.", nameof(inputs));
        }

        return _forwardAll(model, inputs);
    }

    /// <inheritdoc/>
    public override string ToString() => Name;

    /// <summary>An architecture whose network maps one tensor to one tensor.</summary>
    internal static TorchArchitecture Single<TModule>(string name, string description, Func<TModule> create)
        where TModule : nn.Module<Tensor, Tensor> =>
        new(name, description, 1, ["output"], create, (m, x) => [((TModule)m).call(x[0])], y => y[0]);

    /// <summary>An architecture whose one output stacks every stage (N × stages × joints × h × w); its final output is the last stage.</summary>
    internal static TorchArchitecture Staged<TModule>(string name, string description, string output, Func<TModule> create)
        where TModule : nn.Module<Tensor, Tensor> =>
        new(name, description, 1, [output], create, (m, x) => [((TModule)m).call(x[0])], y => y[0].select(1, -1));

    /// <summary>A network with two staged outputs; its final output is the last stage of the second.</summary>
    internal static TorchArchitecture Pair<TModule>(string name, string description, string first, string second, Func<TModule> create)
        where TModule : nn.Module<Tensor, (Tensor, Tensor)> =>
        new(name, description, 1, [first, second], create, (m, x) =>
        {
            (Tensor a, Tensor b) = ((TModule)m).call(x[0]);
            return [a, b];
        }, y => y[1].select(1, -1));

    /// <summary>An architecture whose network maps two tensors to one tensor.</summary>
    internal static TorchArchitecture TwoInputs<TModule>(string name, string description, Func<TModule> create)
        where TModule : nn.Module<Tensor, Tensor, Tensor> =>
        new(name, description, 2, ["output"], create, (m, x) => [((TModule)m).call(x[0], x[1])], y => y[0]);
}

/// <summary>The registry of architectures by name (the model zoo adds its networks here).</summary>
public static class TorchArchitectures
{
    /// <summary>Every architecture, in the order <c>handpose forward --help</c> lists them.</summary>
    public static IReadOnlyList<TorchArchitecture> All { get; } =
    [
        TorchArchitecture.Single("resnet18", "torchvision ResNet-18 classifier (1000 logits)", () => torchvision.models.resnet18()),
        TorchArchitecture.Single("resnet50", "torchvision ResNet-50 classifier (1000 logits)", () => torchvision.models.resnet50()),
        TorchArchitecture.Single("resnet101", "torchvision ResNet-101 classifier (1000 logits)", () => torchvision.models.resnet101()),
        TorchArchitecture.Single("simplebaseline-resnet18", "Simple Baselines pose_resnet, ResNet-18, 21 heatmaps at 1/4 of the input", () => new SimpleBaseline(ResNetDepth.ResNet18)),
        TorchArchitecture.Single("simplebaseline-resnet50", "Simple Baselines pose_resnet, ResNet-50, 21 heatmaps at 1/4 of the input", () => new SimpleBaseline(ResNetDepth.ResNet50)),
        TorchArchitecture.Single("simplebaseline-resnet101", "Simple Baselines pose_resnet, ResNet-101, 21 heatmaps at 1/4 of the input", () => new SimpleBaseline(ResNetDepth.ResNet101)),
        TorchArchitecture.Single("freihand-resnet18", "FreiHAND seed PoseNetwork (encoder/decoder names), ResNet-18, 21 heatmaps at 1/4 of the input", () => new FreiHandPoseNetwork(ResNetDepth.ResNet18)),
        TorchArchitecture.Single("freihand-resnet34", "FreiHAND seed PoseNetwork (encoder/decoder names), ResNet-34, 21 heatmaps at 1/4 of the input", () => new FreiHandPoseNetwork(ResNetDepth.ResNet34)),
        TorchArchitecture.Single("freihand-resnet50", "FreiHAND seed PoseNetwork (encoder/decoder names), ResNet-50, 21 heatmaps at 1/4 of the input", () => new FreiHandPoseNetwork(ResNetDepth.ResNet50)),
        TorchArchitecture.Single("freihand-resnet101", "FreiHAND seed PoseNetwork (encoder/decoder names), ResNet-101, 21 heatmaps at 1/4 of the input", () => new FreiHandPoseNetwork(ResNetDepth.ResNet101)),
        TorchArchitecture.Single("freihand-resnet152", "FreiHAND seed PoseNetwork (encoder/decoder names), ResNet-152, 21 heatmaps at 1/4 of the input", () => new FreiHandPoseNetwork(ResNetDepth.ResNet152)),
        TorchArchitecture.Staged("cpm", "NSRMhand CPM baseline (CPMHand), 6 stages of 21 heatmaps at 1/8 of the input, stacked N x 6 x 21 x h x w", "stages", () => new Cpm()),
        TorchArchitecture.Pair("nsrm-ldm-g1", "NSRM, LDM G1 structure (CPMHandLimb lshc=1): structure N x 3 x 1 x h x w (sigmoid), keypoints N x 3 x 21 x h x w", "structure", "keypoints", () => new Nsrm(NsrmGrouping.G1)),
        TorchArchitecture.Pair("nsrm-ldm-g6", "NSRM, LDM G6 structure (CPMHandLimb lshc=6): structure N x 3 x 6 x h x w (sigmoid), keypoints N x 3 x 21 x h x w", "structure", "keypoints", () => new Nsrm(NsrmGrouping.G6)),
        TorchArchitecture.Pair("nsrm-ldm-g1g6", "NSRM, LDM G1&6 structure (CPMHandLimb lshc=7): structure N x 3 x 7 x h x w (sigmoid), keypoints N x 3 x 21 x h x w", "structure", "keypoints", () => new Nsrm(NsrmGrouping.G1And6)),
        TorchArchitecture.Pair("nsrm-lpm-g1", "NSRM, LPM G1 structure (CPMHandLimb lshc=1): structure N x 3 x 1 x h x w (sigmoid), keypoints N x 3 x 21 x h x w", "structure", "keypoints", () => new Nsrm(NsrmGrouping.G1)),
        TorchArchitecture.Pair("nsrm-lpm-g6", "NSRM, LPM G6 structure (CPMHandLimb lshc=6): structure N x 3 x 6 x h x w (sigmoid), keypoints N x 3 x 21 x h x w", "structure", "keypoints", () => new Nsrm(NsrmGrouping.G6)),
        TorchArchitecture.Pair("nsrm-lpm-g1g6", "NSRM, LPM G1&6 structure, the released model (CPMHandLimb lshc=7): structure N x 3 x 7 x h x w (sigmoid), keypoints N x 3 x 21 x h x w", "structure", "keypoints", () => new Nsrm(NsrmGrouping.G1And6)),
        TorchArchitecture.Single("handypose", "HandyPose, dilated ResNet-101 (output stride 16) + Multi-Level Waterfall (WASPv2) and decoder, 21 heatmaps at 1/8 of the input", () => new HandyPose()),
        TorchArchitecture.Single("hand3d-handsegnet", "hand3d HandSegNet: RGB in [-0.5, 0.5] -> background/hand logits at the input size", () => new HandSegNet()),
        TorchArchitecture.Single("hand3d-posenet", "hand3d PoseNet: 256x256 RGB crop in [-0.5, 0.5] -> 21 score maps at 1/8 (stage 3)", () => new Hand3dPoseNet()),
        TorchArchitecture.TwoInputs<Hand3dPosePrior>("hand3d-poseprior", "hand3d PosePrior + ViewpointNet: 21x32x32 score maps and a one-hot hand side -> 21x3 normalized 3D keypoints", () => new Hand3dPosePrior()),
        TorchArchitecture.Single("dsf-depth-resnet18", "DSF depth branch (stage 1, MANO-free): 1x128x128 normalized depth -> 84 dense maps at 64x64 (63 unit offsets + 21 heatmaps)", () => new DsfDepthNet()),
    ];

    /// <summary>The architecture of that name.</summary>
    /// <param name="name">An architecture name (case-sensitive, as listed in <see cref="All"/>).</param>
    /// <exception cref="ArgumentException">No architecture has that name; the message lists the names.</exception>
    public static TorchArchitecture Get(string name) =>
        All.FirstOrDefault(a => a.Name == name)
        ?? throw new ArgumentException($"Unknown architecture '{name}'; known: {string.Join(", ", All.Select(a => a.Name))}.", nameof(name));
}
