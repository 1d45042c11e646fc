using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using HandPose.Testing;

namespace HandPose.Cli.Tests;

/// <summary>
/// README's "Use it in your app", run as a new user would: pack the packages into a temporary local feed, create a
/// brand-new console app in a temporary folder with an empty HOME, run the README's <c>dotnet add package</c> lines,
/// paste the README's program verbatim (read from README.md, so the two cannot drift) and run it on a bundled photo.
/// </summary>
/// <remarks>
/// "Fresh" here means: no repository files (the app lives under the temp folder and references only packages), an
/// empty HOME (no user NuGet config, no templates cache, no dotnet first-run state) and an empty NuGet global packages
/// folder, so every HandPose package is extracted from the new feed. Third-party packages (ONNX Runtime, SkiaSharp,
/// Protobuf) are read from this machine's NuGet global packages folder as a read-only fallback folder, so the test
/// does not download hundreds of MB on every run; the package sources are this machine's own (its NuGet.Config) plus the
/// local feed. The test refuses to run if that fallback folder holds any HandPose package (it could shadow the feed).
/// </remarks>
[Category("Native")]
[NonParallelizable]
public sealed class ReadmeAppTests
{
    /// <summary>The README's two packages and every HandPose project they reference (transitively), read from the .csproj files.</summary>
    private static readonly string[] Packages = ReferenceClosure("Onnx", "Models.MediaPipe");

    [Test]
    public void The_readme_program_builds_and_runs_in_a_new_console_app_from_a_local_feed()
    {
        EstimateCommandTests.RequireModels();
        (string[] addLines, string program) = ReadmeSection();
        Assert.That(addLines, Is.EqualTo(new[] { "dotnet add package HandPose.Onnx", "dotnet add package HandPose.Models.MediaPipe" }));

        string temp = RepoPaths.NewTempDirectory();
        string feed = Path.Combine(temp, "feed"), home = Path.Combine(temp, "home"), app = Path.Combine(temp, "app", "HandsApp");
        Directory.CreateDirectory(home);
        string machineCache = MachinePackagesFolder();
        Assert.That(Directory.Exists(machineCache) ? Directory.GetDirectories(machineCache, "handpose.*") : [], Is.Empty,
            $"{machineCache} holds HandPose packages, which would shadow the fresh feed; delete them");

        foreach (string p in Packages)
        {
            Run(RepoPaths.Root, null, "pack", Path.Combine("src", $"HandPose.{p}", $"HandPose.{p}.csproj"), "-c", "Release", "--no-build", "-o", feed, "-nologo", "-v", "quiet");
        }
        Assert.That(Directory.GetFiles(feed, "*.nupkg").Select(Path.GetFileName), Is.SupersetOf(Packages.Select(p => $"HandPose.{p}.0.1.0.nupkg")));
        Assert.That(Directory.GetFiles(feed, "HandPose.Onnx.0.1.0.snupkg"), Has.Length.EqualTo(1), "symbols packed");
        AssertPackageMetadata(feed);

        File.WriteAllText(Path.Combine(temp, "nuget.config"), NuGetConfig(feed, Path.Combine(temp, "packages"), machineCache));
        Run(temp, home, "new", "console", "--name", "HandsApp", "--output", app);
        foreach (string line in addLines)
        {
            Run(app, home, line.Split(' ')[1..]);
        }
        File.WriteAllText(Path.Combine(app, "Program.cs"), program);
        string photo = Path.Combine(RepoPaths.Root, "samples", "data", "two_hands.jpg");
        string output = Run(app, home, "run", "--", photo);

        string[] lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.That(lines, Has.Length.EqualTo(2), output);
        var wristsX = new List<double>();
        foreach (string line in lines)
        {
            // MediaPipe calls both hands of this photo "Right" in its mirrored convention: the subject's left hands.
            Assert.That(line, Does.StartWith("Left: "));
            string[] points = line["Left: ".Length..].Split(' ');
            Assert.That(points, Has.Length.EqualTo(21), line);
            wristsX.Add(double.Parse(points[0].Split(',')[0], CultureInfo.InvariantCulture));
        }
        // The wrists MediaPipe itself reports for this photo (see EstimateCommandTests): x = 135.699 and 582.788.
        Assert.That(wristsX.Order(), Is.EqualTo(new[] { 135.7, 582.8 }).Within(0.051));
        string models = Path.Combine(app, "bin", "Debug", "net10.0", "models", "mediapipe");
        Assert.That(Directory.GetFiles(models).Select(Path.GetFileName), Is.SupersetOf(new[] { "palm_detection_full.onnx", "hand_landmark_full.onnx", "LICENSE-Apache-2.0.txt", "PROVENANCE.md" }));
        Directory.Delete(temp, recursive: true); // kept for inspection only when the test fails
    }

    /// <summary>The short names (after "HandPose.") of <paramref name="roots"/> and the src/ projects they reference, transitively.</summary>
    private static string[] ReferenceClosure(params string[] roots)
    {
        var found = new SortedSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>(roots);
        while (pending.TryPop(out string? name))
        {
            if (!found.Add(name))
            {
                continue;
            }

            string project = Path.Combine(RepoPaths.Root, "src", $"HandPose.{name}", $"HandPose.{name}.csproj");
            foreach (XElement reference in XDocument.Load(project).Descendants("ProjectReference"))
            {
                // Build-time tools (eng/, ReferenceOutputAssembly="false") are not package dependencies.
                string file = Path.GetFileNameWithoutExtension(reference.Attribute("Include")!.Value);
                if (file.StartsWith("HandPose.", StringComparison.Ordinal) && reference.Attribute("ReferenceOutputAssembly")?.Value != "false")
                {
                    pending.Push(file["HandPose.".Length..]);
                }
            }
        }

        return [.. found];
    }

