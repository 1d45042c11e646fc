using System.Globalization;
using System.Runtime.InteropServices;
using HandPose.Internal;

namespace HandPose.Onnx.Internal.Native;

/// <summary>
/// Finds, loads and checks the ONNX Runtime native library once per process and owns the process-wide
/// <c>OrtEnv</c>. Loader order: explicit path (option or <c>HANDPOSE_ONNXRUNTIME_PATH</c>); the app folder and its
/// <c>runtimes/&lt;rid&gt;/native</c>; the setup cache; finally the OS loader by name.
/// </summary>
internal static unsafe class OrtLibrary
{
    public const string EngineName = "ONNX Runtime";
    public const string PathVariable = "HANDPOSE_ONNXRUNTIME_PATH";
    public const string ExpectedVersion = "1.30.0";
    public const string LibraryFileName = "libonnxruntime.so.1";

    private const string InstallHint =
        "Install it with 'bash scripts/setup.sh' (puts ONNX Runtime " + ExpectedVersion + " into the setup cache), "
        + "reference a package that places libonnxruntime.so under runtimes/<rid>/native, or set "
        + PathVariable + " to the full path of libonnxruntime.so.";

    private static readonly Lock Gate = new();
    private static Loaded? s_loaded;
    private static BackendUnavailableException? s_failure;

    /// <summary>The loaded library (loading it on first use).</summary>
    /// <param name="explicitPath">A path that takes precedence over every other candidate (first call only).</param>
    /// <exception cref="BackendUnavailableException">The library could not be loaded or is too old.</exception>
    public static Loaded Get(string? explicitPath = null)
    {
        Loaded? loaded = Volatile.Read(ref s_loaded);
        if (loaded is not null)
        {
            if (explicitPath is not null && !string.Equals(Path.GetFullPath(explicitPath), loaded.Path, StringComparison.Ordinal))
            {
                throw new BackendUnavailableException(EngineName, [$"{explicitPath}: not used, {loaded.Path} is already loaded in this process"],
                    "Only one ONNX Runtime library can be used per process; pass the same path everywhere or none.");
            }

            return loaded;
        }

        lock (Gate)
        {
            if (s_loaded is not null)
            {
                return s_loaded;
            }

            if (s_failure is not null && explicitPath is null)
            {
                throw s_failure;
            }

            var trace = new List<string>();
            try
            {
                s_loaded = Load(explicitPath, trace);
                s_failure = null;
                return s_loaded;
            }
            catch (BackendUnavailableException ex)
            {
                s_failure = ex;
                throw;
            }
        }
    }

    /// <summary>Describes the engine for <c>handpose doctor</c> without throwing.</summary>
    public static NativeEngineInfo Probe()
    {
        try
        {
            Loaded loaded = Get();
            string providers = string.Join(", ", loaded.AvailableProviders());
            return new NativeEngineInfo(EngineName, true, loaded.Version, loaded.Path, loaded.Trace, $"execution providers: {providers}");
        }
        catch (BackendUnavailableException ex)
        {
            return new NativeEngineInfo(EngineName, false, null, null, ex.PathsTried, ex.InstallHint);
        }
    }

    /// <summary>The candidate paths in loader order.</summary>
    public static IEnumerable<string> Candidates(string? explicitPath)
    {
        if (!string.IsNullOrWhiteSpace(explicitPath))
        {
            yield return Path.GetFullPath(explicitPath);
        }

        string? fromEnv = Environment.GetEnvironmentVariable(PathVariable);
        if (!string.IsNullOrWhiteSpace(fromEnv))
        {
            yield return Path.GetFullPath(fromEnv);
        }

        foreach (string name in new[] { LibraryFileName, "libonnxruntime.so" })
        {
            foreach (string app in NativeLibraryProbe.AppCandidates(name))
            {
                yield return app;
            }
        }

        yield return Path.Combine(HandPoseEnvironment.CacheDirectory, "onnxruntime", ExpectedVersion, "linux-x64", LibraryFileName);
    }

    private static Loaded Load(string? explicitPath, List<string> trace) => LoadFrom(Candidates(explicitPath), trace);

    /// <summary>Loads the first candidate that is an ONNX Runtime library (separate from <see cref="Get"/> for tests).</summary>
    internal static Loaded LoadFrom(IEnumerable<string> candidates, List<string> trace)
    {
        IntPtr lib = NativeLibraryProbe.TryLoad(candidates, trace, out string? from);
        if (lib == IntPtr.Zero)
        {
            throw new BackendUnavailableException(EngineName, trace, InstallHint);
        }

        if (!NativeLibrary.TryGetExport(lib, "OrtGetApiBase", out IntPtr getApiBase))
        {
            trace.Add($"{from}: loaded, but it does not export OrtGetApiBase (not an ONNX Runtime library)");
            throw new BackendUnavailableException(EngineName, trace, InstallHint);
        }

        // OrtApiBase { const OrtApi* (*GetApi)(uint32_t); const char* (*GetVersionString)(void); }
        var apiBase = ((delegate* unmanaged<IntPtr*>)getApiBase)();
        string version = Marshal.PtrToStringUTF8(((delegate* unmanaged<IntPtr>)apiBase[1])()) ?? "unknown";
        IntPtr table = ((delegate* unmanaged<uint, IntPtr>)apiBase[0])(OrtApi.RequestedApiVersion);
        if (table == IntPtr.Zero || !IsSupported(version))
        {
            trace.Add($"{from}: ONNX Runtime {version} does not provide API version {OrtApi.RequestedApiVersion}; HandPose needs ONNX Runtime 1.13 or later (tested with {ExpectedVersion})");
            throw new BackendUnavailableException(EngineName, trace, InstallHint);
        }

        return new Loaded(new OrtApi(table), from!, version, trace);
    }

