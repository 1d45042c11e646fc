namespace HandPose.Torch.Tests;

/// <summary>
/// Autograd against central finite differences in float64 (PyTorch gradcheck's eps 1e-6, atol 1e-5, rtol 1e-3) for
/// every differentiable operation HandPose.Torch exposes. The objective is Σ w·f(x) with fixed random weights w.
/// </summary>
public sealed class GradientCheckTests : TorchTestBase
{
    public sealed record Input(long[] Shape, double Low = -1, double High = 1);

    private static Input I(long[] shape, double low = -1, double high = 1) => new(shape, low, high);

    private static IEnumerable<TestCaseData> Cases()
    {
        TestCaseData C(string name, Func<Tensor[], Tensor> f, params Input[] inputs) => new TestCaseData(f, inputs).SetName(name);
        Input img = I([2, 4, 5, 5]);
        yield return C("conv2d_stride_padding", x => Functional.Conv2d(x[0], x[1], x[2], (2, 1), (1, 2)), img, I([3, 4, 3, 3]), I([3]));
        yield return C("conv2d_dilation_groups", x => Functional.Conv2d(x[0], x[1], null, padding: (2, 2), dilation: (2, 2), groups: 2), img, I([4, 2, 3, 3]));
        yield return C("conv_transpose2d", x => Functional.ConvTranspose2d(x[0], x[1], x[2], (2, 2), (1, 1), (1, 0)), I([1, 3, 3, 4]), I([3, 2, 4, 4]), I([2]));
        yield return C("batch_norm_train", x => Functional.BatchNorm(x[0], Tensor.Zeros([4], DType.Float64), Tensor.Ones([4], DType.Float64), x[1], x[2], training: true), img, I([4], 0.5, 1.5), I([4]));
        yield return C("batch_norm_eval", x => Functional.BatchNorm(x[0], Tensor.FromSpan<double>([0.1, -0.2, 0.3, 0], [4]), Tensor.FromSpan<double>([1.5, 0.7, 1, 2], [4]), x[1], x[2]), img, I([4], 0.5, 1.5), I([4]));
        yield return C("linear", x => Functional.Linear(x[0], x[1], x[2]), I([3, 5]), I([4, 5]), I([4]));
        yield return C("relu", x => Functional.Relu(x[0]), I([3, 7]));
        yield return C("leaky_relu", x => Functional.LeakyRelu(x[0], 0.2), I([3, 7]));
        yield return C("prelu", x => Functional.Prelu(x[0], x[1]), I([2, 3, 4]), I([3], 0.1, 0.5));
        yield return C("sigmoid", x => Functional.Sigmoid(x[0]), I([3, 7]));
        yield return C("tanh", x => Functional.Tanh(x[0]), I([3, 7]));
        yield return C("softmax", x => Functional.Softmax(x[0], 1), I([3, 7]));
        yield return C("log_softmax", x => Functional.LogSoftmax(x[0], 0), I([3, 7]));
        yield return C("max_pool2d", x => Functional.MaxPool2d(x[0], (3, 3), (2, 2), (1, 1)), img);
        yield return C("avg_pool2d", x => Functional.AvgPool2d(x[0], (2, 2), (2, 2), (1, 1)), img);
        yield return C("adaptive_avg_pool2d", x => Functional.AdaptiveAvgPool2d(x[0], (2, 3)), img);
        yield return C("adaptive_max_pool2d", x => Functional.AdaptiveMaxPool2d(x[0], (2, 2)), img);
        yield return C("interpolate_bilinear", x => Functional.Interpolate(x[0], size: (7, 9), mode: InterpolationMode.Bilinear), img);
        yield return C("interpolate_bilinear_align_corners", x => Functional.Interpolate(x[0], size: (7, 9), mode: InterpolationMode.Bilinear, alignCorners: true), img);
        yield return C("interpolate_nearest", x => Functional.Interpolate(x[0], scaleFactor: (2, 2)), img);
        yield return C("dropout_eval", x => Functional.Dropout(x[0], 0.5, false), I([3, 4]));
        yield return C("cat_stack", x => Tensor.Cat([x[0], Tensor.Stack([x[1], x[1]], 1).Reshape(2, 6)], 1), I([2, 3]), I([2, 3]));
        yield return C("reshape_permute_slice_select", x => x[0].Permute(2, 0, 1).Reshape(4, 6).Slice(1, 1, 5, 2).Select(0, 2).Flatten(), I([2, 3, 4]));
        yield return C("arithmetic", x => ((x[0] + x[1]) * x[0] / x[1].Add(3) - x[0].Mul(0.5)).Neg(), I([3, 4]), I([4]));
        yield return C("exp_log_sqrt_pow", x => x[0].Exp() + x[0].Log() + x[0].Sqrt() + x[0].Pow(2.5), I([3, 4], 0.5, 2));
        yield return C("abs_clamp", x => x[0].Abs() + x[0].Clamp(-0.5, 0.4), I([3, 4]));
        yield return C("matmul", x => x[0].MatMul(x[1]), I([2, 3, 4]), I([4, 5]));
        yield return C("reductions", x => Tensor.Stack([x[0].Sum(), x[0].Mean(), x[0].Max([]), x[0].Min([]), x[0].Norm()]).Add(x[0].Sum([1]).Sum()).Add(x[0].Mean([0], true).Sum()), I([3, 4]));
        yield return C("mse_loss", x => Functional.MseLoss(x[0], x[1]), I([3, 4]), I([3, 4]));
        yield return C("l1_loss", x => Functional.L1Loss(x[0], x[1], Reduction.Sum), I([3, 4]), I([3, 4]));
        yield return C("smooth_l1_loss", x => Functional.SmoothL1Loss(x[0], x[1], beta: 0.5), I([3, 4], -2, 2), I([3, 4]));
        yield return C("bce", x => Functional.BinaryCrossEntropy(x[0], x[1]), I([3, 4], 0.05, 0.95), I([3, 4], 0, 1));
        yield return C("bce_with_logits", x => Functional.BinaryCrossEntropyWithLogits(x[0], x[1]), I([3, 4], -3, 3), I([3, 4], 0, 1));
        yield return C("cross_entropy_probabilities", x => Functional.CrossEntropy(x[0], Functional.Softmax(x[1], 1)), I([3, 5]), I([3, 5]));
        yield return C("cross_entropy_indices", x => Functional.CrossEntropy(x[0], Tensor.FromSpan<long>([0, 4, 2], [3])), I([3, 5]));
    }

