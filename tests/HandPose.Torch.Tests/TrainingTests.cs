using System.Diagnostics;
using HandPose.Datasets.Training;
using HandPose.Synthetic;
using HandPose.Testing;
using HandPose.Torch.Models;
using HandPose.Torch.Serialization;
using HandPose.Torch.Training;
using static TorchSharp.torch;

namespace HandPose.Torch.Tests;

/// <summary>The official losses against PyTorch, and the trainer's exact resume.</summary>
public sealed class TrainingTests : TorchTestBase
{
    private const string LossReference = """
        import sys, torch
        torch.manual_seed(0)
        N, K, C, H, W = 3, 21, 7, 8, 6
        d = {}
        for s in range(3):
            d['k%d' % s] = torch.randn(N, K, H, W)
            d['s%d' % s] = torch.rand(N, C, H, W) * 0.98 + 0.01
        d['s0'][0, 0, 0, 0] = 0.0   # log(0): PyTorch clamps the log at -100
        d['s1'][1, 3, 2, 2] = 1.0
        d['hm'] = torch.rand(N, K, H, W)
        d['st'] = torch.rand(N, C, H, W)
        d['st'][1] = (d['st'][1] > 0.5).float()
        bce = torch.nn.BCELoss(reduction='sum')
        kl = sum(((d['k%d' % s] - d['hm']) ** 2).sum() for s in range(3)) / (N * H * W)
        # NSRM src/loss.py: G1&6 = BCE(G1) + weight_g61 * BCE(G6), summed over the stages, / (B * h * w)
        g16 = sum(bce(d['s%d' % s][:, :1], d['st'][:, :1]) + 0.2 * bce(d['s%d' % s][:, 1:], d['st'][:, 1:]) for s in range(3)) / (N * H * W)
        g1 = sum(bce(d['s%d' % s][:, :1], d['st'][:, :1]) for s in range(3)) / (N * H * W)
        d['nsrm_lpm_g1_6_epoch25'] = kl + 0.1 * 0.1 * g16
        d['nsrm_ldm_g1_epoch1'] = kl + 1.0 * g1
        # Simple Baselines lib/core/loss.py JointsMSELoss(use_target_weight=True)
        w = (torch.rand(N, K, 1) > 0.3).float()
        crit = torch.nn.MSELoss(reduction='mean')
        pred = d['k0'].reshape(N, K, -1).split(1, 1)
        gt = d['hm'].reshape(N, K, -1).split(1, 1)
        loss = 0
        for j in range(K):
            loss += 0.5 * crit(pred[j].squeeze().mul(w[:, j]), gt[j].squeeze().mul(w[:, j]))
        d['sb'] = loss / K
        d['w'] = w.reshape(N, K)
        torch.save(d, sys.argv[1])
        """;

    private string _dir = string.Empty;

    [SetUp]
    public void MakeDir() => _dir = RepoPaths.NewTempDirectory();

