namespace HandPose.Torch.Tests;

/// <summary>TorchSharp's loading in fresh processes: the doctor report, and a Debian 12 copy of the CLI before and after <c>doctor --fix</c>.</summary>
public sealed class LoaderTests : TorchTestBase
{
    [Test]
    public void Doctor_reports_torchsharp_libtorch_cuda_and_the_fix()
    {
        (int code, string text) = Sibling.Run("HandPose.Cli", "handpose.dll", "doctor");
        Assert.That(code, Is.Zero, text);
        Assert.That(text, Does.Contain($"libtorch: available, version {TorchRuntime.LibTorchVersion}, loaded from "));
        Assert.That(text, Does.Contain($"TorchSharp {TorchRuntime.TorchSharpVersion}"));
        Assert.That(text, Does.Contain("CUDA: not available"));
        Assert.That(text, Does.Contain(TorchSharpNativeFix.SystemHasMissingVersion ? "Debian 12 libstdc++ fix: not needed" : "Debian 12 libstdc++ fix: applied"));
    }

    [Test]
    public void An_unfixed_copy_fails_naming_the_cause_and_the_fix_until_doctor_fix()
    {
        if (TorchSharpNativeFix.SystemHasMissingVersion)
        {
            Assert.Pass("this system's libstdc++ has GLIBCXX_3.4.32: the library loads unfixed (covered by every other test)");
        }

        // A copy of the CLI's output folder (files symlinked) whose libLibTorchSharp.so is NuGet's original, unfixed.
        string config = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd('/')).Name;
        string cli = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "HandPose.Cli", config));
        string copy = Path.Combine(Path.GetTempPath(), "hp-cli-copy-" + Guid.NewGuid().ToString("N"));
        try
        {
            foreach (string file in Directory.EnumerateFiles(cli, "*", SearchOption.AllDirectories))
            {
                string target = Path.Combine(copy, Path.GetRelativePath(cli, file));
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                if (!file.Contains(".so", StringComparison.Ordinal))
                {
                    File.Copy(file, target); // the host resolves the app folder through symbolic links: copy the managed part
                }
                else if (Path.GetFileName(file) == TorchSharpNativeFix.LibraryFileName)
                {
                    File.Copy(file, target);
                    byte[] bytes = File.ReadAllBytes(target);
                    foreach (var v in Internal.ElfVersionTable.Read(target).Needed.Where(v => v.Name == TorchSharpNativeFix.MissingVersion))
                    {
                        bytes[v.FlagsOffset] &= unchecked((byte)~Internal.ElfVersionTable.VerFlagWeak);
                    }

                    File.WriteAllBytes(target, bytes);
                }
                else
                {
                    File.CreateSymbolicLink(target, file);
                }
            }

            string[] forward = ["forward", "--arch", "simplebaseline-resnet18", "--weights", References.Path("sb_r18.pt"),
                "--input", References.Path("sb_r18_in.npy"), "--out", Path.Combine(copy, "out.npy")];
            (int code, string text) = RunCopy(copy, forward);
            Assert.That(code, Is.EqualTo(1), text);
            Assert.That(text, Does.Contain("GLIBCXX_3.4.32").And.Contain("handpose doctor --fix"));
            Assert.That(text, Does.Not.Contain("DllNotFoundException").And.Not.Contain("TypeInitializationException").And.Not.Contain("   at "));

            (code, text) = RunCopy(copy, "doctor");
            Assert.That(code, Is.Zero, text);
            Assert.That(text, Does.Contain("libtorch: not installed").And.Contain("Debian 12 libstdc++ fix: NEEDED"));

            (code, text) = RunCopy(copy, "doctor", "--fix");
            Assert.That(code, Is.Zero, text);
            Assert.That(text, Does.Contain($"TorchSharp fix: fixed: {Path.Combine(copy, "runtimes", "linux-x64", "native", TorchSharpNativeFix.LibraryFileName)}"));
            Assert.That(text, Does.Contain("Debian 12 libstdc++ fix: applied"));

            (code, text) = RunCopy(copy, forward);
            Assert.That(code, Is.Zero, text);
        }
        finally
        {
            Directory.Delete(copy, true);
        }
    }

    /// <summary>
    /// Runs the copy with an empty NuGet cache: when the application folder's library fails, TorchSharp falls back to
    /// the NuGet cache's packages, whose copy setup has fixed, and the test would not see the unfixed library fail.
    /// </summary>
    private static (int Code, string Text) RunCopy(string dir, params string[] args)
    {
        string empty = Path.Combine(dir, "empty-nuget");
        Directory.CreateDirectory(empty);
        return Sibling.RunPath(Path.Combine(dir, "handpose.dll"), new Dictionary<string, string> { ["NUGET_PACKAGES"] = empty, ["HOME"] = empty }, args);
    }
}
