using System.Diagnostics;

namespace HandPose.Torch.Tests;

/// <summary>Runs another program of this build (artifacts/bin/&lt;Project&gt;/&lt;config&gt;/) in its own process.</summary>
internal static class Sibling
{
    public static (int ExitCode, string Output) Run(string project, string dll, params string[] args) =>
        RunWithEnvironment(project, dll, new Dictionary<string, string>(), args);

    public static (int ExitCode, string Output) RunWithEnvironment(string project, string dll, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        string config = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd('/')).Name;
        return RunPath(Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", project, config, dll)), environment, args);
    }

    public static (int ExitCode, string Output) RunPath(string path, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var kv in environment)
        {
            psi.Environment[kv.Key] = kv.Value;
        }

        psi.ArgumentList.Add("exec");
        psi.ArgumentList.Add(path);
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi)!;
        Task<string> stderr = p.StandardError.ReadToEndAsync();
        string stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, stdout + stderr.Result);
    }
}