    private Dictionary<string, Tensor> PythonReference()
    {
        string script = Path.Combine(_dir, "reference.py"), output = Path.Combine(_dir, "reference.pt");
        File.WriteAllText(script, LossReference);
        var psi = new ProcessStartInfo(Environment.GetEnvironmentVariable("HANDPOSE_PYTHON") ?? "/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(script);
        psi.ArgumentList.Add(output);
        using var p = Process.Start(psi)!;
        string stderr = p.StandardError.ReadToEndAsync().Result;
        p.WaitForExit();
        Assert.That(p.ExitCode, Is.Zero, stderr);
        return StateDicts.Read(output);
    }

    [Test]
    public void Nsrm_and_simple_baselines_losses_match_the_official_pytorch_code()
    {
        Dictionary<string, Tensor> d = PythonReference();
        Tensor[] k = [d["k0"], d["k1"], d["k2"]], s = [d["s0"], d["s1"], d["s2"]];
        var g16 = new NsrmRecipe(NsrmStructure.Lpm, withG6: true);
        Assert.That(g16.StructureWeight(24), Is.EqualTo(0.1 * 0.1).Within(1e-15), "epoch 25 (1-based) is in the second 20-epoch period");
        double actual = g16.Loss(new PoseOutputs(k, s), [d["hm"], d["st"]], d["w"], epoch: 24).item<float>();
        Assert.That(actual, Is.EqualTo(d["nsrm_lpm_g1_6_epoch25"].item<float>()).Within(1e-5).Percent);

        var g1 = new NsrmRecipe(NsrmStructure.Ldm, withG6: false);
        Tensor[] s1 = s.Select(t => t.narrow(1, 0, 1)).ToArray();
        actual = g1.Loss(new PoseOutputs(k, s1), [d["hm"], d["st"].narrow(1, 0, 1)], d["w"], epoch: 0).item<float>();
        Assert.That(actual, Is.EqualTo(d["nsrm_ldm_g1_epoch1"].item<float>()).Within(1e-5).Percent);

        actual = new SimpleBaselineRecipe().Loss(new PoseOutputs([d["k0"]], []), [d["hm"]], d["w"], 0).item<float>();
        Assert.That(actual, Is.EqualTo(d["sb"].item<float>()).Within(1e-5).Percent);
        Assert.Throws<ArgumentException>(() => g1.Loss(new PoseOutputs(k, []), [d["hm"], d["st"]], d["w"], 0), "NSRM needs structure stages");
    }

    [Test]
    public void Nsrm_configurations_carry_the_official_weights_and_targets()
    {
        Assert.That(new NsrmRecipe(NsrmStructure.Ldm, false).Weight, Is.EqualTo(1.0));
        Assert.That(new NsrmRecipe(NsrmStructure.Ldm, true).Weight, Is.EqualTo(0.2));
        Assert.That(new NsrmRecipe(NsrmStructure.Lpm, false).Weight, Is.EqualTo(0.5));
        var lpm = new NsrmRecipe(NsrmStructure.Lpm, true);
        Assert.That((lpm.Weight, lpm.WeightG6, lpm.LearningRate), Is.EqualTo((0.1, 0.2, 1e-4)));
        Assert.That(new[] { 0, 18, 19, 38, 39, 79 }.Select(e => lpm.StructureWeight(e) / 0.1), Is.EqualTo(new[] { 1, 1, 0.1, 0.1, 0.01, 1e-4 }).Within(1e-12));
        IReadOnlyList<TrainingTarget> targets = lpm.Targets(368);
        Assert.That(targets.Select(t => (t.Renderer.ChannelCount, t.Renderer.MapWidth, t.Stride)), Is.EqualTo(new[] { (21, 46, 8), (7, 46, 8) }));
        Assert.That(TrainingRecipes.For(TorchArchitectures.Get("simplebaseline-resnet18")), Is.InstanceOf<SimpleBaselineRecipe>());
        Assert.That(Assert.Throws<ArgumentException>(() => TrainingRecipes.For(TorchArchitectures.Get("resnet18")))!.Message, Does.Contain("No training recipe for 'resnet18'"));
    }

    private TrainerOptions Options(string run, int epochs, string? resume = null) => new()
    {
        OutputDirectory = Path.Combine(_dir, run),
        InputSize = 32,
        Epochs = epochs,
        BatchSize = 4,
        Seed = 5,
        Threads = 1,
        LoaderWorkers = 2,
        ResumeFrom = resume,
    };

    private static TrainingSource Train => TrainingSource.Synthetic(new HandSampler(5, new SyntheticOptions { Size = 32 }), 12);

    private static TrainingSource Val => TrainingSource.Synthetic(new HandSampler(6, new SyntheticOptions { Size = 32 }), 4);

    private static byte[][] Weights(nn.Module model) => model.state_dict().OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Value.bytes.ToArray()).ToArray();

