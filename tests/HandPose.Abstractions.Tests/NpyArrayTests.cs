using System.Text;
using HandPose.IO;

namespace HandPose.Abstractions.Tests;

public sealed class NpyArrayTests
{
    [Test]
    public void Write_produces_numpy_1_0_header_aligned_to_64_bytes()
    {
        var array = new NpyArray([2, 3], [0, 1, 2, 3, 4, 5]);
        using var ms = new MemoryStream();
        array.Write(ms);
        byte[] bytes = ms.ToArray();
        int headerLength = bytes[8] | (bytes[9] << 8);
        Assert.That((10 + headerLength) % 64, Is.Zero);
        string header = Encoding.Latin1.GetString(bytes, 10, headerLength);
        Assert.That(header, Does.StartWith("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }"));
        Assert.That(header, Does.EndWith("\n"));
        Assert.That(bytes.Length, Is.EqualTo(10 + headerLength + 24));
    }

    [Test]
    public void Round_trip_keeps_shape_and_values()
    {
        var array = new NpyArray([4], [1.5f, -2f, float.NaN, 3e-9f]);
        using var ms = new MemoryStream();
        array.Write(ms);
        NpyArray back = NpyArray.Read(ms.ToArray());
        Assert.That(back.Shape, Is.EqualTo(new[] { 4 }));
        Assert.That(back.Data, Is.EqualTo(array.Data));
    }

    [Test]
    public void Reads_float64_and_converts()
    {
        string header = "{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }";
        header = header.PadRight(118 - 10 + 9) + "\n";
        var bytes = new List<byte> { 0x93 };
        bytes.AddRange("NUMPY"u8.ToArray());
        bytes.AddRange([1, 0, (byte)header.Length, 0]);
        bytes.AddRange(Encoding.Latin1.GetBytes(header));
        bytes.AddRange(BitConverter.GetBytes(0.25));
        bytes.AddRange(BitConverter.GetBytes(-8.0));
        NpyArray a = NpyArray.Read(bytes.ToArray());
        Assert.That(a.Data, Is.EqualTo(new[] { 0.25f, -8f }));
    }

    [Test]
    public void Truncated_data_names_the_needed_size()
    {
        var array = new NpyArray([3], [1, 2, 3]);
        using var ms = new MemoryStream();
        array.Write(ms);
        byte[] cut = ms.ToArray()[..^4];
        var ex = Assert.Throws<DataFormatException>(() => NpyArray.Read(cut));
        Assert.That(ex!.Message, Does.Contain("needs 12 bytes"));
    }

    [Test]
    public void Non_npy_bytes_are_rejected()
    {
        Assert.Throws<DataFormatException>(() => NpyArray.Read("hello world, not numpy"u8));
    }

    [Test]
    public void Shape_must_match_data()
    {
        Assert.Throws<ArgumentException>(() => _ = new NpyArray([2, 2], new float[3]));
    }
}
