using HandPose.Testing;
using HandPose.Torch.Estimators;
using HandPose.Torch.Models;
using HandPose.Torch.Models.Hand3d;
using HandPose.Torch.Serialization;
using static TorchSharp.torch;

namespace HandPose.Torch.Tests.Hand3d;

/// <summary>
/// PosePrior + ViewpointNet against the independent PyTorch implementation, the TF pickle reader on every pickle
/// flavour, weight-mismatch reports, TF1 resize / crop_and_resize and the canonical frame against numpy.
/// </summary>
public sealed class Hand3dSmallTests : TorchTestBase
{
    private Hand3dReferences _refs = null!;

    [OneTimeSetUp]
    public void Generate() => _refs = new Hand3dReferences("small");

    [OneTimeTearDown]
    public void Delete() => _refs?.Dispose();

    [Test]
    public void PosePrior_state_dict_reproduces_pytorch_through_the_registry()
    {
        TorchArchitecture arch = TorchArchitectures.Get("hand3d-poseprior");
        Assert.That(arch.Inputs, Is.EqualTo(2));
        using nn.Module model = arch.Create();
        StateDicts.Load(model, _refs.Path("hand3d_poseprior.pt"));
        model.eval();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor maps = _refs.Tensor("hand3d_poseprior_in.npy"), side = _refs.Tensor("hand3d_poseprior_side.npy");
        _refs.AssertClose(arch.Forward(model, [maps, side]), "hand3d_poseprior_out.npy", 1e-5);
        using Hand3dPosePriorOutput parts = ((Hand3dPosePrior)model).Predict(maps, side);
        _refs.AssertClose(parts.Canonical, "hand3d_poseprior_can.npy", 1e-5);
        _refs.AssertClose(parts.Rotation, "hand3d_poseprior_rot.npy", 1e-5);

        // A rotation matrix: R Rᵀ = I.
        Tensor rrt = matmul(parts.Rotation, parts.Rotation.transpose(1, 2));
        Assert.That((rrt - eye(3)).abs().max().item<float>(), Is.LessThan(1e-5));
    }

    [Test]
    public void PosePrior_from_the_official_tf_pickle_layout_equals_the_state_dict()
    {
        using var fromPt = new Hand3dPosePrior();
        using var fromTf = new Hand3dPosePrior();
        StateDicts.Load(fromPt, _refs.Path("hand3d_poseprior.pt"));
        StateDicts.Load(fromTf, _refs.Path("poseprior_p2.pickle"));
        fromPt.eval();
        fromTf.eval();
        using var scope = NewDisposeScope();
        foreach ((string name, Tensor t) in fromPt.state_dict())
        {
            Assert.That(fromTf.state_dict()[name].allclose(t, 0, 0), Is.True, name);
        }

        using var noGrad = no_grad();
        Tensor maps = _refs.Tensor("hand3d_poseprior_in.npy"), side = _refs.Tensor("hand3d_poseprior_side.npy");
        _refs.AssertClose(fromTf.call(maps, side), "hand3d_poseprior_out.npy", 1e-5);
    }

    [TestCase("tiny_p2.pickle")]
    [TestCase("tiny_p3.pickle")]
    [TestCase("tiny_p4.pickle")]
    [TestCase("tiny_p5.pickle")]
    [TestCase("tiny_py2.pickle")]
    public void Tf_pickles_of_every_protocol_read_exactly(string file)
    {
        Dictionary<string, Tensor> arrays = TensorFlowWeights.Read(_refs.Path(file));
        try
        {
            Assert.That(arrays.Keys, Is.EquivalentTo(new[] { "Net/conv/weights", "Net/conv/biases", "Net/fc/weights", "Net/fortran/weights", "Net/big_endian/biases", "global_step" }));
            foreach ((string name, Tensor t) in arrays.Where(kv => kv.Key != "global_step"))
            {
                HandPose.IO.NpyArray expected = _refs.Npy($"tiny_{name.Replace('/', '_')}.npy");
                Assert.That(t.dtype, Is.EqualTo(ScalarType.Float32), name);
                Assert.That(t.shape.Select(d => (int)d), Is.EqualTo(expected.Shape), name);
                Assert.That(t.data<float>().ToArray(), Is.EqualTo(expected.Data), name); // float64 → float32 rounds like numpy
            }

            Assert.That(arrays["global_step"].dtype, Is.EqualTo(ScalarType.Int64));
            Assert.That(arrays["global_step"].item<long>(), Is.EqualTo(1234));
        }
        finally
        {
            foreach (Tensor t in arrays.Values)
            {
                t.Dispose();
            }
        }
    }

