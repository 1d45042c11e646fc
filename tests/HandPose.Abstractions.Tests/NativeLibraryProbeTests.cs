using HandPose.Internal;

namespace HandPose.Abstractions.Tests;

public sealed class NativeLibraryProbeTests
{
    [Test]
    public void Every_failed_candidate_is_traced_with_its_reason()
    {
        var trace = new List<string>();
        IntPtr handle = NativeLibraryProbe.TryLoad(["/nonexistent/libfoo.so", "libdefinitely-not-here-123.so"], trace, out string? from);
        Assert.That(handle, Is.EqualTo(IntPtr.Zero));
        Assert.That(from, Is.Null);
        Assert.That(trace, Has.Count.EqualTo(2));
        Assert.That(trace[0], Is.EqualTo("/nonexistent/libfoo.so: not found"));
        Assert.That(trace[1], Does.StartWith("libdefinitely-not-here-123.so: "));
    }

    [Test]
    public void A_loadable_library_is_returned_with_its_path()
    {
        var trace = new List<string>();
        IntPtr handle = NativeLibraryProbe.TryLoad(["/nonexistent/libc.so", "libc.so.6"], trace, out string? from);
        Assert.That(handle, Is.Not.EqualTo(IntPtr.Zero));
        Assert.That(from, Is.EqualTo("libc.so.6"));
        Assert.That(trace[^1], Is.EqualTo("libc.so.6: loaded"));
    }
}
