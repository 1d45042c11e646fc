using System.Reflection;
using System.Runtime.InteropServices;
using HandPose.Internal;

namespace HandPose.Torch.Internal.Native;

/// <summary>
/// Finds and loads the shim (which brings libtorch with it), checks the version handshake and turns the shim's
/// error-as-data convention into <see cref="EngineException"/>.
/// </summary>
internal static class TorchLibrary
{
    public const string EngineName = "libtorch";
    public const string PathVariable = "HANDPOSE_LIBTORCH_SHIM_PATH";
    public const string FileName = "libhandpose_torch.so";

    public const string InstallHint =
        "Install libtorch and build the HandPose shim with 'bash scripts/setup.sh' (Debian: apt-get install libtorch-dev, " +
        "then the shim is built into $HANDPOSE_CACHE/native/torch), or set " + PathVariable + " to a libhandpose_torch.so " +
        "built from src/HandPose.Torch/native (cmake -DCMAKE_PREFIX_PATH=/path/to/libtorch for another libtorch).";

    private static readonly Lock Gate = new();
    private static State? _state;

    private sealed record State(IntPtr Handle, string? LoadedFrom, List<string> Trace, string? Version, string? Failure);

    /// <summary>Whether the shim and libtorch load and pass the handshake.</summary>
    public static bool IsAvailable => Load().Failure is null;

    /// <summary>libtorch's version as compiled into the shim, or null.</summary>
    public static string? Version => Load().Version;

    /// <summary>The file the shim was loaded from, or null.</summary>
    public static string? LoadedFrom => Load().LoadedFrom;

    /// <summary>Every candidate tried, with the outcome.</summary>
    public static IReadOnlyList<string> Trace => Load().Trace;

    /// <summary>Throws <see cref="BackendUnavailableException"/> unless the shim is usable.</summary>
    public static void EnsureLoaded()
    {
        State state = Load();
        if (state.Failure is not null)
        {
            throw new BackendUnavailableException(EngineName, state.Trace, $"{state.Failure} {InstallHint}");
        }
    }

    /// <summary>Throws the pending native error when <paramref name="status"/> is negative.</summary>
    public static int Check(int status)
    {
        if (status < 0)
        {
            throw LastError();
        }

        return status;
    }

    /// <summary>Throws the pending native error when <paramref name="pointer"/> is null.</summary>
    public static IntPtr Check(IntPtr pointer)
    {
        if (pointer == IntPtr.Zero)
        {
            throw LastError();
        }

        return pointer;
    }

    /// <summary>The pending native error of this thread as an exception.</summary>
    public static EngineException LastError()
    {
        string message = Marshal.PtrToStringUTF8(NativeMethods.hp_last_error()) ?? "unknown error";
        return new EngineException(EngineName, 0, message.Trim());
    }

    private static State Load()
    {
        State? state = Volatile.Read(ref _state);
        if (state is not null)
        {
            return state;
        }

        lock (Gate)
        {
            if (_state is null)
            {
                _state = Probe();
                if (_state.Failure is null)
                {
                    NativeLibrary.SetDllImportResolver(typeof(TorchLibrary).Assembly, Resolve);
                }
            }

            return _state;
        }
    }

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? path) =>
        name == NativeMethods.Library ? Load().Handle : IntPtr.Zero;

    private static IEnumerable<string> Candidates()
    {
        string? configured = Environment.GetEnvironmentVariable(PathVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            yield return Path.GetFullPath(configured);
        }

        foreach (string app in NativeLibraryProbe.AppCandidates(FileName))
        {
            yield return app;
        }

        yield return Path.Combine(HandPoseEnvironment.CacheDirectory, "native", "torch", FileName);
    }

    private static unsafe State Probe()
    {
        var trace = new List<string>();
        IntPtr handle = NativeLibraryProbe.TryLoad(Candidates(), trace, out string? from);
        if (handle == IntPtr.Zero)
        {
            return new State(IntPtr.Zero, null, trace, null, "The HandPose libtorch shim was not found or did not load.");
        }

        if (!NativeLibrary.TryGetExport(handle, "hp_abi_version", out IntPtr abiExport)
            || !NativeLibrary.TryGetExport(handle, "hp_torch_version", out IntPtr versionExport))
        {
            trace.Add($"{from}: not a HandPose libtorch shim (no hp_abi_version export)");
            return new State(IntPtr.Zero, from, trace, null, $"{from} is not a HandPose libtorch shim.");
        }

        int abi = ((delegate* unmanaged<int>)abiExport)();
        string? version = Marshal.PtrToStringUTF8(((delegate* unmanaged<IntPtr>)versionExport)());
        if (abi != NativeMethods.AbiVersion)
        {
            trace.Add($"{from}: shim ABI version {abi}, this HandPose.Torch needs {NativeMethods.AbiVersion}");
            return new State(IntPtr.Zero, from, trace, version,
                $"The shim at {from} has ABI version {abi} but HandPose.Torch needs {NativeMethods.AbiVersion}: rebuild it (bash scripts/setup.sh).");
        }

        return new State(handle, from, trace, version, null);
    }
}