    [Test]
    public void Rhd_annotations_and_tf_weights_read_right_in_one_process_in_either_order()
    {
        // Both are pickles of NumPy arrays; Razorvine's constructor registry is process-wide, so two readers that
        // register their own NumPy constructors break each other: whichever registered last wins. Read RHD, TF, RHD, TF.
        string rhd = RepoPaths.Tests("HandPose.Datasets.Tests", "TestData", "rhd");
        string rhdProtocol2 = RepoPaths.NewTempDirectory();
        Directory.CreateDirectory(Path.Combine(rhdProtocol2, "evaluation"));
        File.Copy(RepoPaths.Tests("HandPose.Datasets.Tests", "TestData", "rhd-bad", "anno_protocol2.pickle"), Path.Combine(rhdProtocol2, "evaluation", "anno_evaluation.pickle"));
        HandPose.IO.NpyArray fc = _refs.Npy("tiny_Net_fc_weights.npy");
        for (int round = 0; round < 2; round++)
        {
            foreach (string root in new[] { rhd, rhdProtocol2 })
            {
                HandPose.Datasets.HandSample left = HandPose.Datasets.Rhd.Load(root, "evaluation").Samples[0];
                Assert.That((left.Keypoints[1].X, left.Keypoints[1].Y), Is.EqualTo((18.5f, 104.25f)), $"round {round}: {root}");
                Assert.That(left.Keypoints3D![1].Z, Is.EqualTo(514f).Within(1e-3), $"round {round}: {root}");
            }

            foreach (string file in new[] { "tiny_p2.pickle", "tiny_py2.pickle", "tiny_p5.pickle" })
            {
                Dictionary<string, Tensor> arrays = TensorFlowWeights.Read(_refs.Path(file));
                try
                {
                    Assert.That(arrays["Net/fc/weights"].data<float>().ToArray(), Is.EqualTo(fc.Data), $"round {round}: {file}");
                    Assert.That(arrays["global_step"].item<long>(), Is.EqualTo(1234), $"round {round}: {file}");
                }
                finally
                {
                    foreach (Tensor t in arrays.Values)
                    {
                        t.Dispose();
                    }
                }
            }
        }
    }

    [Test]
    public void Misfitting_tf_weights_are_reported_by_tf_name()
    {
        using var model = new Hand3dPosePrior();
        var ex = Assert.Throws<ModelLoadException>(() => StateDicts.Load(model, _refs.Path("poseprior_bad.pickle")))!;
        Assert.That(ex.Message, Does.Contain("poseprior_bad.pickle")
            .And.Contain("'PosePrior/conv_pose_0_1/weights' has shape [3, 3, 20, 32], the model needs [3, 3, 21, 32]")
            .And.Contain("missing 'ViewpointNet/fc_vp_uz/biases'")
            .And.Contain("missing 'PosePrior/fc_rel0/weights'")
            .And.Contain("unexpected 'PosePrior/fc_extra/weights'"));
        Assert.That(ex.Message, Does.Not.Contain("OtherNet"), "other networks' scopes in the same file are not this network's business");

        using var seg = new HandSegNet();
        var none = Assert.Throws<ModelLoadException>(() => StateDicts.Load(seg, _refs.Path("poseprior_p2.pickle")))!;
        Assert.That(none.Message, Does.Contain("no variable under HandSegNet/").And.Contain("PosePrior, ViewpointNet"));
    }

    [Test]
    public void A_state_dict_of_another_network_is_reported_by_name()
    {
        using var seg = new HandSegNet();
        var ex = Assert.Throws<ModelLoadException>(() => StateDicts.Load(seg, _refs.Path("hand3d_poseprior.pt")))!;
        Assert.That(ex.Message, Does.Contain("missing 'conv1_1.weight'").And.Contain("and 60 more"));
        using var posenet = new Hand3dPoseNet();
        ex = Assert.Throws<ModelLoadException>(() => StateDicts.Load(posenet, _refs.Path("hand3d_poseprior.pt")))!;
        Assert.That(ex.Message, Does.Contain("missing 'conv1_1.weight'"));
    }

    [Test]
    public void A_tf_pickle_is_refused_by_networks_without_tf_names_and_by_Read()
    {
        using var small = nn.Sequential(nn.Linear(2, 2));
        Assert.That(Assert.Throws<ModelLoadException>(() => StateDicts.Load(small, _refs.Path("tiny_p2.pickle")))!.Message,
            Does.Contain("has no TensorFlow names"));
        Assert.That(Assert.Throws<ModelLoadException>(() => StateDicts.Read(_refs.Path("tiny_p3.pickle")))!.Message,
            Does.Contain("pickle of TensorFlow variables"));
    }

    [Test]
    public void Truncated_and_foreign_pickles_are_model_load_exceptions()
    {
        string dir = _refs.Dir;
        byte[] bytes = File.ReadAllBytes(_refs.Path("tiny_p2.pickle"));
        string truncated = Path.Combine(dir, "truncated.pickle");
        File.WriteAllBytes(truncated, bytes[..(bytes.Length * 2 / 3)]);
        Assert.That(Assert.Throws<ModelLoadException>(() => TensorFlowWeights.Read(truncated))!.Message, Does.Contain(truncated));
        string list = Path.Combine(dir, "list.pickle");
        File.WriteAllBytes(list, [0x80, 0x02, 0x5d, 0x71, 0x00, 0x2e]); // protocol 2: an empty list
        Assert.That(Assert.Throws<ModelLoadException>(() => TensorFlowWeights.Read(list))!.Message, Does.Contain("not a dict"));
    }

