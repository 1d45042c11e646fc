namespace HandPose.Evaluation;

/// <summary>
/// Similarity alignment of a predicted 3D hand onto its ground truth, as the FreiHAND evaluation does it
/// (<c>align_w_scale</c>): both are centred and scaled to unit Frobenius norm, the prediction is rotated by the
/// orthogonal Procrustes solution (<c>R = U Vᵀ</c> from the SVD of <c>Aᵀ B</c>, which may include a reflection, as
/// SciPy's <c>orthogonal_procrustes</c>) and scaled by the sum of the singular values, then mapped back into the
/// ground truth's position and scale.
/// </summary>
/// <remarks>Keypoints missing on either side are left out of the fit and stay missing in the output. Thread-safe.</remarks>
public static class Procrustes
{
    // Added to both norms, as the reference does, so that a collapsed hand does not divide by zero.
    private const double NormEpsilon = 1e-8;

    /// <summary>Aligns <paramref name="predicted"/> onto <paramref name="groundTruth"/>.</summary>
    /// <param name="predicted">The predicted keypoints.</param>
    /// <param name="groundTruth">The ground truth, same length.</param>
    /// <param name="destination">The aligned prediction, same length.</param>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static void Align(ReadOnlySpan<Keypoint3D> predicted, ReadOnlySpan<Keypoint3D> groundTruth, Span<Keypoint3D> destination)
    {
        if (predicted.Length != groundTruth.Length || destination.Length != predicted.Length)
        {
            throw new ArgumentException($"Expected equal lengths; got {predicted.Length} predicted, {groundTruth.Length} ground truth, {destination.Length} destination.", nameof(destination));
        }

        Span<double> t1 = stackalloc double[3], t2 = stackalloc double[3];
        int used = 0;
        for (int i = 0; i < predicted.Length; i++)
        {
            if (Usable(predicted[i], groundTruth[i]))
            {
                Add(t1, groundTruth[i], 1);
                Add(t2, predicted[i], 1);
                used++;
            }
        }

        if (used == 0)
        {
            destination.Fill(Keypoint3D.Missing);
            return;
        }

        for (int c = 0; c < 3; c++)
        {
            t1[c] /= used;
            t2[c] /= used;
        }

        // Norms of the centred sets and M = Aᵀ B (A: ground truth, B: prediction), before normalisation.
        double n1 = 0, n2 = 0;
        Span<double> m = stackalloc double[9];
        for (int i = 0; i < predicted.Length; i++)
        {
            if (!Usable(predicted[i], groundTruth[i]))
            {
                continue;
            }

            ReadOnlySpan<double> a = [groundTruth[i].X - t1[0], groundTruth[i].Y - t1[1], groundTruth[i].Z - t1[2]];
            ReadOnlySpan<double> b = [predicted[i].X - t2[0], predicted[i].Y - t2[1], predicted[i].Z - t2[2]];
            for (int r = 0; r < 3; r++)
            {
                n1 += a[r] * a[r];
                n2 += b[r] * b[r];
                for (int c = 0; c < 3; c++)
                {
                    m[(3 * r) + c] += a[r] * b[c];
                }
            }
        }

        double s1 = Math.Sqrt(n1) + NormEpsilon, s2 = Math.Sqrt(n2) + NormEpsilon;
        for (int i = 0; i < 9; i++)
        {
            m[i] /= s1 * s2;
        }

        Span<double> rotation = stackalloc double[9];
        double scale = PolarFactor(m, rotation);

        // aligned = ((p - t2) / s2) · Rᵀ · scale · s1 + t1
        double factor = scale * s1 / s2;
        for (int i = 0; i < predicted.Length; i++)
        {
            if (predicted[i].IsMissing)
            {
                destination[i] = Keypoint3D.Missing;
                continue;
            }

            double x = predicted[i].X - t2[0], y = predicted[i].Y - t2[1], z = predicted[i].Z - t2[2];
            destination[i] = new Keypoint3D(
                (float)((factor * ((rotation[0] * x) + (rotation[1] * y) + (rotation[2] * z))) + t1[0]),
                (float)((factor * ((rotation[3] * x) + (rotation[4] * y) + (rotation[5] * z))) + t1[1]),
                (float)((factor * ((rotation[6] * x) + (rotation[7] * y) + (rotation[8] * z))) + t1[2]),
                predicted[i].Confidence);
        }
    }

    private static bool Usable(Keypoint3D p, Keypoint3D g) => !p.IsMissing && !g.IsMissing;

    private static void Add(Span<double> sum, Keypoint3D p, double weight)
    {
        sum[0] += weight * p.X;
        sum[1] += weight * p.Y;
        sum[2] += weight * p.Z;
    }

