using HandPose.IO;
using HandPose.Torch.Models;
using HandPose.Torch.Models.Hand3d;
using HandPose.Torch.Serialization;
using static TorchSharp.torch;

namespace HandPose.Torch.Tests.Hand3d;

/// <summary>HandSegNet against the independent PyTorch implementation: state dict, official TF pickle, <c>handpose forward</c>.</summary>
public sealed class HandSegNetParityTests : TorchTestBase
{
    private Hand3dReferences _refs = null!;

    [OneTimeSetUp]
    public void Generate() => _refs = new Hand3dReferences("segnet");

    [OneTimeTearDown]
    public void Delete() => _refs?.Dispose();

    [TestCase("hand3d_segnet.pt")]
    [TestCase("handsegnet.pickle")]
    public void HandSegNet_reproduces_pytorch_from_both_weight_formats(string weights)
    {
        TorchArchitecture arch = TorchArchitectures.Get("hand3d-handsegnet");
        using nn.Module model = arch.Create();
        StateDicts.Load(model, _refs.Path(weights));
        model.eval();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        _refs.AssertClose(arch.Forward(model, [_refs.Tensor("hand3d_segnet_in.npy")]), "hand3d_segnet_out.npy", 1e-5);
    }

    [Test]
    public void Handpose_forward_runs_handsegnet_on_the_official_pickle()
    {
        string output = Path.Combine(_refs.Dir, "cli_out.npy");
        (int code, string text) = Sibling.Run("HandPose.Cli", "handpose.dll", "forward", "--arch", "hand3d-handsegnet",
            "--weights", _refs.Path("handsegnet.pickle"), "--input", _refs.Path("hand3d_segnet_in.npy"), "--out", output);
        Assert.That(code, Is.Zero, text);
        NpyArray actual = NpyArray.Load(output);
        using var scope = NewDisposeScope();
        _refs.AssertClose(tensor(actual.Data, [.. actual.Shape.Select(d => (long)d)]), "hand3d_segnet_out.npy", 1e-5);
    }
}

/// <summary>PoseNet (3 stages) and the lifting networks from one official-layout pickle, against PyTorch.</summary>
public sealed class Hand3dPoseNetParityTests : TorchTestBase
{
    private Hand3dReferences _refs = null!;

    [OneTimeSetUp]
    public void Generate() => _refs = new Hand3dReferences("posenet3d");

    [OneTimeTearDown]
    public void Delete() => _refs?.Dispose();

    [TestCase("hand3d_posenet.pt")]
    [TestCase("posenet3d.pickle")]
    public void PoseNet_reproduces_all_three_stages_from_both_weight_formats(string weights)
    {
        TorchArchitecture arch = TorchArchitectures.Get("hand3d-posenet");
        using nn.Module model = arch.Create();
        StateDicts.Load(model, _refs.Path(weights));
        model.eval();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor input = _refs.Tensor("hand3d_posenet_in.npy");
        _refs.AssertClose(arch.Forward(model, [input]), "hand3d_posenet_out3.npy", 1e-5);
        Tensor[] stages = ((Hand3dPoseNet)model).Stages(input);
        Assert.That(stages, Has.Length.EqualTo(3));
        for (int i = 0; i < 3; i++)
        {
            _refs.AssertClose(stages[i], $"hand3d_posenet_out{i + 1}.npy", 1e-5);
        }
    }

    [Test]
    public void The_lifting_networks_load_from_the_same_pickle_as_posenet()
    {
        using var model = new Hand3dPosePrior();
        StateDicts.Load(model, _refs.Path("posenet3d.pickle"));
        model.eval();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        _refs.AssertClose(model.call(_refs.Tensor("hand3d_poseprior_in.npy"), _refs.Tensor("hand3d_poseprior_side.npy")), "hand3d_poseprior_out.npy", 1e-5);
    }

    [Test]
    public void Handpose_forward_runs_poseprior_with_two_inputs_on_the_official_pickle()
    {
        string output = Path.Combine(_refs.Dir, "cli_prior.npy");
        (int code, string text) = Sibling.Run("HandPose.Cli", "handpose.dll", "forward", "--arch", "hand3d-poseprior",
            "--weights", _refs.Path("posenet3d.pickle"), "--input", _refs.Path("hand3d_poseprior_in.npy"),
            "--input", _refs.Path("hand3d_poseprior_side.npy"), "--out", output);
        Assert.That(code, Is.Zero, text);
        NpyArray actual = NpyArray.Load(output);
        using var scope = NewDisposeScope();
        _refs.AssertClose(tensor(actual.Data, [.. actual.Shape.Select(d => (long)d)]), "hand3d_poseprior_out.npy", 1e-5);
    }
}
