using System.Diagnostics;
using HandPose.Torch.Internal;

namespace HandPose.Torch.Tests;

/// <summary>The Debian 12 fix's ELF patcher, checked against binutils' readelf on copies of TorchSharp's real library.</summary>
public sealed class ElfFixTests
{
    private string _dir = string.Empty;

    [SetUp]
    public void MakeDir()
    {
        _dir = Path.Combine(Path.GetTempPath(), "hp-elf-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);
    }

    [TearDown]
    public void RemoveDir() => Directory.Delete(_dir, true);

    private static string Shipped => (TorchSharpNativeFix.FindLibraries([AppContext.BaseDirectory]) is [var first, ..] ? first : null)
        ?? throw new AssertionException($"no {TorchSharpNativeFix.LibraryFileName} under {AppContext.BaseDirectory}");

    /// <summary>A copy of the library with the GLIBCXX_3.4.32 reference made strong again (as NuGet ships it).</summary>
    private string UnpatchedCopy()
    {
        string copy = Path.Combine(_dir, TorchSharpNativeFix.LibraryFileName);
        File.Copy(Shipped, copy);
        byte[] bytes = File.ReadAllBytes(copy);
        foreach (ElfVersionTable.NeededVersion v in ElfVersionTable.Read(copy).Needed.Where(v => v.Name == TorchSharpNativeFix.MissingVersion))
        {
            bytes[v.FlagsOffset] &= unchecked((byte)~ElfVersionTable.VerFlagWeak);
        }

        File.WriteAllBytes(copy, bytes);
        return copy;
    }

    [Test]
    public void Parsed_needed_versions_are_readelfs()
    {
        string copy = UnpatchedCopy();
        var ours = ElfVersionTable.Read(copy).Needed.Select(v => $"{v.Name} {(v.IsWeak ? "WEAK" : "none")}").Order().ToList();
        var theirs = ReadElfNeeded(copy);
        Assert.That(ours, Has.Count.GreaterThan(10));
        Assert.That(ours, Is.EqualTo(theirs));
        Assert.That(ours, Does.Contain($"{TorchSharpNativeFix.MissingVersion} none"));
    }

    [Test]
    public void Make_weak_sets_one_flag_bit_and_is_idempotent()
    {
        string copy = UnpatchedCopy();
        byte[] before = File.ReadAllBytes(copy);
        Assert.That(ElfVersionTable.Read(copy).MakeWeak(TorchSharpNativeFix.MissingVersion), Is.EqualTo(1));
        byte[] after = File.ReadAllBytes(copy);
        int[] changed = [.. Enumerable.Range(0, before.Length).Where(i => before[i] != after[i])];
        Assert.That(changed, Has.Length.EqualTo(1), "exactly one byte (vna_flags) changes");
        Assert.That(after[changed[0]] ^ before[changed[0]], Is.EqualTo(ElfVersionTable.VerFlagWeak));
        Assert.That(ReadElfNeeded(copy), Does.Contain($"{TorchSharpNativeFix.MissingVersion} WEAK"));
        Assert.That(ReadElfNeeded(copy).Count(l => l.EndsWith("WEAK", StringComparison.Ordinal)), Is.EqualTo(1));

        Assert.That(ElfVersionTable.Read(copy).MakeWeak(TorchSharpNativeFix.MissingVersion), Is.Zero);
        Assert.That(File.ReadAllBytes(copy), Is.EqualTo(after));
    }

    [Test]
    public void Fix_state_follows_the_system_libstdcxx()
    {
        string copy = UnpatchedCopy();
        bool systemHasIt = ReadElfDefined(TorchSharpNativeFix.SystemLibStdCxx!).Contains(TorchSharpNativeFix.MissingVersion);
        Assert.That(TorchSharpNativeFix.SystemHasMissingVersion, Is.EqualTo(systemHasIt));
        Assert.That(TorchSharpNativeFix.Inspect(copy), Is.EqualTo(systemHasIt ? TorchSharpFixState.NotNeeded : TorchSharpFixState.Needed));
        Assert.That(TorchSharpNativeFix.Apply(copy), Is.EqualTo(!systemHasIt));
        Assert.That(TorchSharpNativeFix.Inspect(copy), Is.EqualTo(systemHasIt ? TorchSharpFixState.NotNeeded : TorchSharpFixState.Applied));
        Assert.That(TorchSharpNativeFix.Apply(copy), Is.False);
    }

    [Test]
    public void Libraries_without_the_reference_are_not_touched_and_bad_files_are_named()
    {
        string libz = new[] { "/lib/x86_64-linux-gnu/libz.so.1", "/usr/lib/x86_64-linux-gnu/libz.so.1" }.First(File.Exists);
        string copy = Path.Combine(_dir, "libz.so.1");
        File.Copy(libz, copy);
        Assert.That(TorchSharpNativeFix.Inspect(copy), Is.EqualTo(TorchSharpFixState.NotNeeded));
        Assert.That(ElfVersionTable.Read(copy).MakeWeak(TorchSharpNativeFix.MissingVersion), Is.Zero);
        Assert.That(File.ReadAllBytes(copy), Is.EqualTo(File.ReadAllBytes(libz)));

        string text = Path.Combine(_dir, "text.so");
        File.WriteAllText(text, "not an ELF file, but long enough to have a header of sixty-four bytes at least.");
        Assert.That(Assert.Throws<ModelLoadException>(() => TorchSharpNativeFix.Inspect(text))!.Message, Does.Contain(text).And.Contain("not an ELF"));

        string truncated = Path.Combine(_dir, "truncated.so");
        File.WriteAllBytes(truncated, File.ReadAllBytes(Shipped)[..4096]);
        Assert.That(Assert.Throws<ModelLoadException>(() => TorchSharpNativeFix.Inspect(truncated))!.Message, Does.Contain(truncated).And.Contain("truncated"));
    }

    private static List<string> ReadElfNeeded(string path) =>
        [.. ReadElf(path).Where(l => l.Contains("Name:", StringComparison.Ordinal) && l.Contains("Version:", StringComparison.Ordinal) && !l.Contains("Index:", StringComparison.Ordinal))
            .Select(l => l.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(p => $"{p[Array.IndexOf(p, "Name:") + 1]} {p[Array.IndexOf(p, "Flags:") + 1]}").Order()];

    private static List<string> ReadElfDefined(string path) =>
        [.. ReadElf(path).Where(l => l.Contains("Index:", StringComparison.Ordinal) && l.Contains("Name:", StringComparison.Ordinal))
            .Select(l => l.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries)[^1])];

    private static string[] ReadElf(string path)
    {
        var psi = new ProcessStartInfo("readelf") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add("-V");
        psi.ArgumentList.Add("-W");
        psi.ArgumentList.Add(path);
        using var p = Process.Start(psi)!;
        string output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return output.Split('\n');
    }
}