    private static bool IsSupported(string version)
    {
        string[] parts = version.Split('.');
        return parts.Length >= 2
            && int.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out int major)
            && int.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out int minor)
            && (major > 1 || (major == 1 && minor >= (int)OrtApi.RequestedApiVersion));
    }

    /// <summary>The error funnel: a non-null status becomes an <see cref="EngineException"/>; the status is always released.</summary>
    public static void Check(OrtApi api, IntPtr status)
    {
        if (status == IntPtr.Zero)
        {
            return;
        }

        int code;
        string message;
        try
        {
            code = api.GetErrorCode(status);
            message = Marshal.PtrToStringUTF8((IntPtr)api.GetErrorMessage(status)) ?? string.Empty;
        }
        finally
        {
            api.ReleaseStatus(status);
        }

        throw new EngineException(EngineName, code, $"[{ErrorCodeName(code)}] {message}");
    }

    /// <summary>ORT's <c>OrtErrorCode</c> names.</summary>
    public static string ErrorCodeName(int code) => code switch
    {
        1 => "Fail",
        2 => "InvalidArgument",
        3 => "NoSuchFile",
        4 => "NoModel",
        5 => "EngineError",
        6 => "RuntimeException",
        7 => "InvalidProtobuf",
        8 => "ModelLoaded",
        9 => "NotImplemented",
        10 => "InvalidGraph",
        11 => "EpFail",
        _ => code.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>A loaded ONNX Runtime: its function table, origin, version and process-wide environment.</summary>
    internal sealed class Loaded
    {
        public Loaded(OrtApi api, string path, string version, IReadOnlyList<string> trace)
        {
            Api = api;
            Path = path;
            Version = version;
            Trace = trace;
            IntPtr created;
            fixed (byte* logId = "handpose\0"u8)
            {
                const int LogLevelError = 3;
                OrtLibrary.Check(api, api.CreateEnv(LogLevelError, logId, &created));
            }

            Env = OrtHandle.Env(this);
            Env.Adopt(created);
            const int ArenaAllocator = 1, MemTypeDefault = 0;
            OrtLibrary.Check(api, api.CreateCpuMemoryInfo(ArenaAllocator, MemTypeDefault, &created));
            CpuMemoryInfo = OrtHandle.MemoryInfo(this);
            CpuMemoryInfo.Adopt(created);
            IntPtr allocator;
            OrtLibrary.Check(api, api.GetAllocatorWithDefaultOptions(&allocator));
            DefaultAllocator = allocator;
        }

        public OrtApi Api { get; }

        public string Path { get; }

        public string Version { get; }

        public IReadOnlyList<string> Trace { get; }

        /// <summary>The process-wide <c>OrtEnv</c>: rooted here, so it lives as long as the process.</summary>
        public OrtHandle Env { get; }

        /// <summary>A process-wide CPU memory description, used to wrap caller buffers.</summary>
        public OrtHandle CpuMemoryInfo { get; }

        /// <summary>ORT's default allocator (not owned: never freed).</summary>
        public IntPtr DefaultAllocator { get; }

        public void Check(IntPtr status) => OrtLibrary.Check(Api, status);

        /// <summary>The execution providers compiled into this build, e.g. "CPUExecutionProvider".</summary>
        public IReadOnlyList<string> AvailableProviders()
        {
            byte** names;
            int count;
            Check(Api.GetAvailableProviders(&names, &count));
            try
            {
                var list = new List<string>(count);
                for (int i = 0; i < count; i++)
                {
                    list.Add(Marshal.PtrToStringUTF8((IntPtr)names[i]) ?? string.Empty);
                }

                return list;
            }
            finally
            {
                Check(Api.ReleaseAvailableProviders(names, count));
            }
        }

        /// <summary>Copies and frees a string that ORT allocated with the default allocator.</summary>
        public string TakeString(byte* value)
        {
            if (value is null)
            {
                return string.Empty;
            }

            try
            {
                return Marshal.PtrToStringUTF8((IntPtr)value) ?? string.Empty;
            }
            finally
            {
                Check(Api.AllocatorFree(DefaultAllocator, value));
            }
        }
    }
}
