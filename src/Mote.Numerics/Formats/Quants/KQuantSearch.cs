namespace Mote.Numerics.Formats.Quants;

/// <summary>
/// ggml's searches for a group's scale (and minimum) that minimize the weighted quantization error:
/// <c>make_qx_quants</c>, <c>make_q3_quants</c> and <c>make_qkx2_quants</c> from ggml-quants.c. Every float
/// operation is kept in ggml's order (no reassociation, no fused multiply-add) so that the chosen levels, and
/// so the files written, match llama.cpp bit for bit.
/// </summary>
internal static class KQuantSearch
{
    /// <summary>
    /// Symmetric levels −<paramref name="nmax"/>…<paramref name="nmax"/>−1 (stored as l + nmax in
    /// <paramref name="levels"/>) and the scale that best fits them, trying 19 candidate scales around
    /// −nmax / max. Weights come from <paramref name="weights"/> when given, else from
    /// <paramref name="rmseType"/> (1: x², 2: 1, 3: |x|, 4: √|x|).
    /// </summary>
    public static float MakeQxQuants(ReadOnlySpan<float> x, int nmax, Span<sbyte> levels, int rmseType, ReadOnlySpan<float> weights)
    {
        var n = x.Length;
        var max = 0f;
        var amax = 0f;
        for (var i = 0; i < n; i++)
        {
            var ax = MathF.Abs(x[i]);
            if (ax > amax)
            {
                amax = ax;
                max = x[i];
            }
        }
        if (amax < QuantMath.GroupMaxEpsilon)
        {
            levels[..n].Clear();
            return 0f;
        }

        var iscale = -nmax / max;
        if (rmseType == 0)
        {
            for (var i = 0; i < n; i++)
                levels[i] = (sbyte)(nmax + Clamp(QuantMath.NearestInt(iscale * x[i]), -nmax, nmax - 1));
            return 1 / iscale;
        }

        var returnEarly = false;
        if (rmseType < 0)
        {
            rmseType = -rmseType;
            returnEarly = true;
        }

        var sumlx = 0f;
        var suml2 = 0f;
        for (var i = 0; i < n; i++)
        {
            var l = Clamp(QuantMath.NearestInt(iscale * x[i]), -nmax, nmax - 1);
            levels[i] = (sbyte)(l + nmax);
            var w = Weight(x, weights, rmseType, i);
            sumlx += w * x[i] * l;
            suml2 += w * l * l;
        }
        var scale = suml2 != 0 ? sumlx / suml2 : 0.0f;
        if (returnEarly)
            return suml2 > 0 ? 0.5f * (scale + 1 / iscale) : 1 / iscale;

        var best = scale * sumlx;
        for (var step = -9; step <= 9; step++)
        {
            if (step == 0)
                continue;
            iscale = -(nmax + 0.1f * step) / max;
            sumlx = 0;
            suml2 = 0;
            for (var i = 0; i < n; i++)
            {
                var l = Clamp(QuantMath.NearestInt(iscale * x[i]), -nmax, nmax - 1);
                var w = Weight(x, weights, rmseType, i);
                sumlx += w * x[i] * l;
                suml2 += w * l * l;
            }
            if (suml2 > 0 && sumlx * sumlx > best * suml2)
            {
                for (var i = 0; i < n; i++)
                    levels[i] = (sbyte)(nmax + Clamp(QuantMath.NearestInt(iscale * x[i]), -nmax, nmax - 1));
                scale = sumlx / suml2;
                best = scale * sumlx;
            }
        }
        return scale;
    }

    /// <summary>
    /// Symmetric levels for q3_K (stored as l + <paramref name="nmax"/>): start from −nmax / max, then, when
    /// <paramref name="refine"/>, move single levels while that improves the x²-weighted fit (up to 5 passes).
    /// </summary>
    public static float MakeQ3Quants(ReadOnlySpan<float> x, int nmax, Span<sbyte> levels, bool refine)
    {
        var n = x.Length;
        var max = 0f;
        var amax = 0f;
        for (var i = 0; i < n; i++)
        {
            var ax = MathF.Abs(x[i]);
            if (ax > amax)
            {
                amax = ax;
                max = x[i];
            }
        }
        if (amax < QuantMath.GroupMaxEpsilon)
        {
            levels[..n].Clear();
            return 0f;
        }

        var iscale = -nmax / max;
        if (!refine)
        {
            for (var i = 0; i < n; i++)
                levels[i] = (sbyte)(Clamp(QuantMath.NearestInt(iscale * x[i]), -nmax, nmax - 1) + nmax);
            return 1 / iscale;
        }

        var sumlx = 0f;
        var suml2 = 0f;
        for (var i = 0; i < n; i++)
        {
            var l = Clamp(QuantMath.NearestInt(iscale * x[i]), -nmax, nmax - 1);
            levels[i] = (sbyte)l;
            var w = x[i] * x[i];
            sumlx += w * x[i] * l;
            suml2 += w * l * l;
        }
        for (var pass = 0; pass < 5; pass++)
        {
            var changed = 0;
            for (var i = 0; i < n; i++)
            {
                var w = x[i] * x[i];
                var slx = sumlx - w * x[i] * levels[i];
                if (slx > 0)
                {
                    var sl2 = suml2 - w * levels[i] * levels[i];
                    var newL = Clamp(QuantMath.NearestInt(x[i] * sl2 / slx), -nmax, nmax - 1);
                    if (newL != levels[i])
                    {
                        slx += w * x[i] * newL;
                        sl2 += w * newL * newL;
                        if (sl2 > 0 && slx * slx * suml2 > sumlx * sumlx * sl2)
                        {
                            levels[i] = (sbyte)newL;
                            sumlx = slx;
                            suml2 = sl2;
                            changed++;
                        }
                    }
                }
            }
            if (changed == 0)
                break;
        }
        for (var i = 0; i < n; i++)
            levels[i] += (sbyte)nmax;
        return suml2 > 0.0f ? sumlx / suml2 : 0.0f;
    }

