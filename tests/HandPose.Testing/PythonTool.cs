using System.Diagnostics;

namespace HandPose.Testing;

/// <summary>Runs a Python reference tool of a test project with Debian's python3 (or $HANDPOSE_PYTHON).</summary>
public static class PythonTool
{
    /// <summary>Runs <c>TestData/tools/<paramref name="script"/></c> beside the test assembly; fails the test with its stderr on a non-zero exit.</summary>
    /// <returns>What the script printed on stdout.</returns>
    public static string Run(string script, params string[] args)
    {
        string path = Path.Combine(AppContext.BaseDirectory, "TestData", "tools", script);
        string python = Environment.GetEnvironmentVariable("HANDPOSE_PYTHON") ?? "/usr/bin/python3";
        var psi = new ProcessStartInfo(python) { RedirectStandardError = true, RedirectStandardOutput = true };
        psi.ArgumentList.Add(path);
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi)!;
        Task<string> stderr = p.StandardError.ReadToEndAsync();
        string stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            Assert.Fail($"{python} {path} failed ({p.ExitCode}): {stderr.Result}");
        }

        return stdout;
    }
}