    [Test]
    public void Two_epochs_equal_one_epoch_resume_one_epoch_bit_for_bit_also_from_mid_epoch()
    {
        TorchArchitecture arch = TorchArchitectures.Get("simplebaseline-resnet18");
        byte[][] straight;
        IReadOnlyList<EpochMetrics> straightHistory;
        using (var trainer = new Trainer(arch, Options("straight", 2)))
        {
            TrainingResult r = trainer.Run(Train, Val);
            Assert.That(r.Interrupted, Is.False);
            straightHistory = r.History;
            straight = Weights(trainer.Model);
        }

        // Stop at the end of epoch 1 (a run planned for 2 epochs, so the cosine schedule is the same), then resume.
        using (var cancel = new CancellationTokenSource())
        using (var trainer = new Trainer(arch, Options("split", 2)))
        {
            Assert.That(trainer.Run(Train, Val, epochFinished: (_, _) => cancel.Cancel(), cancellationToken: cancel.Token).Interrupted, Is.True);
        }

        using (var trainer = new Trainer(arch, Options("split", 2, Path.Combine(_dir, "split", Trainer.LastCheckpoint))))
        {
            TrainingResult r = trainer.Run(Train, Val);
            Assert.That(Weights(trainer.Model), Is.EqualTo(straight), "resumed at an epoch boundary");
            Assert.That(r.History.Select(m => (m.Epoch, m.Loss, m.Pck)), Is.EqualTo(straightHistory.Select(m => (m.Epoch, m.Loss, m.Pck))));
        }

        // Ctrl+C after step 2 of epoch 1: the checkpoint holds (epoch 0, step 2) and the resumed run skips those batches.
        using (var cancel = new CancellationTokenSource())
        using (var trainer = new Trainer(arch, Options("mid", 2)))
        {
            TrainingResult r = trainer.Run(Train, Val, progress: p => { if (p.Step == 2) { cancel.Cancel(); } }, cancellationToken: cancel.Token);
            Assert.That(r.Interrupted, Is.True);
            Assert.That(r.History, Is.Empty);
        }

        using (var trainer = new Trainer(arch, Options("mid", 2, Path.Combine(_dir, "mid", Trainer.LastCheckpoint))))
        {
            trainer.Run(Train, Val);
            Assert.That(Weights(trainer.Model), Is.EqualTo(straight), "resumed in the middle of an epoch");
        }

        IReadOnlyList<EpochMetrics> written = Trainer.ReadHistory(Path.Combine(_dir, "straight", Trainer.MetricsFile));
        Assert.That(written.Select(m => (m.Epoch, m.Loss)), Is.EqualTo(straightHistory.Select(m => (m.Epoch, m.Loss))));
        Assert.That(written[1].LearningRate, Is.LessThan(written[0].LearningRate), "cosine schedule");
        Assert.That(File.Exists(Path.Combine(_dir, "straight", Trainer.BestWeights)), Is.True);
        using nn.Module reloaded = arch.Create();
        StateDicts.Load(reloaded, Path.Combine(_dir, "straight", Trainer.BestWeights));
    }

    [Test]
    public void A_corrupt_metrics_file_is_reported_by_line()
    {
        string path = Path.Combine(_dir, "metrics.jsonl");
        File.WriteAllText(path, "{\"epoch\": 1, \"loss\": 0.5, \"pck\": null, \"auc\": null, \"epe\": null, \"seconds\": 1, \"samples_per_second\": 2, \"data_wait\": 0, \"lr\": 0.001}\n{\"epoch\": 2}\n");
        var ex = Assert.Throws<DataFormatException>(() => Trainer.ReadHistory(path))!;
        Assert.That(ex.Message, Does.Contain("line 2"));
    }

    [Test]
    public void Train_and_eval_commands_write_the_run_and_print_the_metrics()
    {
        string run = Path.Combine(_dir, "cli");
        (int code, string text) = Sibling.Run("HandPose.Cli", "handpose.dll", "train", "--arch", "simplebaseline-resnet18", "--data", "synth:8", "--val", "synth:4",
            "--input-size", "32", "--epochs", "1", "--batch", "4", "--threads", "1", "--out", run);
        Assert.That(code, Is.Zero, text);
        Assert.That(text, Does.Contain("epoch 1/1: loss ").And.Contain("best val PCK@0.2"));
        foreach (string file in (string[])["metrics.jsonl", "curves.png", "last.ckpt", "best.pt"])
        {
            Assert.That(new FileInfo(Path.Combine(run, file)).Length, Is.GreaterThan(0), file);
        }

        Assert.That(File.ReadAllBytes(Path.Combine(run, "curves.png"))[1..4], Is.EqualTo("PNG"u8.ToArray()));
        (code, text) = Sibling.Run("HandPose.Cli", "handpose.dll", "eval", "--arch", "simplebaseline-resnet18", "--weights", Path.Combine(run, "best.pt"), "--data", "synth:4", "--input-size", "32");
        Assert.That(code, Is.Zero, text);
        Assert.That(text, Does.Contain("\"pck\":").And.Contain("\"auc\":").And.Contain("\"epe\":").And.Contain("\"samples\":4"));
        (code, text) = Sibling.Run("HandPose.Cli", "handpose.dll", "eval", "--arch", "simplebaseline-resnet18", "--data", "synth:4");
        Assert.That(code, Is.EqualTo(2), text);
        Assert.That(text, Does.Contain("--arch needs --weights and --data"));
        (code, text) = Sibling.Run("HandPose.Cli", "handpose.dll", "train", "--arch", "resnet18", "--data", "synth:8", "--out", run);
        Assert.That(code, Is.EqualTo(1), text);
        Assert.That(text, Does.Contain("No training recipe for 'resnet18'"));
    }
}
