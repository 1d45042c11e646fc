using HandPose.Torch.Models;
using HandPose.Torch.Models.Dsf;
using HandPose.Torch.Serialization;
using HandPose.Torch.Tests.Hand3d;
using static TorchSharp.torch;

namespace HandPose.Torch.Tests.Dsf;

/// <summary>DSF's stage-1 depth network and joint decoding against an independent PyTorch implementation.</summary>
public sealed class DsfTests : TorchTestBase
{
    private Hand3dReferences _refs = null!;

    [OneTimeSetUp]
    public void Generate() => _refs = new Hand3dReferences("dsf", "make_dsf_references.py");

    [OneTimeTearDown]
    public void Delete() => _refs?.Dispose();

    [Test]
    public void Dsf_depth_net_reproduces_pytorch_by_official_names()
    {
        TorchArchitecture arch = TorchArchitectures.Get("dsf-depth-resnet18");
        using nn.Module model = arch.Create();
        StateDicts.Load(model, _refs.Path("dsf.pt"));
        model.eval();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor depth = _refs.Tensor("dsf_in.npy");
        Tensor dense = arch.Forward(model, [depth]);
        _refs.AssertClose(dense, "dsf_out.npy", 1e-5);
        (Tensor dense2, Tensor mano) = ((DsfDepthNet)model).ForwardWithManoParameters(depth);
        _refs.AssertClose(dense2, "dsf_out.npy", 1e-5);
        _refs.AssertClose(mano, "dsf_mano.npy", 1e-5);
        _refs.AssertClose(DsfDecoding.OffsetToJoints(dense, depth), "dsf_joints.npy", 1e-5);
        Assert.That(model.state_dict().Keys, Does.Contain("pre.0.weight").And.Contain("mano_regress.2.weight").And.Contain("deconv_layer2.1.running_var")
            .And.Contain("finals.1.bias").And.Contain("layer4.1.bn2.num_batches_tracked"));
    }

    [Test]
    public void Dsf_has_the_measured_stage1_size_and_rejects_other_inputs()
    {
        using var model = new DsfDepthNet();
        long parameters = model.parameters().Sum(p => p.numel());
        Assert.That(parameters, Is.InRange(15_300_000L, 15_500_000L), "architectures.md: stage 1 about 15.4 M parameters");
        using var scope = NewDisposeScope();
        Assert.Throws<InputShapeException>(() => model.call(zeros(1, 3, 128, 128)));
        Assert.Throws<InputShapeException>(() => DsfDecoding.OffsetToJoints(zeros(1, 83, 64, 64), zeros(1, 1, 128, 128)));
    }

    [Test]
    public void Decoding_recovers_a_joint_from_exact_dense_maps()
    {
        // One joint at (u, v, d) = (0.1, -0.2, 0.05); maps encoded as DSF's joint2offset does, on a flat foreground.
        const int f = 16;
        var maps = new float[4 * f * f];
        float[] joint = [0.1f, -0.2f, 0.05f];
        for (int row = 0; row < f; row++)
        {
            for (int col = 0; col < f; col++)
            {
                float[] p = [(2f * (col + 0.5f) / f) - 1f, (2f * (row + 0.5f) / f) - 1f, 0f];
                float[] o = [joint[0] - p[0], joint[1] - p[1], joint[2] - p[2]];
                float dist = MathF.Sqrt((o[0] * o[0]) + (o[1] * o[1]) + (o[2] * o[2]));
                float heat = (0.8f - dist) / 0.8f;
                bool inside = heat >= 0;
                for (int c = 0; c < 3; c++)
                {
                    maps[(c * f * f) + (row * f) + col] = inside ? o[c] / dist : 0;
                }

                maps[(3 * f * f) + (row * f) + col] = inside ? heat : 0;
            }
        }

        using var scope = NewDisposeScope();
        Tensor joints = DsfDecoding.OffsetToJoints(tensor(maps, [1, 4, f, f]), zeros(1, 1, f, f), scale: 30);
        Assert.That(joints.data<float>().ToArray(), Is.EqualTo(joint).Within(1e-4));
    }
}