    [TestCaseSource(nameof(Cases))]
    public void Autograd_matches_finite_differences(Func<Tensor[], Tensor> f, Input[] inputs)
    {
        var rng = new Random(1234);
        double[][] data = inputs.Select(i => Enumerable.Range(0, (int)i.Shape.Aggregate(1L, (a, d) => a * d))
            .Select(_ => i.Low + ((i.High - i.Low) * rng.NextDouble())).ToArray()).ToArray();
        using var scope = TorchRuntime.NewDisposeScope();

        Tensor[] leaves = Make(inputs, data, requiresGrad: true);
        Tensor output = f(leaves);
        Assert.That(output.DType, Is.EqualTo(DType.Float64));
        double[] w = Enumerable.Range(0, (int)output.NumElements).Select(_ => rng.NextDouble() - 0.5).ToArray();
        Tensor weights = Tensor.FromSpan<double>(w, output.Shape);
        (output * weights).Sum().Backward();

        const double eps = 1e-6;
        int checkedCount = 0;
        for (int k = 0; k < inputs.Length; k++)
        {
            Tensor? grad = leaves[k].Grad;
            double[] analytic = grad?.ToArray<double>() ?? new double[data[k].Length];
            for (int j = 0; j < data[k].Length; j++)
            {
                double saved = data[k][j];
                data[k][j] = saved + eps;
                double plus = Objective(f, inputs, data, w);
                data[k][j] = saved - eps;
                double minus = Objective(f, inputs, data, w);
                data[k][j] = saved;
                double numeric = (plus - minus) / (2 * eps);
                Assert.That(analytic[j], Is.EqualTo(numeric).Within(1e-5 + (1e-3 * Math.Abs(numeric))), $"input {k}, element {j}");
                if (Math.Abs(numeric) > 1e-3)
                {
                    checkedCount++;
                }
            }
        }

        Assert.That(checkedCount, Is.GreaterThan(0), "every gradient was ~0: the check would prove nothing");
    }

    private static Tensor[] Make(Input[] inputs, double[][] data, bool requiresGrad) =>
        inputs.Select((i, k) =>
        {
            Tensor t = Tensor.FromSpan<double>(data[k], i.Shape);
            t.RequiresGrad = requiresGrad;
            return t;
        }).ToArray();

    private static double Objective(Func<Tensor[], Tensor> f, Input[] inputs, double[][] data, double[] w)
    {
        using var scope = TorchRuntime.NewDisposeScope();
        using var noGrad = TorchRuntime.NoGrad();
        Tensor output = f(Make(inputs, data, false));
        return (output * Tensor.FromSpan<double>(w, output.Shape)).Sum().Item();
    }
}
