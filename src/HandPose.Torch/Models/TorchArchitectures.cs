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
    private readonly Func<nn.Module, IReadOnlyList<Tensor>, Tensor> _forward;

    private TorchArchitecture(string name, string description, int inputs, Func<nn.Module> create, Func<nn.Module, IReadOnlyList<Tensor>, Tensor> forward)
    {
        Name = name;
        Description = description;
        Inputs = inputs;
        _create = create;
        _forward = forward;
    }

    /// <summary>The name (e.g. <c>simplebaseline-resnet18</c>).</summary>
    public string Name { get; }

    /// <summary>One line: what it is and what it returns.</summary>
    public string Description { get; }

    /// <summary>How many input tensors <see cref="Forward"/> takes.</summary>
    public int Inputs { get; }

    /// <summary>Builds the network with its default (official) initialisation.</summary>
    /// <exception cref="BackendUnavailableException">libtorch does not load.</exception>
    public nn.Module Create()
    {
        TorchRuntime.EnsureAvailable();
        return _create();
    }

    /// <summary>Runs a network made by <see cref="Create"/> on its inputs and returns its final output.</summary>
    /// <param name="model">The network.</param>
    /// <param name="inputs">Exactly <see cref="Inputs"/> tensors.</param>
    /// <exception cref="ArgumentException">Wrong number of inputs.</exception>
    public Tensor Forward(nn.Module model, IReadOnlyList<Tensor> inputs)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Count != Inputs)
        {
            throw new ArgumentException($"{Name} takes {Inputs} input(s), got {inputs.Count}.", nameof(inputs));
        }

        return _forward(model, inputs);
    }

    /// <inheritdoc/>
    public override string ToString() => Name;

    /// <summary>An architecture whose network maps one tensor to one tensor.</summary>
    internal static TorchArchitecture Single<TModule>(string name, string description, Func<TModule> create)
        where TModule : nn.Module<Tensor, Tensor> =>
        new(name, description, 1, create, (m, x) => ((TModule)m).call(x[0]));

    /// <summary>An architecture whose network maps two tensors to one tensor.</summary>
    internal static TorchArchitecture Pair<TModule>(string name, string description, Func<TModule> create)
        where TModule : nn.Module<Tensor, Tensor, Tensor> =>
        new(name, description, 2, create, (m, x) => ((TModule)m).call(x[0], x[1]));
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
        TorchArchitecture.Single("hand3d-handsegnet", "hand3d HandSegNet: RGB in [-0.5, 0.5] -> background/hand logits at the input size", () => new HandSegNet()),
        TorchArchitecture.Single("hand3d-posenet", "hand3d PoseNet: 256x256 RGB crop in [-0.5, 0.5] -> 21 score maps at 1/8 (stage 3)", () => new Hand3dPoseNet()),
        TorchArchitecture.Pair<Hand3dPosePrior>("hand3d-poseprior", "hand3d PosePrior + ViewpointNet: 21x32x32 score maps and a one-hot hand side -> 21x3 normalized 3D keypoints", () => new Hand3dPosePrior()),
        TorchArchitecture.Single("dsf-depth-resnet18", "DSF depth branch (stage 1, MANO-free): 1x128x128 normalized depth -> 84 dense maps at 64x64 (63 unit offsets + 21 heatmaps)", () => new DsfDepthNet()),
    ];

    /// <summary>The architecture of that name.</summary>
    /// <param name="name">An architecture name (case-sensitive, as listed in <see cref="All"/>).</param>
    /// <exception cref="ArgumentException">No architecture has that name; the message lists the names.</exception>
    public static TorchArchitecture Get(string name) =>
        All.FirstOrDefault(a => a.Name == name)
        ?? throw new ArgumentException($"Unknown architecture '{name}'; known: {string.Join(", ", All.Select(a => a.Name))}.", nameof(name));
}
