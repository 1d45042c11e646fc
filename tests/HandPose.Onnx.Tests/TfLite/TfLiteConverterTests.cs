using HandPose.Onnx.Model;
using HandPose.Onnx.Runtime;
using HandPose.Onnx.Tests.Runtime;
using HandPose.Onnx.TfLite;
using HandPose.Testing;
using static HandPose.Onnx.Tests.TfLite.TfLiteTestModel;

namespace HandPose.Onnx.Tests.TfLite;

public sealed class TfLiteConverterTests
{
    private const int Conv2D = 3, DepthwiseConv2D = 4, Pad = 34, Reshape = 22, Softmax = 25, Mul = 18;

    [TestCase(224, 3, 2, 0, 1)]
    [TestCase(112, 5, 2, 1, 2)]
    [TestCase(56, 5, 1, 2, 2)]
    [TestCase(7, 3, 2, 1, 1)]
    [TestCase(96, 1, 1, 0, 0)]
    public void SamePadding_follows_tensorflow(int input, int kernel, int stride, int before, int after)
    {
        Assert.That(TfLiteOnnxEmitter.SamePadding(input, kernel, stride, 1), Is.EqualTo(((long)before, (long)after)));
    }

    /// <summary>Conv 3x3 s2 SAME + RELU6 (fp16 weights) -> depthwise 5x5 s2 SAME, multiplier 2 -> channel PAD -> RESHAPE to
    /// [1, -1, 5]: the layout risks (asymmetric pads on odd and even sizes, OHWI and depthwise filter orders, NHWC
    /// channel padding, NHWC reshape order) against direct NHWC loops.</summary>
    private static (byte[] Model, float[] Input, float[] Expected) LayoutChain()
    {
        const int h = 9, w = 10, c = 3, c1 = 4, c2 = 8;
        float[] input = NhwcReference.Random(h * w * c, 1);
        float[] w1 = NhwcReference.Round16(NhwcReference.Random(c1 * 3 * 3 * c, 2, 0.8f));
        float[] b1 = NhwcReference.Round16(NhwcReference.Random(c1, 3, 0.5f));
        float[] w2 = NhwcReference.Random(5 * 5 * c2, 4, 0.5f);
        float[] b2 = NhwcReference.Random(c2, 5, 0.5f);

        var m = new TfLiteTestModel();
        int x = m.Input("input_1", 1, h, w, c);
        int fw1 = m.ConstHalfDequantized("w1", w1, c1, 3, 3, c);
        int fb1 = m.ConstHalfDequantized("b1", b1, c1);
        int y1 = m.Tensor("conv", [1, 5, 5, c1]);
        m.Op(Conv2D, [x, fw1, fb1], [y1], 1, new Table((0, (byte)0), (1, 2), (2, 2), (3, (byte)3)));
        int fw2 = m.ConstFloat("w2", w2, 1, 5, 5, c2);
        int fb2 = m.ConstFloat("b2", b2, c2);
        int y2 = m.Tensor("dw", [1, 3, 3, c2]);
        m.Op(DepthwiseConv2D, [y1, fw2, fb2], [y2], 2, new Table((0, (byte)0), (1, 2), (2, 2), (3, 2), (4, (byte)0)));
        int pads = m.ConstInt("pads", [0, 0, 0, 0, 0, 0, 0, 2], 4, 2);
        int y3 = m.Tensor("pad", [1, 3, 3, c2 + 2]);
        m.Op(Pad, [y2, pads], [y3]);
        int shape = m.ConstInt("shape", [1, -1, 5], 3);
        int y4 = m.Tensor("Identity", [1, 18, 5]);
        m.Op(Reshape, [y3, shape], [y4]);
        m.Output(y4);

        float[] r1 = NhwcReference.Conv(input, h, w, c, w1, 3, 3, c1, b1, 2, depthwise: false, relu6: true, out int oh, out int ow);
        float[] r2 = NhwcReference.Conv(r1, oh, ow, c1, w2, 5, 5, c2, b2, 2, depthwise: true, relu6: false, out int oh2, out int ow2);
        float[] r3 = NhwcReference.PadChannels(r2, oh2 * ow2, c2, 2);
        return (m.ToBytes(), input, r3);
    }

