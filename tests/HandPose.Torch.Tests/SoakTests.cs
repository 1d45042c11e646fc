using System.Diagnostics;
using static TorchSharp.torch;

namespace HandPose.Torch.Tests;

/// <summary>A long training loop in dispose scopes must not grow native or managed memory.</summary>
public sealed class SoakTests : TorchTestBase
{
    [Test]
    [Category("Soak")]
    public void Hundred_thousand_training_steps_in_dispose_scopes_grow_rss_by_less_than_50_mb()
    {
        const int steps = 100_000;
        manual_seed(3);
        using var model = nn.Sequential(nn.Linear(16, 32), nn.ReLU(), nn.Linear(32, 4));
        using var optimizer = optim.Adam(model.parameters(), 1e-3);
        using Tensor x = randn(8, 16);
        using Tensor y = randn(8, 4);
        long rssAfterWarmup = 0;
        long liveAfterWarmup = 0;
        var clock = Stopwatch.StartNew();
        for (int step = 0; step < steps; step++)
        {
            using (var scope = NewDisposeScope())
            {
                optimizer.zero_grad();
                nn.functional.mse_loss(model.call(x), y).backward();
                optimizer.step();
            }

            if (step == 1_000)
            {
                rssAfterWarmup = Rss();
                liveAfterWarmup = TorchSharp.DisposeScopeManager.Statistics.ThreadTotalLiveCount;
            }
        }

        long growth = Rss() - rssAfterWarmup;
        long live = TorchSharp.DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        TestContext.Out.WriteLine($"{steps} steps in {clock.Elapsed.TotalSeconds:F1} s; RSS growth after warm-up {growth / 1e6:F2} MB; live tensors {liveAfterWarmup} -> {live}");
        Assert.That(live, Is.EqualTo(liveAfterWarmup), "every tensor made inside the scopes after warm-up was freed");
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
