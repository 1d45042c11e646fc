using System.Reflection;
using TorchSharp;

namespace HandPose.Torch;

/// <summary>
/// TorchSharp's native engine as HandPose sees it: whether it loads (and if not, why, and how to fix it), its versions,
/// CUDA, and device selection. Every HandPose.Torch entry point calls <see cref="EnsureAvailable"/> first, so a
/// missing or unloadable libtorch surfaces as <see cref="BackendUnavailableException"/> naming the cause and the fix,
/// never as a raw <see cref="DllNotFoundException"/> or <see cref="TypeInitializationException"/>.
/// </summary>
public static class TorchRuntime
{
    private const string Engine = "libtorch";

    private static readonly Lazy<Exception?> LoadError = new(TryLoad, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Whether TorchSharp's native library and libtorch load in this process.</summary>
    public static bool IsAvailable => LoadError.Value is null;

    /// <summary>The TorchSharp package version (e.g. 0.107.0).</summary>
    public static string TorchSharpVersion { get; } =
        typeof(torch).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? typeof(torch).Assembly.GetName().Version?.ToString() ?? "unknown";

    /// <summary>The libtorch version TorchSharp was built for (e.g. 2.10.0).</summary>
    /// <exception cref="BackendUnavailableException">libtorch does not load.</exception>
    public static string LibTorchVersion
    {
        get
        {
            EnsureAvailable();
            return torch.__version__;
        }
    }

    /// <summary>Whether libtorch sees a CUDA device (false with the CPU-only libtorch package).</summary>
    /// <exception cref="BackendUnavailableException">libtorch does not load.</exception>
    public static bool IsCudaAvailable
    {
        get
        {
            EnsureAvailable();
            return torch.cuda.is_available();
        }
    }

    /// <summary>Throws unless TorchSharp and libtorch load.</summary>
    /// <exception cref="BackendUnavailableException">They do not; the message names the cause and the fix.</exception>
    public static void EnsureAvailable()
    {
        if (LoadError.Value is { } error)
        {
            throw Unavailable(error);
        }
    }

    /// <summary>
    /// The device for a name: <c>cpu</c>, <c>cuda</c> or <c>cuda:N</c>.
    /// </summary>
    /// <param name="name">The device name.</param>
    /// <exception cref="ArgumentException">The name is none of those.</exception>
    /// <exception cref="BackendUnavailableException">CUDA was asked for and libtorch has no CUDA device (the message says why).</exception>
    public static torch.Device Device(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        EnsureAvailable();
        string n = name.Trim().ToLowerInvariant();
        if (n == "cpu")
        {
            return torch.CPU;
        }

        int index = 0;
        if (n != "cuda" && !(n.StartsWith("cuda:", StringComparison.Ordinal) && int.TryParse(n[5..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out index)))
        {
            throw new ArgumentException($"Unknown device '{name}': expected cpu, cuda or cuda:N.", nameof(name));
        }

        if (!torch.cuda.is_available())
        {
            throw new BackendUnavailableException("CUDA", [$"libtorch {torch.__version__} from {LoadedFrom("libtorch_cpu.so") ?? "its package"}: no CUDA device"],
                "Device 'cuda' needs an NVIDIA GPU with its driver and a CUDA build of libtorch: reference the libtorch-cuda-* package " +
                "that matches TorchSharp instead of libtorch-cpu (docs/native-loading.md), or use --device cpu.");
        }

        int count = torch.cuda.device_count();
        return index < count
            ? new torch.Device(DeviceType.CUDA, index)
            : throw new ArgumentException($"Device '{name}': libtorch sees {count} CUDA device(s).", nameof(name));
    }

    /// <summary>
    /// What <c>handpose doctor</c> prints: availability, libtorch and TorchSharp versions, the library loaded, CUDA,
    /// and the Debian 12 fix's state for each copy of TorchSharp's native library in the application folder.
    /// </summary>
    public static NativeEngineInfo Probe()
    {
        var lines = new List<string> { $"TorchSharp {TorchSharpVersion}" };
        bool available = IsAvailable;
        string? version = null;
        string? loadedFrom = null;
        var tried = new List<string>();
        if (available)
        {
            version = torch.__version__;
            loadedFrom = LoadedFrom(TorchSharpNativeFix.LibraryFileName);
            lines.Add($"libtorch {version} from {LoadedFrom("libtorch_cpu.so") ?? "unknown"}");
            lines.Add(torch.cuda.is_available() ? $"CUDA: available, {torch.cuda.device_count()} device(s)" : "CUDA: not available");
        }
        else
        {
            tried.AddRange(TraceLines(LoadError.Value!));
            lines.Add("CUDA: unknown (libtorch did not load)");
        }

        lines.Add(FixReport(loadedFrom));
        return new NativeEngineInfo(Engine, available, version, loadedFrom, tried, string.Join(Environment.NewLine + "  ", lines));
    }

    /// <summary>The Debian 12 fix line of the doctor report, for the loaded copy or every copy in the application folder.</summary>
    private static string FixReport(string? loadedFrom)
    {
        if (!OperatingSystem.IsLinux())
        {
            return "Debian 12 libstdc++ fix: not needed (not Linux)";
        }

        IReadOnlyList<string> copies = loadedFrom is not null ? [loadedFrom] : TorchSharpNativeFix.FindLibraries([AppContext.BaseDirectory]);
        if (copies.Count == 0)
        {
            return $"Debian 12 libstdc++ fix: no {TorchSharpNativeFix.LibraryFileName} in {AppContext.BaseDirectory}";
        }

        string libstdcxx = TorchSharpNativeFix.SystemLibStdCxx ?? "no libstdc++.so.6 found";
        return string.Join(Environment.NewLine + "  ", copies.Select(c =>
        {
            try
            {
                return TorchSharpNativeFix.Inspect(c) switch
                {
                    TorchSharpFixState.NotNeeded => $"Debian 12 libstdc++ fix: not needed ({libstdcxx} has {TorchSharpNativeFix.MissingVersion}, or {c} does not ask for it)",
                    TorchSharpFixState.Applied => $"Debian 12 libstdc++ fix: applied ({TorchSharpNativeFix.MissingVersion} is weak in {c})",
                    _ => $"Debian 12 libstdc++ fix: NEEDED for {c} ({libstdcxx} lacks {TorchSharpNativeFix.MissingVersion}); run 'handpose doctor --fix'",
                };
            }
            catch (ModelLoadException ex)
            {
                return $"Debian 12 libstdc++ fix: cannot inspect: {ex.Message}";
            }
        }));
    }

    private static Exception? TryLoad()
    {
        try
        {
            torch.InitializeDeviceType(DeviceType.CPU);
            using var probe = torch.zeros(1);
            return null;
        }
        catch (Exception ex) when (ex is TypeInitializationException or DllNotFoundException or NotSupportedException
            or InvalidOperationException or EntryPointNotFoundException or BadImageFormatException or System.Runtime.InteropServices.ExternalException)
        {
            return ex;
        }
    }

    private static BackendUnavailableException Unavailable(Exception error)
    {
        string all = Flatten(error);
        string hint;
        if (all.Contains(TorchSharpNativeFix.MissingVersion, StringComparison.Ordinal) || NeedsDebianFix())
        {
            hint = $"Cause: {TorchSharpNativeFix.LibraryFileName} requires {TorchSharpNativeFix.MissingVersion} (GCC 13's libstdc++), which this system's " +
                $"libstdc++ ({TorchSharpNativeFix.SystemLibStdCxx ?? "not found"}) lacks (Debian 12 has GCC 12). Fix: run 'handpose doctor --fix' " +
                "(or call TorchSharpNativeFix.Apply on the application's copy before first use, or 'bash scripts/setup.sh' in the HandPose repository); " +
                "see docs/native-loading.md.";
        }
        else if (all.Contains("libtorch-cpu", StringComparison.Ordinal) || all.Contains("doesn't contain a reference", StringComparison.Ordinal))
        {
            hint = "Cause: the application carries no libtorch natives. Fix: reference the libtorch-cpu package (or a libtorch-cuda-* package " +
                $"matching TorchSharp {TorchSharpVersion}) in the application; see docs/native-loading.md.";
        }
        else
        {
            hint = "Fix: make sure the application references libtorch-cpu (or a libtorch-cuda-* package) matching TorchSharp " +
                $"{TorchSharpVersion}; 'handpose doctor' shows what was tried; see docs/native-loading.md.";
        }

        return new BackendUnavailableException(Engine, TraceLines(error), hint, error);
    }

    /// <summary>Whether a copy of libLibTorchSharp.so beside the application needs the fix (TorchSharp's trace hides the loader's reason).</summary>
    private static bool NeedsDebianFix()
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        string? beside = Path.GetDirectoryName(typeof(torch).Assembly.Location);
        return TorchSharpNativeFix.FindLibraries(beside is null ? [AppContext.BaseDirectory] : [AppContext.BaseDirectory, beside]).Any(l =>
        {
            try
            {
                return TorchSharpNativeFix.Inspect(l) == TorchSharpFixState.Needed;
            }
            catch (ModelLoadException)
            {
                return false;
            }
        });
    }

    private static string Flatten(Exception error)
    {
        var text = new System.Text.StringBuilder();
        for (Exception? e = error; e is not null; e = e.InnerException)
        {
            text.AppendLine(e.Message);
        }

        return text.ToString();
    }

    private static List<string> TraceLines(Exception error) =>
        Flatten(error).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => l.Contains(".so", StringComparison.Ordinal) || l.Contains("GLIBC", StringComparison.Ordinal) || l.Contains("load", StringComparison.OrdinalIgnoreCase))
            .Distinct(StringComparer.Ordinal)
            .Take(24)
            .DefaultIfEmpty(error.GetType().Name + ": " + error.Message.Split('\n')[0])
            .ToList();

    /// <summary>The path of a loaded shared library (from /proc/self/maps), or null.</summary>
    private static string? LoadedFrom(string fileName)
    {
        if (!File.Exists("/proc/self/maps"))
        {
            return null;
        }

        return File.ReadLines("/proc/self/maps")
            .Select(l => l.IndexOf('/', StringComparison.Ordinal) is int i and >= 0 ? l[i..] : null)
            .FirstOrDefault(p => p is not null && Path.GetFileName(p) == fileName);
    }
}