    [Test]
    public void Convert_layout_chain_on_onnx_runtime_matches_direct_nhwc_computation()
    {
        OrtTestEnvironment.RequireRuntime();
        (byte[] tflite, float[] input, float[] expected) = LayoutChain();

        byte[] onnx = TfLiteConverter.Convert(tflite, "chain.tflite");
        using OnnxSession session = OnnxSession.FromBytes(onnx);
        using OnnxRunResult result = session.Run([OnnxTensor.FromMemory<float>("input_1", input, 1, 9, 10, 3)]);

        Assert.That(result["Identity"].Shape, Is.EqualTo(new long[] { 1, 18, 5 }));
        Assert.That(result["Identity"].ToArray<float>(), Is.EqualTo(expected).Within(1e-5f));
    }

    [Test]
    public void Convert_layout_chain_passes_the_onnx_checker_with_expected_nodes()
    {
        (byte[] tflite, _, _) = LayoutChain();
        byte[] onnx = TfLiteConverter.Convert(tflite, "chain.tflite");
        string path = Path.Combine(RepoPaths.NewTempDirectory(), "chain.onnx");
        File.WriteAllBytes(path, onnx);

        string shapes = OnnxPython.CheckModel(path);
        OnnxModelInfo info = OnnxModelInfo.FromBytes(onnx);

        Assert.That(shapes.Trim(), Is.EqualTo("Identity 1 [1, 18, 5]"));
        Assert.That(info.OperatorCounts, Is.EquivalentTo(new Dictionary<string, int>
        {
            ["Transpose"] = 2, ["Conv"] = 2, ["Clip"] = 1, ["Pad"] = 1, ["Reshape"] = 1,
        }));
        Assert.That(info.Inputs.Single().ToString(), Is.EqualTo("input_1: Float [1, 9, 10, 3]"));
        Assert.That(info.Metadata[TfLiteConverter.SourceHashKey], Is.EqualTo(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(tflite))));
        Assert.That(info.Metadata["handpose.input_layout"], Is.EqualTo("NHWC"));
    }

    /// <summary>PRELU -> MAX_POOL 2x2 s2 SAME (odd height) -> RESIZE_BILINEAR half-pixel back to 7x6 -> CONCATENATION on
    /// channels -> ADD of a per-channel constant + RELU (also a graph output, so NCHW -> NHWC at the end) -> MEAN over
    /// H, W -> FULLY_CONNECTED -> LOGISTIC, against direct NHWC loops.</summary>
    [Test]
    public void Convert_head_ops_on_onnx_runtime_match_direct_nhwc_computation()
    {
        OrtTestEnvironment.RequireRuntime();
        const int h = 7, w = 6, c = 4;
        float[] input = NhwcReference.Random(h * w * c, 11, 2f);
        float[] alpha = [0.1f, -0.3f, 0.25f, 2f];
        float[] bias = NhwcReference.Random(2 * c, 12);
        float[] fcW = NhwcReference.Random(5 * 2 * c, 13);
        float[] fcB = NhwcReference.Random(5, 14);

        var m = new TfLiteTestModel();
        int x = m.Input("input_1", 1, h, w, c);
        int p = m.Tensor("prelu", [1, h, w, c]);
        m.Op(54, [x, m.ConstFloat("alpha", alpha, 1, 1, c)], [p]);
        int mp = m.Tensor("pool", [1, 4, 3, c]);
        m.Op(17, [p], [mp], 5, new Table((0, (byte)0), (1, 2), (2, 2), (3, 2), (4, 2), (5, (byte)0)));
        int r = m.Tensor("resize", [1, h, w, c]);
        m.Op(23, [mp, m.ConstInt("size", [h, w], 2)], [r], 15, new Table((2, false), (3, true)));
        int cat = m.Tensor("concat", [1, h, w, 2 * c]);
        m.Op(2, [p, r], [cat], 10, new Table((0, -1), (1, (byte)0)));
        int sum = m.Tensor("Identity_1", [1, h, w, 2 * c]);
        m.Op(0, [cat, m.ConstFloat("bias", bias, 2 * c)], [sum], 11, new Table((0, (byte)1)));
        int mean = m.Tensor("mean", [1, 2 * c]);
        m.Op(40, [sum, m.ConstInt("axes", [1, 2], 2)], [mean], 27, new Table((0, false)));
        int fc = m.Tensor("fc", [1, 5]);
        m.Op(9, [mean, m.ConstFloat("fc_w", fcW, 5, 2 * c), m.ConstFloat("fc_b", fcB, 5)], [fc], 8, new Table((0, (byte)0)));
        int y = m.Tensor("Identity", [1, 5]);
        m.Op(14, [fc], [y]);
        m.Output(y);
        m.Output(sum);

        float[] rp = input.Select((v, i) => v >= 0 ? v : v * alpha[i % c]).ToArray();
        float[] rm = NhwcReference.MaxPool(rp, h, w, c, 2, 2, out int ph, out int pw);
        float[] rr = NhwcReference.ResizeHalfPixel(rm, ph, pw, c, h, w);
        float[] rs = new float[h * w * 2 * c];
        for (int i = 0; i < h * w; i++)
        {
            for (int ch = 0; ch < 2 * c; ch++)
            {
                float v = ch < c ? rp[i * c + ch] : rr[i * c + ch - c];
                rs[i * 2 * c + ch] = Math.Max(0f, v + bias[ch]);
            }
        }

        float[] rmean = Enumerable.Range(0, 2 * c).Select(ch => (float)Enumerable.Range(0, h * w).Average(i => rs[i * 2 * c + ch])).ToArray();
        float[] ry = Enumerable.Range(0, 5)
            .Select(o => (float)(1 / (1 + Math.Exp(-(fcB[o] + Enumerable.Range(0, 2 * c).Sum(k => (double)fcW[o * 2 * c + k] * rmean[k]))))))
            .ToArray();

        byte[] onnx = TfLiteConverter.Convert(m.ToBytes(), "head.tflite");
        using OnnxSession session = OnnxSession.FromBytes(onnx);
        using OnnxRunResult result = session.Run([OnnxTensor.FromMemory<float>("input_1", input, 1, h, w, c)]);

        Assert.That(result["Identity_1"].ToArray<float>(), Is.EqualTo(rs).Within(1e-5f));
        Assert.That(result["Identity"].ToArray<float>(), Is.EqualTo(ry).Within(1e-6f));
        Assert.That(OnnxModelInfo.FromBytes(onnx).OperatorCounts["Transpose"], Is.EqualTo(2), "input to NCHW, Identity_1 back to NHWC");
    }

    /// <summary>Conv 1x1 -> PAD doubling the channels -> PRELU (per-channel slopes of both signs and above 1): the forms
    /// ONNX Runtime keeps in its blocked layout (zeros of a 0-weight depthwise conv + Concat; x + (1 − α)·relu(−x)) must
    /// still compute the TFLite operators exactly.</summary>
    [Test]
    public void Convert_channel_doubling_pad_and_prelu_use_depthwise_forms_and_match_direct_nhwc_computation()
    {
        OrtTestEnvironment.RequireRuntime();
        const int h = 4, w = 5, c = 3, c1 = 4;
        float[] input = NhwcReference.Random(h * w * c, 21, 2f);
        float[] w1 = NhwcReference.Random(c1 * c, 22);
        float[] b1 = NhwcReference.Random(c1, 23);
        float[] alpha = [0.25f, -0.5f, 2f, 0f, 0.1f, 1f, -1.5f, 0.75f];

        var m = new TfLiteTestModel();
        int x = m.Input("input_1", 1, h, w, c);
        int y1 = m.Tensor("conv", [1, h, w, c1]);
        m.Op(Conv2D, [x, m.ConstFloat("w1", w1, c1, 1, 1, c), m.ConstFloat("b1", b1, c1)], [y1], 1,
            new Table((0, (byte)0), (1, 1), (2, 1), (3, (byte)0)));
        int y2 = m.Tensor("pad", [1, h, w, 2 * c1]);
        m.Op(Pad, [y1, m.ConstInt("pads", [0, 0, 0, 0, 0, 0, 0, c1], 4, 2)], [y2]);
        int y3 = m.Tensor("Identity", [1, h, w, 2 * c1]);
        m.Op(54, [y2, m.ConstFloat("alpha", alpha, 1, 1, 2 * c1)], [y3]);
        m.Output(y3);

        float[] r1 = NhwcReference.Conv(input, h, w, c, w1, 1, 1, c1, b1, 1, depthwise: false, relu6: false, out _, out _);
        float[] expected = NhwcReference.PadChannels(r1, h * w, c1, c1)
            .Select((v, i) => v >= 0 ? v : v * alpha[i % (2 * c1)]).ToArray();

        byte[] onnx = TfLiteConverter.Convert(m.ToBytes(), "pad_prelu.tflite");
        using OnnxSession session = OnnxSession.FromBytes(onnx);
        using OnnxRunResult result = session.Run([OnnxTensor.FromMemory<float>("input_1", input, 1, h, w, c)]);

        Assert.That(result["Identity"].ToArray<float>(), Is.EqualTo(expected).Within(1e-5f));
        Assert.That(OnnxModelInfo.FromBytes(onnx).OperatorCounts, Is.EquivalentTo(new Dictionary<string, int>
        {
            ["Transpose"] = 2, ["Conv"] = 4, ["Concat"] = 1, ["Relu"] = 1, ["Add"] = 1,
        }));
    }

    [Test]
    public void Convert_unsupported_operators_are_all_listed_in_one_error()
    {
        var m = new TfLiteTestModel();
        int x = m.Input("x", 1, 4);
        int y = m.Tensor("y", [1, 4]);
        int z = m.Tensor("z", [1, 4]);
        int q = m.Tensor("q", [1, 4]);
        m.Op(Softmax, [x], [y]);
        m.Op(Mul, [y, y], [z]);
        m.Op(32, [z], [q], custom: "MyCustomOp");
        m.Output(q);

        var e = Assert.Throws<ModelLoadException>(() => TfLiteConverter.Convert(m.ToBytes(), "bad.tflite"));

        Assert.That(e!.Message, Does.Contain("SOFTMAX (x1)").And.Contain("MUL (x1)").And.Contain("CUSTOM:MyCustomOp (x1)"));
        Assert.That(e.Message, Does.Contain("bad.tflite").And.Contain("Supported operators: ADD"));
        Assert.That(e.Message, Does.Not.Contain("\n"), "the CLI prints only the first line");
    }

    [Test]
    public void Convert_non_tflite_bytes_throw_ModelLoadException()
    {
        byte[] onnx = TfLiteConverter.Convert(LayoutChain().Model, "chain.tflite");

        var e = Assert.Throws<ModelLoadException>(() => TfLiteConverter.Convert(onnx, "model.onnx"));
        Assert.That(e!.Message, Does.Contain("TFL3"));
    }

    [TestCase(16)]
    [TestCase(200)]
    [TestCase(1000)]
    public void Convert_truncated_tflite_throws_ModelLoadException(int length)
    {
        byte[] tflite = LayoutChain().Model;

        Assert.Throws<ModelLoadException>(() => TfLiteConverter.Convert(tflite[..length], "cut.tflite"));
    }

    [Test]
    public void ConvertFile_missing_input_names_the_file()
    {
        string dir = RepoPaths.NewTempDirectory();
        string missing = Path.Combine(dir, "missing.tflite");

        var e = Assert.Throws<ModelLoadException>(() => TfLiteConverter.ConvertFile(missing, Path.Combine(dir, "out.onnx")));
        Assert.That(e!.Message, Does.Contain(missing));
    }
}

