using System.Collections;
using HandPose.IO;
using HandPose.Testing;

namespace HandPose.Datasets.Tests;

/// <summary>
/// The one NumPy-pickle reader against NumPy's own pickles (TestData/tools/make_numpy_pickles.py): every numeric dtype,
/// byte order, Fortran order, protocols 2/3/5, and bad arrays named by file.
/// </summary>
public sealed class NumpyPickleTests
{
    private static string Fixture(string name) => RepoPaths.Tests("HandPose.Datasets.Tests", "TestData", "numpy-pickle", name);

    [TestCase("dtypes_p2.pickle")]
    [TestCase("dtypes_p3.pickle")]
    [TestCase("dtypes_p5.pickle")]
    public void Every_numeric_dtype_byte_order_and_memory_order_reads_exactly(string file)
    {
        var all = (Hashtable)NumpyPickle.Load(Fixture(file))!;
        PickledArray Get(string name) => (PickledArray)all[name]!;

        Assert.That(Get("f4").Shape, Is.EqualTo(new[] { 2, 3 }));
        Assert.That(Get("f4").ToSingles(), Is.EqualTo(new[] { -2f, -0.5f, 1f, 2.5f, 4f, 5.5f }));
        Assert.That(Get("f8").ToDoubles(), Is.EqualTo(new[] { 0.1, -1e300, double.PositiveInfinity }));
        Assert.That(Get("f8").ToSingles(), Is.EqualTo(new[] { 0.1f, float.NegativeInfinity, float.PositiveInfinity }), "float64 → float32 as numpy's astype");
        Assert.That(Get("i1").ToInt64s(), Is.EqualTo(new long[] { -128, 0, 127 }));
        Assert.That(Get("u1").ToInt64s(), Is.EqualTo(new long[] { 0, 200, 255 }));
        Assert.That(Get("i2").ToInt64s(), Is.EqualTo(new long[] { -32768, 1, 32767 }));
        Assert.That(Get("u2").ToInt64s(), Is.EqualTo(new long[] { 0, 40000, 65535 }));
        Assert.That(Get("i4").ToInt64s(), Is.EqualTo(new long[] { int.MinValue, 5, int.MaxValue }));
        Assert.That(Get("u4").ToDoubles(), Is.EqualTo(new double[] { 0, 3000000000, uint.MaxValue }));
        Assert.That(Get("i8").ToInt64s(), Is.EqualTo(new[] { long.MinValue, (1L << 53) + 1, long.MaxValue }), "exact beyond 2^53");
        Assert.That(Get("u8").ToDoubles(), Is.EqualTo(new double[] { 0, 7, ulong.MaxValue }));
        Assert.That(Get("b1").ToInt64s(), Is.EqualTo(new long[] { 1, 0, 1 }));
        Assert.That(Get("f8_big_endian").ToDoubles(), Is.EqualTo(new[] { 1.25, -3.5 }));
        Assert.That(Get("i4_big_endian").ToInt64s(), Is.EqualTo(new long[] { 1, -2, 3, 70000 }));
        Assert.That(Get("f4_fortran").Shape, Is.EqualTo(new[] { 2, 3, 4 }));
        Assert.That(Get("f4_fortran").ToSingles(), Is.EqualTo(Enumerable.Range(0, 24).Select(i => (float)i)), "C order whatever the memory order");
        Assert.That((Get("empty").Shape, Get("empty").Count, Get("empty").ToDoubles().Length), Is.EqualTo((new[] { 0, 3 }, 0L, 0)));
        Assert.That((Get("scalar").Shape.Count, Get("scalar").ToDoubles()), Is.EqualTo((0, new[] { 7.25 })));
        Assert.That((Get("f4").DType, Get("f4").IsFloatingPoint, Get("u8").DType, Get("u8").IsFloatingPoint), Is.EqualTo(("f4", true, "u8", false)));
        Assert.Throws<InvalidOperationException>(() => Get("f8").ToInt64s());
    }

    [Test]
    public void A_list_that_contains_itself_is_read_without_recursing_forever()
    {
        var list = (ArrayList)NumpyPickle.Load(Fixture("cyclic_list.pickle"))!;
        Assert.That(((PickledArray)list[0]!).ToDoubles(), Is.EqualTo(new[] { 1.0, 2.0 }));
        Assert.That(list[1], Is.SameAs(list));
    }

    [TestCase("bad_float16.pickle", "unsupported dtype 'f2'")]
    [TestCase("bad_object_array.pickle", "object arrays are not supported")]
    [TestCase("bad_short_data.pickle", "ndarray of shape (2, 3) and dtype 'f8' needs 48 bytes; the pickle has 40")]
    public void Bad_arrays_are_data_format_exceptions_naming_file_and_problem(string file, string problem)
    {
        var ex = Assert.Throws<DataFormatException>(() => NumpyPickle.Load(Fixture(file), "test"))!;
        Assert.That(ex.Message, Does.Contain(file).And.Contain(problem));
        Assert.That(ex.Format, Is.EqualTo("test"));
    }

    [Test]
    public void Truncated_missing_and_foreign_files_are_data_format_exceptions()
    {
        byte[] bytes = File.ReadAllBytes(Fixture("dtypes_p3.pickle"));
        for (int cut = 0; cut < bytes.Length; cut += 97)
        {
            var ex = Assert.Throws<DataFormatException>(() => NumpyPickle.Read(bytes[..cut], "cut.pickle"), $"cut at {cut}")!;
            Assert.That(ex.Message, Does.Contain("cut.pickle"));
        }

        Assert.That(Assert.Throws<DataFormatException>(() => NumpyPickle.Load(Fixture("missing.pickle")))!.Message, Does.Contain("missing.pickle"));
        Assert.Throws<DataFormatException>(() => NumpyPickle.Read("{\"json\": 1}"u8.ToArray(), "x.json"));
    }
}
