using System.Diagnostics;
using System.Globalization;
using HandPose.Testing;
using Microsoft.Playwright;

namespace HandPose.Serving.Tests;

/// <summary>
/// The pages in a real browser: Debian's Chromium (<c>/usr/bin/chromium</c>, or $HANDPOSE_CHROMIUM) driven by
/// Playwright through its executable path (no browser download). The live page gets Chromium's fake camera, fed
/// with a clip made from the bundled photo by ffmpeg.
/// </summary>
[Category("Browser")]
[NonParallelizable]
public sealed class BrowserTests
{
    private static string Chromium => Environment.GetEnvironmentVariable("HANDPOSE_CHROMIUM") ?? "/usr/bin/chromium";

    private static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync(params string[] args)
    {
        NativeRequirement.Require(File.Exists(Chromium), "Chromium", $"{Chromium} is missing: run `bash scripts/setup.sh` (installs Debian's chromium)");
        IPlaywright playwright = await Playwright.CreateAsync();
        IBrowser browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = args,
            Timeout = 120_000,
        });
        return (playwright, browser);
    }

    [Test]
    public async Task Upload_page_draws_two_hands_for_the_two_hands_photo()
    {
        HandPoseServer server = await TestServer.GetAsync();
        (IPlaywright playwright, IBrowser browser) = await LaunchAsync();
        using (playwright)
        await using (browser)
        {
            IPage page = await browser.NewPageAsync();
            var errors = new List<string>();
            page.PageError += (_, e) => errors.Add(e);
            await page.GotoAsync(new Uri(server.Address, "/").ToString());
            await page.WaitForFunctionAsync("document.querySelectorAll('#model option').length === 2", null, new PageWaitForFunctionOptions { Timeout = 60_000 });
            await page.SetInputFilesAsync("#file", TestServer.TwoHandsPhoto);
            await page.WaitForFunctionAsync("document.body.dataset.hands !== undefined", null, new PageWaitForFunctionOptions { Timeout = 120_000 });

            Assert.That(await page.EvaluateAsync<string>("document.body.dataset.hands"), Is.EqualTo("2"), await page.InnerTextAsync("#status"));
            IReadOnlyList<string> hands = await page.Locator("#hands li").AllInnerTextsAsync();
            Assert.That(hands, Has.Count.EqualTo(2));
            Assert.That(hands, Has.All.StartsWith("Left hand"), "both are the subject's left hands (as handpose estimate says)");
            Assert.That(await page.EvaluateAsync<int[]>("[document.getElementById('canvas').width, document.getElementById('canvas').height]"), Is.EqualTo(new[] { 720, 382 }));
            // The skeleton colours are on the canvas: the wrist of the hand at (135.7, 349.1) is drawn in yellow.
            int[] wrist = await page.EvaluateAsync<int[]>("Array.from(document.getElementById('canvas').getContext('2d').getImageData(136, 349, 1, 1).data)");
            Assert.That((wrist[0], wrist[1], wrist[2]), Is.EqualTo((255, 255, 0)), "a joint dot at MediaPipe's wrist");
            Assert.That(errors, Is.Empty);
        }
    }

    [Test]
    public async Task Live_page_on_the_fake_camera_tracks_the_hands_and_shows_a_frame_rate()
    {
        HandPoseServer server = await TestServer.GetAsync();
        string dir = RepoPaths.NewTempDirectory();
        string clip = Path.Combine(dir, "two_hands.y4m");
        MakeClip(TestServer.TwoHandsPhoto, clip);
        (IPlaywright playwright, IBrowser browser) = await LaunchAsync(
            "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream", $"--use-file-for-fake-video-capture={clip}");
        try
        {
            using (playwright)
            await using (browser)
            {
                IPage page = await browser.NewPageAsync();
                var errors = new List<string>();
                page.PageError += (_, e) => errors.Add(e);
                await page.GotoAsync(new Uri(server.Address, "/live.html?autostart=1").ToString());
                await page.WaitForFunctionAsync("Number(document.body.dataset.frames || 0) >= 8", null, new PageWaitForFunctionOptions { Timeout = 180_000 });

                Assert.That(await page.EvaluateAsync<string>("document.body.dataset.hands"), Is.EqualTo("2"), await page.InnerTextAsync("#status"));
                Assert.That(await page.EvaluateAsync<string>("document.body.dataset.ids"), Is.EqualTo("1,2").Or.EqualTo("2,1"), "the same two tracks since the first frame");
                double fps = double.Parse(await page.InnerTextAsync("#fps"), CultureInfo.InvariantCulture);
                double latency = double.Parse(await page.InnerTextAsync("#latency"), CultureInfo.InvariantCulture);
                Assert.That(fps, Is.GreaterThan(0.5).And.LessThan(200));
                Assert.That(latency, Is.GreaterThan(0));
                Assert.That(await page.InnerTextAsync("#count"), Is.EqualTo("2"));
                Assert.That(errors, Is.Empty);
                TestContext.Out.WriteLine($"live page: {fps} fps, {latency} ms latency (loaded machine)");
            }
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    /// <summary>A 2 s, 15 fps, 640×480 Y4M clip of the photo (letterboxed), Chromium's fake-camera format.</summary>
    private static void MakeClip(string photo, string clip)
    {
        NativeRequirement.Require(File.Exists("/usr/bin/ffmpeg"), "ffmpeg", "run `bash scripts/setup.sh` (installs Debian's ffmpeg)");
        var psi = new ProcessStartInfo("/usr/bin/ffmpeg") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string a in new[] { "-hide_banner", "-loglevel", "error", "-y", "-loop", "1", "-framerate", "15", "-i", photo, "-t", "2",
                     "-vf", "scale=640:-2,pad=640:480:(ow-iw)/2:(oh-ih)/2", "-pix_fmt", "yuv420p", "-f", "yuv4mpegpipe", clip })
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi)!;
        string err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.That(p.ExitCode, Is.Zero, err);
    }
}
