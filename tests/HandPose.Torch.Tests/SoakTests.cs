using System.Diagnostics;
using HandPose.Torch.Modules;
using HandPose.Torch.Optim;

namespace HandPose.Torch.Tests;

/// <summary>A long training loop in dispose scopes must not grow native or managed memory.</summary>
public sealed class SoakTests : TorchTestBase
{
    [Test]
    [Category("Soak")]
    public void Hundred_thousand_training_steps_in_dispose_scopes_grow_rss_by_less_than_50_mb()
    {
        const int steps = 100_000;
        TorchRuntime.ManualSeed(3);
        using var model = new Sequential(new Linear(16, 32), Lambda.Relu(), new Linear(32, 4));
        using var optimizer = new Sgd(model, 1e-3, momentum: 0.9);
        using var inputs = new Serialization.TensorDictionary
        {
            { "x", Tensor.Randn([8, 16]) },
            { "y", Tensor.Randn([8, 4]) },
        };
        long live = 0;
        long rssAfterWarmup = 0;
        var clock = Stopwatch.StartNew();
        for (int step = 0; step < steps; step++)
        {
            using (var scope = TorchRuntime.NewDisposeScope())
            {
                optimizer.ZeroGrad();
                Functional.MseLoss(model.Forward(inputs["x"]), inputs["y"]).Backward();
                optimizer.Step();
            }

            if (step == 1_000)
            {
                rssAfterWarmup = Rss();
                live = DisposeScope.LiveTensors; // parameters, inputs and the optimizer's momentum buffers
            }
        }

        long growth = Rss() - rssAfterWarmup;
        TestContext.Out.WriteLine($"{steps} steps in {clock.Elapsed.TotalSeconds:F1} s; RSS growth after warm-up {growth / 1e6:F2} MB");
        Assert.That(DisposeScope.LiveTensors, Is.EqualTo(live), "every tensor made inside the scopes after warm-up was freed");
        Assert.That(growth, Is.LessThan(50_000_000));
    }

    private static long Rss()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        string line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;
    }
}