    /// <summary>
    /// Asymmetric levels 0…<paramref name="nmax"/> with a scale and a minimum (returned negated in
    /// <paramref name="negatedMin"/>, as ggml's <c>the_min</c>), fitted by weighted least squares over
    /// <paramref name="steps"/> + 1 candidate scales (nmax + <paramref name="rmin"/> + k·<paramref name="rdelta"/>)
    /// / range. The error is weighted |diff| when <paramref name="useMad"/>, else weighted diff².
    /// </summary>
    public static float MakeQkx2Quants(ReadOnlySpan<float> x, int nmax, ReadOnlySpan<float> weights, Span<byte> levels,
        out float negatedMin, Span<byte> scratch, float rmin, float rdelta, int steps, bool useMad)
    {
        var n = x.Length;
        var min = x[0];
        var max = x[0];
        var sumW = weights[0];
        var sumX = sumW * x[0];
        for (var i = 1; i < n; i++)
        {
            if (x[i] < min) min = x[i];
            if (x[i] > max) max = x[i];
            var w = weights[i];
            sumW += w;
            sumX += w * x[i];
        }
        if (min > 0)
            min = 0;
        if (max == min)
        {
            levels[..n].Clear();
            negatedMin = -min;
            return 0f;
        }

        var iscale = nmax / (max - min);
        var scale = 1 / iscale;
        var bestError = 0f;
        for (var i = 0; i < n; i++)
        {
            var l = QuantMath.NearestInt(iscale * (x[i] - min));
            levels[i] = (byte)Clamp(l, 0, nmax);
            var diff = scale * levels[i] + min - x[i];
            diff = useMad ? MathF.Abs(diff) : diff * diff;
            bestError += weights[i] * diff;
        }
        if (steps < 1)
        {
            negatedMin = -min;
            return scale;
        }

        for (var step = 0; step <= steps; step++)
        {
            iscale = (rmin + rdelta * step + nmax) / (max - min);
            float sumL = 0, sumL2 = 0, sumXL = 0;
            for (var i = 0; i < n; i++)
            {
                var l = Clamp(QuantMath.NearestInt(iscale * (x[i] - min)), 0, nmax);
                scratch[i] = (byte)l;
                var w = weights[i];
                sumL += w * l;
                sumL2 += w * l * l;
                sumXL += w * l * x[i];
            }
            var determinant = sumW * sumL2 - sumL * sumL;
            if (determinant > 0)
            {
                var thisScale = (sumW * sumXL - sumX * sumL) / determinant;
                var thisMin = (sumL2 * sumX - sumL * sumXL) / determinant;
                if (thisMin > 0)
                {
                    thisMin = 0;
                    thisScale = sumXL / sumL2;
                }
                var error = 0f;
                for (var i = 0; i < n; i++)
                {
                    var diff = thisScale * scratch[i] + thisMin - x[i];
                    diff = useMad ? MathF.Abs(diff) : diff * diff;
                    error += weights[i] * diff;
                }
                if (error < bestError)
                {
                    scratch[..n].CopyTo(levels);
                    bestError = error;
                    scale = thisScale;
                    min = thisMin;
                }
            }
        }
        negatedMin = -min;
        return scale;
    }

    private static float Weight(ReadOnlySpan<float> x, ReadOnlySpan<float> weights, int rmseType, int i) =>
        !weights.IsEmpty ? weights[i]
        : rmseType == 1 ? x[i] * x[i]
        : rmseType == 2 ? 1
        : rmseType == 3 ? MathF.Abs(x[i])
        : MathF.Sqrt(MathF.Abs(x[i]));

    /// <summary>ggml's <c>MAX(lo, MIN(hi, v))</c>.</summary>
    private static int Clamp(int value, int lo, int hi) => Math.Max(lo, Math.Min(hi, value));
}
