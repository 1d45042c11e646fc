using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;

namespace HandPose.Serving.Tests;

/// <summary>
/// Load on loopback: 8 concurrent clients × 50 requests against a server with the default limits; every request is
/// answered with the same bytes, memory does not grow between two rounds; prints requests/s and p50/p99 latency
/// (the figures of benchmarks/RESULTS.md come from this test's output).
/// </summary>
[Category("Load")]
[NonParallelizable]
public sealed class LoadTests
{
    private const int Clients = 8;
    private const int RequestsPerClient = 50;

    [Test]
    public async Task Eight_clients_times_fifty_requests_all_answered_identically_with_stable_memory()
    {
        TestServer.RequireModels();
        await using HandPoseServer server = await HandPoseServer.StartAsync(new HandPoseServerOptions { Port = 0, Models = ["full"] });
        byte[] photo = await File.ReadAllBytesAsync(TestServer.TwoHandsPhoto);
        using var client = new HttpClient { BaseAddress = server.Address, Timeout = TimeSpan.FromMinutes(5) };

        Round first = await RunAsync(client, photo);
        long managedAfterFirst = Settle();
        long workingSetAfterFirst = Process.GetCurrentProcess().WorkingSet64;
        Round second = await RunAsync(client, photo);
        long managedAfterSecond = Settle();
        long workingSetAfterSecond = Process.GetCurrentProcess().WorkingSet64;

        foreach (Round round in new[] { first, second })
        {
            Assert.That(round.Failures, Is.Empty, "every request answered 200");
            Assert.That(round.Bodies.Distinct().Count(), Is.EqualTo(1), "identical results for identical requests under concurrency");
        }

        Assert.That(first.Bodies[0], Is.EqualTo(second.Bodies[0]));
        Assert.That(first.Bodies[0], Does.Contain("\"handedness\"").And.Contain("135.69"), "the two hands of the photo");
        double managedGrowthMb = (managedAfterSecond - managedAfterFirst) / 1048576.0;
        double workingSetGrowthMb = (workingSetAfterSecond - workingSetAfterFirst) / 1048576.0;
        Assert.That(managedGrowthMb, Is.LessThan(16), "managed heap after the second round vs after the first");
        Assert.That(workingSetGrowthMb, Is.LessThan(96), "process working set after the second round vs after the first");

        double load = double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture);
        TestContext.Out.WriteLine(FormattableString.Invariant(
            $"load: {Clients} clients x {RequestsPerClient} requests, {Environment.ProcessorCount} cores, load average {load:F1}"));
        foreach ((string name, Round round) in new[] { ("round 1", first), ("round 2", second) })
        {
            TestContext.Out.WriteLine(FormattableString.Invariant(
                $"{name}: {round.Latencies.Length} answered in {round.Seconds:F1} s = {round.Latencies.Length / round.Seconds:F1} req/s, p50 {Percentile(round.Latencies, 50):F0} ms, p99 {Percentile(round.Latencies, 99):F0} ms"));
        }

        TestContext.Out.WriteLine(FormattableString.Invariant(
            $"memory: managed {managedAfterFirst / 1048576.0:F1} -> {managedAfterSecond / 1048576.0:F1} MB, working set {workingSetAfterFirst / 1048576.0:F0} -> {workingSetAfterSecond / 1048576.0:F0} MB"));
    }

    private sealed record Round(string[] Bodies, double[] Latencies, List<string> Failures, double Seconds);

    private static async Task<Round> RunAsync(HttpClient client, byte[] photo)
    {
        var bodies = new string[Clients * RequestsPerClient];
        var latencies = new double[Clients * RequestsPerClient];
        var failures = new List<string>();
        var total = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Clients).Select(c => Task.Run(async () =>
        {
            for (int r = 0; r < RequestsPerClient; r++)
            {
                var content = new ByteArrayContent(photo);
                content.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
                long start = Stopwatch.GetTimestamp();
                using HttpResponseMessage response = await client.PostAsync(new Uri("/api/estimate", UriKind.Relative), content);
                string body = await response.Content.ReadAsStringAsync();
                latencies[(c * RequestsPerClient) + r] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                bodies[(c * RequestsPerClient) + r] = body;
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    lock (failures)
                    {
                        failures.Add($"{(int)response.StatusCode}: {body}");
                    }
                }
            }
        })));
        return new Round(bodies, latencies, failures, total.Elapsed.TotalSeconds);
    }

    private static long Settle()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(true);
    }

    private static double Percentile(double[] values, double p)
    {
        double[] sorted = [.. values.Order()];
        double rank = p / 100 * (sorted.Length - 1);
        int lo = (int)Math.Floor(rank), hi = (int)Math.Ceiling(rank);
        return sorted[lo] + ((sorted[hi] - sorted[lo]) * (rank - lo));
    }
}