    /// <summary>Licence, README, repository and the native engines as package dependencies, read from the nuspecs.</summary>
    private static void AssertPackageMetadata(string feed)
    {
        foreach (string p in Packages)
        {
            XElement metadata = Nuspec(feed, $"HandPose.{p}");
            XNamespace ns = metadata.Name.Namespace;
            Assert.That(metadata.Element(ns + "license")?.Value, Is.EqualTo(p == "Models.MediaPipe" ? "Apache-2.0" : "MIT"), p);
            Assert.That(metadata.Element(ns + "readme")?.Value, Is.EqualTo("README.md"), p);
            Assert.That(metadata.Element(ns + "projectUrl")?.Value, Does.StartWith("https://"), p);
            Assert.That(metadata.Element(ns + "repository")?.Attribute("url")?.Value, Does.StartWith("https://"), p);
            Assert.That(metadata.Element(ns + "description")?.Value, Is.Not.Empty, p);
        }
        Assert.That(Dependencies(feed, "HandPose.Onnx"), Does.Contain("Microsoft.ML.OnnxRuntime"));
        Assert.That(Dependencies(feed, "HandPose.Imaging"), Does.Contain("SkiaSharp").And.Contain("SkiaSharp.NativeAssets.Linux.NoDependencies"));
        Assert.That(Dependencies(feed, "HandPose.Onnx.Conversion"), Does.Not.Contain("Microsoft.ML.OnnxRuntime").And.Not.Contain("HandPose.Onnx"));
    }

    private static XElement Nuspec(string feed, string id)
    {
        using var zip = System.IO.Compression.ZipFile.OpenRead(Path.Combine(feed, $"{id}.0.1.0.nupkg"));
        using Stream stream = zip.GetEntry($"{id}.nuspec")!.Open();
        XElement root = XDocument.Load(stream).Root!;
        return root.Element(root.Name.Namespace + "metadata")!;
    }

    private static string[] Dependencies(string feed, string id) =>
        [.. Nuspec(feed, id).Descendants().Where(e => e.Name.LocalName == "dependency").Select(e => e.Attribute("id")!.Value)];

    /// <summary>The <c>dotnet add package</c> lines and the C# program of README.md's "Use it in your app".</summary>
    private static (string[] AddLines, string Program) ReadmeSection()
    {
        string readme = File.ReadAllText(Path.Combine(RepoPaths.Root, "README.md")).ReplaceLineEndings("\n");
        int start = readme.IndexOf("\n## Use it in your app\n", StringComparison.Ordinal);
        Assert.That(start, Is.GreaterThanOrEqualTo(0), "README.md has a '## Use it in your app' section");
        int end = readme.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        string section = readme[start..(end < 0 ? readme.Length : end)];
        MatchCollection blocks = Regex.Matches(section, "```(\\w*)\n(.*?)```", RegexOptions.Singleline);
        string[] addLines = [.. blocks.Where(b => b.Groups[1].Value == "sh").SelectMany(b => b.Groups[2].Value.Split('\n'))
            .Where(l => l.StartsWith("dotnet add package ", StringComparison.Ordinal))];
        string[] programs = [.. blocks.Where(b => b.Groups[1].Value == "csharp").Select(b => b.Groups[2].Value)];
        Assert.That(programs, Has.Length.EqualTo(1), "one C# program in the section");
        return (addLines, programs[0]);
    }

    /// <summary>The machine's NuGet global packages folder (read before HOME is emptied).</summary>
    private static string MachinePackagesFolder() =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    /// <summary>The local feed first, then the package sources of this machine's user NuGet.Config (nuget.org if none).</summary>
    private static string NuGetConfig(string feed, string packages, string fallback)
    {
        string user = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "NuGet", "NuGet.Config");
        List<XElement> sources = File.Exists(user)
            ? [.. XDocument.Load(user).Root?.Element("packageSources")?.Elements("add") ?? []]
            : [];
        if (sources.Count == 0)
        {
            sources.Add(new XElement("add", new XAttribute("key", "nuget.org"), new XAttribute("value", "https://api.nuget.org/v3/index.json")));
        }
        var config = new XElement("configuration",
            new XElement("config", new XElement("add", new XAttribute("key", "globalPackagesFolder"), new XAttribute("value", packages))),
            new XElement("fallbackPackageFolders", new XElement("add", new XAttribute("key", "machine"), new XAttribute("value", fallback))),
            new XElement("packageSources", new XElement("clear"), new XElement("add", new XAttribute("key", "handpose-local"), new XAttribute("value", feed)), sources));
        return config.ToString();
    }

    /// <summary>Runs <c>dotnet ARGS</c> in <paramref name="folder"/> (with HOME = <paramref name="home"/> when given); fails the test on a non-zero exit.</summary>
    private static string Run(string folder, string? home, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in args)
        {
            info.ArgumentList.Add(a);
        }
        // Nothing of the test host's build environment leaks into the child.
        foreach (string key in info.Environment.Keys.ToArray())
        {
            if (key.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase) || key.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase)
                || key is "DOTNET_HOST_PATH" or "NUGET_PACKAGES" or "DOTNET_CLI_HOME" or "HANDPOSE_CACHE")
            {
                info.Environment.Remove(key);
            }
        }
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        if (home is not null)
        {
            info.Environment["HOME"] = home;
        }
        using Process process = Process.Start(info)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(10)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"dotnet {string.Join(' ', args)} did not finish in 10 minutes");
        }
        Assert.That(process.ExitCode, Is.Zero, $"dotnet {string.Join(' ', args)} in {folder}:\n{stdout.Result}\n{stderr.Result}");
        return stdout.Result;
    }
}