public sealed class TfLiteConverterCorruptionTests
{
    /// <summary>Every single-byte corruption of a valid model either converts or raises ModelLoadException: never
    /// another exception type, a hang or a crash.</summary>
    [Test]
    public void Convert_any_corrupted_byte_gives_a_model_or_ModelLoadException()
    {
        byte[] valid = TfLiteTestModelSamples.Small();
        var rng = new Random(7);
        int failures = 0;
        for (int position = 0; position < valid.Length; position++)
        {
            foreach (byte value in new[] { (byte)0, (byte)0xFF, (byte)(valid[position] ^ 0x80), (byte)rng.Next(256) })
            {
                byte[] corrupt = (byte[])valid.Clone();
                corrupt[position] = value;
                try
                {
                    TfLiteConverter.Convert(corrupt, "corrupt.tflite");
                }
                catch (ModelLoadException)
                {
                    failures++;
                }
            }
        }

        Assert.That(failures, Is.GreaterThan(0), "some corruptions must be detected");
    }
}

internal static class TfLiteTestModelSamples
{
    /// <summary>A conv (fp16 weights) followed by a reshape: small enough to corrupt every byte.</summary>
    public static byte[] Small()
    {
        var m = new TfLiteTestModel();
        int x = m.Input("input_1", 1, 4, 4, 2);
        int w = m.ConstHalfDequantized("w", NhwcReference.Random(3 * 3 * 3 * 2, 9), 3, 3, 3, 2);
        int y = m.Tensor("conv", [1, 2, 2, 3]);
        m.Op(3, [x, w, -1], [y], 1, new TfLiteTestModel.Table((0, (byte)0), (1, 2), (2, 2), (3, (byte)1)));
        int shape = m.ConstInt("shape", [1, 12], 2);
        int z = m.Tensor("Identity", [1, 12]);
        m.Op(22, [y, shape], [z]);
        m.Output(z);
        return m.ToBytes();
    }
}