    [Test]
    public void Tf1_resize_images_matches_numpy()
    {
        using var scope = NewDisposeScope();
        _refs.AssertClose(TfLayers.ResizeBilinear(_refs.Tensor("tf_resize_in.npy"), 20, 13), "tf_resize_out.npy", 1e-6);
    }

    [TestCase(0)]
    [TestCase(1)]
    public void Tf1_crop_and_resize_matches_numpy_including_extrapolation(int k)
    {
        using var scope = NewDisposeScope();
        float[] box = _refs.Npy("tf_crop_boxes.npy").Data[(4 * k)..((4 * k) + 4)];
        Tensor crop = TfLayers.CropAndResize(_refs.Tensor("tf_resize_in.npy"), box[0], box[1], box[2], box[3], 11);
        _refs.AssertClose(crop, $"tf_crop_out{k}.npy", 1e-6);
        Assert.That(crop.eq(0).any().item<bool>(), Is.True, "the boxes reach outside the image: some samples are the extrapolation value");
    }

    [Test]
    public void Canonical_frame_matches_numpy_and_its_definition()
    {
        float[] xyz = _refs.Npy("canonical_in.npy").Data;
        float[] can = _refs.Npy("canonical_can.npy").Data, rot = _refs.Npy("canonical_rot.npy").Data;
        float[] scale = _refs.Npy("canonical_scale.npy").Data, rel = _refs.Npy("canonical_rel.npy").Data;
        for (int h = 0; h < 2; h++)
        {
            var c = new float[63];
            var r = new float[9];
            float s = Hand3dCanonicalFrame.Compute(xyz.AsSpan(63 * h, 63), rightHand: h == 1, c, r);
            Assert.That(s, Is.EqualTo(scale[h]).Within(1e-6));
            Assert.That(c, Is.EqualTo(can[(63 * h)..(63 * (h + 1))]).Within(1e-5));
            Assert.That(r, Is.EqualTo(rot[(9 * h)..(9 * (h + 1))]).Within(1e-5));

            // Definition: kp12 on the negative y axis, kp20 in the x-y plane with x > 0; flip(can) · R = the normalized input.
            Assert.That(new[] { c[36], c[38] }, Is.EqualTo(new[] { 0f, 0f }).Within(1e-5));
            Assert.That(c[37], Is.LessThan(0));
            Assert.That(c[62], Is.EqualTo(0f).Within(1e-5));
            Assert.That(c[60], Is.GreaterThan(0));
            for (int k = 0; k < 21; k++)
            {
                for (int col = 0; col < 3; col++)
                {
                    double v = 0;
                    for (int i = 0; i < 3; i++)
                    {
                        v += c[(3 * k) + i] * (h == 1 && i == 2 ? -1 : 1) * r[(3 * i) + col];
                    }

                    Assert.That(v, Is.EqualTo(rel[(63 * h) + (3 * k) + col]).Within(1e-5), $"hand {h} keypoint {k}");
                }
            }
        }

        var bad = new float[63];
        Assert.Throws<ArgumentException>(() => Hand3dCanonicalFrame.Compute(bad, false, new float[63], new float[9]));
        Assert.Throws<ArgumentException>(() => Hand3dCanonicalFrame.Compute(new float[60], false, new float[63], new float[9]));
    }

    [Test]
    public void PosePrior_rejects_wrong_shapes_and_drops_out_only_in_training()
    {
        using var model = new Hand3dPosePrior();
        using var scope = NewDisposeScope();
        Assert.Throws<InputShapeException>(() => model.Predict(randn(1, 21, 16, 16), ones(1, 2)));
        Assert.Throws<InputShapeException>(() => model.Predict(randn(2, 21, 32, 32), ones(1, 2)));
        Tensor maps = randn(1, 21, 32, 32), side = tensor(new float[] { 1, 0 }, [1, 2]);
        model.eval();
        Tensor a = model.call(maps, side), b = model.call(maps, side);
        Assert.That(a.allclose(b, 0, 0), Is.True);
        model.train();
        Assert.That(model.call(maps, side).allclose(a, 0, 0), Is.False, "dropout (keep 0.8 / 0.75) in training mode");
    }

    [Test]
    public void Hand21_order_maps_to_hand3d_order_by_reversing_each_finger()
    {
        int[] expected = [0, 4, 3, 2, 1, 8, 7, 6, 5, 12, 11, 10, 9, 16, 15, 14, 13, 20, 19, 18, 17];
        Assert.That(Enumerable.Range(0, 21).Select(Hand3dEstimator.ToHand3dIndex), Is.EqualTo(expected));
    }

    [Test]
    public void Registry_lists_the_hand3d_networks()
    {
        Assert.That(TorchArchitectures.All.Select(a => a.Name), Is.SupersetOf(new[] { "hand3d-handsegnet", "hand3d-posenet", "hand3d-poseprior" }));
        Assert.That(TorchArchitectures.Get("hand3d-posenet").Inputs, Is.EqualTo(1));
    }
}
