using HandPose.Onnx.Model;
using HandPose.Onnx.Runtime;
using HandPose.Testing;

namespace HandPose.Onnx.Tests.Runtime;

/// <summary>Graphs written by our own ONNX writer run on ONNX Runtime and match a direct computation.</summary>
[Category("Native")]
public sealed class WriterRoundTripTests
{
    [SetUp]
    public void RequireRuntime() => OrtTestEnvironment.RequireRuntime();

    [Test]
    public void Conv_gemm_relu_graph_matches_direct_computation()
    {
        var rng = new Random(42);
        float[] convW = Fill(rng, 3 * 2 * 3 * 3);
        float[] convB = Fill(rng, 3);
        float[] gemmW = Fill(rng, 3 * 5 * 5 * 4);
        float[] gemmB = Fill(rng, 4);

        var b = new OnnxGraphBuilder("roundtrip", 13);
        b.AddInput("x", OnnxElementType.Float, "batch", 2, 5, 5);
        b.AddInitializer("conv_w", convW, [3, 2, 3, 3]);
        b.AddInitializer("conv_b", convB, [3]);
        b.AddInitializer("gemm_w", gemmW, [75, 4]);
        b.AddInitializer("gemm_b", gemmB, [4]);
        b.AddInitializer("flat", [-1L, 75L], [2]);
        b.AddNode("Conv", ["x", "conv_w", "conv_b"], ["c"], [OnnxAttribute.Ints("pads", 1, 1, 1, 1), OnnxAttribute.Ints("kernel_shape", 3, 3)]);
        b.AddNode("Relu", ["c"], ["r"]);
        b.AddNode("Reshape", ["r", "flat"], ["f"]);
        b.AddNode("Gemm", ["f", "gemm_w", "gemm_b"], ["y"]);
        b.AddOutput("y", OnnxElementType.Float, "batch", 4);
        b.SetMetadata("handpose.test", "writer");

        using var session = OnnxSession.FromBytes(b.ToBytes());
        Assert.That(session.Metadata["handpose.test"], Is.EqualTo("writer"));
        Assert.That(session.Inputs[0].ToString(), Is.EqualTo("float32 [batch, 2, 5, 5]"));

        const int Batch = 3;
        float[] x = Fill(rng, Batch * 2 * 5 * 5);
        using OnnxRunResult result = session.Run([OnnxTensor.FromMemory<float>("x", x, Batch, 2, 5, 5)]);
        Assert.That(result[0].Shape, Is.EqualTo(new long[] { Batch, 4 }));

        float[] expected = new float[Batch * 4];
        for (int n = 0; n < Batch; n++)
        {
            float[] hidden = new float[75];
            for (int oc = 0; oc < 3; oc++)
            {
                for (int y = 0; y < 5; y++)
                {
                    for (int xx = 0; xx < 5; xx++)
                    {
                        double acc = convB[oc];
                        for (int ic = 0; ic < 2; ic++)
                        {
                            for (int ky = 0; ky < 3; ky++)
                            {
                                for (int kx = 0; kx < 3; kx++)
                                {
                                    int iy = y + ky - 1, ix = xx + kx - 1;
                                    if (iy >= 0 && iy < 5 && ix >= 0 && ix < 5)
                                    {
                                        acc += convW[(((oc * 2) + ic) * 9) + (ky * 3) + kx] * x[(n * 50) + (ic * 25) + (iy * 5) + ix];
                                    }
                                }
                            }
                        }

                        hidden[(oc * 25) + (y * 5) + xx] = (float)Math.Max(acc, 0);
                    }
                }
            }

            for (int j = 0; j < 4; j++)
            {
                double acc = gemmB[j];
                for (int i = 0; i < 75; i++)
                {
                    acc += hidden[i] * gemmW[(i * 4) + j];
                }

                expected[(n * 4) + j] = (float)acc;
            }
        }

        Tolerance.AssertAllClose(result[0].GetData<float>(), expected, 1e-4, "writer graph vs direct computation");
    }

    private static float[] Fill(Random rng, int n) => [.. Enumerable.Range(0, n).Select(_ => (rng.NextSingle() * 2f) - 1f)];
}
