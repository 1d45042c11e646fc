using System.Diagnostics;
using HandPose.Torch.Serialization;
using static TorchSharp.torch;

namespace HandPose.Torch.Tests;

public sealed class CheckpointTests : TorchTestBase
{
    private string _dir = string.Empty;

    [SetUp]
    public void MakeDir()
    {
        _dir = Path.Combine(Path.GetTempPath(), "hp-torch-ckpt-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);
    }

    [TearDown]
    public void RemoveDir() => Directory.Delete(_dir, true);

    [Test]
    public void Resume_in_a_new_process_is_bit_identical_to_training_straight_through()
    {
        Run("straight");
        Run("first");
        Run("second");
        Dictionary<string, Tensor> straight = StateDicts.Read(Path.Combine(_dir, "straight.safetensors"));
        Dictionary<string, Tensor> resumed = StateDicts.Read(Path.Combine(_dir, "resumed.safetensors"));
        Dictionary<string, Tensor> checkpoint = StateDicts.Read(Path.Combine(_dir, "checkpoint.pt"));
        Assert.That(resumed.Keys, Is.EqualTo(straight.Keys));
        foreach (string name in straight.Keys)
        {
            Assert.That(resumed[name].bytes.ToArray(), Is.EqualTo(straight[name].bytes.ToArray()), name);
        }

        Assert.That(checkpoint["0.weight"].bytes.ToArray(), Is.Not.EqualTo(straight["0.weight"].bytes.ToArray()), "10 more steps must change the weights");
    }

    [Test]
    public void PyTorch_reads_the_checkpoint_in_the_official_layout()
    {
        Run("first");
        string script = "import sys, torch\nc = torch.load(sys.argv[1])\n" +
            "print(sorted(c.keys()), c['epoch'], c['step'], c['scheduler']['_last_epoch'], sorted(c['optimizer']['state'][0].keys()), c['rng_state'].dtype, c['state_dict']['7.weight'].shape)";
        var psi = new ProcessStartInfo(Environment.GetEnvironmentVariable("HANDPOSE_PYTHON") ?? "/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(script);
        psi.ArgumentList.Add(Path.Combine(_dir, "checkpoint.pt"));
        using var p = Process.Start(psi)!;
        string stderr = p.StandardError.ReadToEndAsync().Result;
        string output = p.StandardOutput.ReadToEnd().Trim();
        p.WaitForExit();
        Assert.That(p.ExitCode, Is.Zero, stderr);
        Assert.That(output, Is.EqualTo("['epoch', 'optimizer', 'rng_state', 'scheduler', 'state_dict', 'step'] 10 0 5 ['exp_avg', 'exp_avg_sq', 'max_exp_avg_sq', 'step'] torch.uint8 torch.Size([5, 64])"));
    }

    [Test]
    public void Truncated_or_foreign_checkpoints_name_the_file_and_the_problem()
    {
        Run("first");
        string path = Path.Combine(_dir, "checkpoint.pt");
        using var model = nn.Sequential(nn.Linear(2, 2));
        using var optimizer = optim.Adam(model.parameters());
        byte[] bytes = File.ReadAllBytes(path);
        string truncated = Path.Combine(_dir, "truncated.pt");
        File.WriteAllBytes(truncated, bytes[..(bytes.Length / 2)]);
        Assert.That(Assert.Throws<ModelLoadException>(() => TrainingCheckpoint.Load(truncated, model, optimizer, null))!.Message, Does.Contain(truncated));
        Assert.That(Assert.Throws<ModelLoadException>(() => TrainingCheckpoint.Load(path, model, optimizer, null))!.Message, Does.Contain(path).And.Contain("'0.weight' has shape [8, 3, 3, 3], the model needs [2, 2]").And.Contain("unexpected '7.weight'"));
        string stateDictOnly = Path.Combine(_dir, "weights.pt");
        StateDicts.Save(model, stateDictOnly);
        Assert.That(Assert.Throws<ModelLoadException>(() => TrainingCheckpoint.Load(stateDictOnly, model, optimizer, null))!.Message, Does.Contain(stateDictOnly).And.Contain("no 'state_dict' entry"));
    }

    private void Run(string mode)
    {
        (int code, string output) = Sibling.Run("HandPose.Torch.ResumeProbe", "HandPose.Torch.ResumeProbe.dll", mode, _dir);
        Assert.That(code, Is.Zero, $"resume probe {mode}: {output}");
    }
}