    /// <summary>
    /// For M = U W Vᵀ (3 × 3, row-major), writes R = U Vᵀ (row-major) and returns the sum of the singular values.
    /// V and W² come from a Jacobi eigen-decomposition of MᵀM; U's columns are M vᵢ / wᵢ, and a column whose singular
    /// value vanishes is completed as the cross product of the other two.
    /// </summary>
    internal static double PolarFactor(ReadOnlySpan<double> m, Span<double> r)
    {
        Span<double> s = stackalloc double[9];
        for (int i = 0; i < 3; i++)
        {
            for (int j = 0; j < 3; j++)
            {
                s[(3 * i) + j] = (m[i] * m[j]) + (m[3 + i] * m[3 + j]) + (m[6 + i] * m[6 + j]);
            }
        }

        Span<double> v = stackalloc double[9]; // columns are eigenvectors
        JacobiEigen(s, v);

        // Order by eigenvalue, largest first.
        Span<int> order = [0, 1, 2];
        for (int a = 0; a < 3; a++)
        {
            for (int b = a + 1; b < 3; b++)
            {
                if (s[(4 * order[b])] > s[(4 * order[a])])
                {
                    (order[a], order[b]) = (order[b], order[a]);
                }
            }
        }

        Span<double> u = stackalloc double[9]; // columns
        Span<double> w = stackalloc double[3];
        double largest = Math.Sqrt(Math.Max(s[4 * order[0]], 0));
        for (int k = 0; k < 3; k++)
        {
            int e = order[k];
            w[k] = Math.Sqrt(Math.Max(s[4 * e], 0));
            if (w[k] <= 1e-12 * Math.Max(largest, 1e-300))
            {
                w[k] = 0;
                continue;
            }

            for (int row = 0; row < 3; row++)
            {
                u[(3 * row) + k] = ((m[3 * row] * v[e]) + (m[(3 * row) + 1] * v[3 + e]) + (m[(3 * row) + 2] * v[6 + e])) / w[k];
            }
        }

        CompleteBasis(u, w);
        r.Clear();
        for (int k = 0; k < 3; k++)
        {
            int e = order[k];
            for (int i = 0; i < 3; i++)
            {
                for (int j = 0; j < 3; j++)
                {
                    r[(3 * i) + j] += u[(3 * i) + k] * v[(3 * j) + e];
                }
            }
        }

        return w[0] + w[1] + w[2];
    }

    /// <summary>Fills the columns of U whose singular value is zero with unit vectors orthogonal to the others.</summary>
    private static void CompleteBasis(Span<double> u, ReadOnlySpan<double> w)
    {
        if (w[0] == 0)
        {
            u.Clear();
            u[0] = u[4] = u[8] = 1;
            return;
        }

        if (w[1] == 0)
        {
            // Any unit vector orthogonal to column 0: cross with the axis least aligned with it.
            double x = u[0], y = u[3], z = u[6];
            (double ax, double ay, double az) = Math.Abs(x) <= Math.Abs(y) && Math.Abs(x) <= Math.Abs(z) ? (1.0, 0.0, 0.0)
                : Math.Abs(y) <= Math.Abs(z) ? (0.0, 1.0, 0.0) : (0.0, 0.0, 1.0);
            double cx = (y * az) - (z * ay), cy = (z * ax) - (x * az), cz = (x * ay) - (y * ax);
            double len = Math.Sqrt((cx * cx) + (cy * cy) + (cz * cz));
            u[1] = cx / len;
            u[4] = cy / len;
            u[7] = cz / len;
        }

        if (w[2] == 0)
        {
            u[2] = (u[3] * u[7]) - (u[6] * u[4]);
            u[5] = (u[6] * u[1]) - (u[0] * u[7]);
            u[8] = (u[0] * u[4]) - (u[3] * u[1]);
        }
    }

    /// <summary>Cyclic Jacobi: diagonalises the symmetric <paramref name="a"/> in place; <paramref name="v"/> gets the eigenvectors as columns.</summary>
    private static void JacobiEigen(Span<double> a, Span<double> v)
    {
        v.Clear();
        v[0] = v[4] = v[8] = 1;
        for (int sweep = 0; sweep < 50; sweep++)
        {
            double off = (a[1] * a[1]) + (a[2] * a[2]) + (a[5] * a[5]);
            double diag = (a[0] * a[0]) + (a[4] * a[4]) + (a[8] * a[8]);
            if (off <= 1e-30 * Math.Max(diag, 1e-300))
            {
                return;
            }

            Rotate(a, v, 0, 1);
            Rotate(a, v, 0, 2);
            Rotate(a, v, 1, 2);
        }
    }

    private static void Rotate(Span<double> a, Span<double> v, int p, int q)
    {
        double apq = a[(3 * p) + q];
        if (apq == 0)
        {
            return;
        }

        double theta = (a[(3 * q) + q] - a[(3 * p) + p]) / (2 * apq);
        double t = Math.Sign(theta == 0 ? 1 : theta) / (Math.Abs(theta) + Math.Sqrt((theta * theta) + 1));
        double c = 1 / Math.Sqrt((t * t) + 1), s = t * c;
        for (int k = 0; k < 3; k++)
        {
            // A ← A·J (columns p, q), then Jᵀ·A (rows p, q); V ← V·J.
            double akp = a[(3 * k) + p], akq = a[(3 * k) + q];
            a[(3 * k) + p] = (c * akp) - (s * akq);
            a[(3 * k) + q] = (s * akp) + (c * akq);
        }

        for (int k = 0; k < 3; k++)
        {
            double apk = a[(3 * p) + k], aqk = a[(3 * q) + k];
            a[(3 * p) + k] = (c * apk) - (s * aqk);
            a[(3 * q) + k] = (s * apk) + (c * aqk);
        }

        for (int k = 0; k < 3; k++)
        {
            double vkp = v[(3 * k) + p], vkq = v[(3 * k) + q];
            v[(3 * k) + p] = (c * vkp) - (s * vkq);
            v[(3 * k) + q] = (s * vkp) + (c * vkq);
        }
    }
}
