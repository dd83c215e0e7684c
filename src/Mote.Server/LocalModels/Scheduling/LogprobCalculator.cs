using System.Numerics.Tensors;
using System.Text;
using Mote.Contracts;

namespace Mote.Server.LocalModels.Scheduling;

/// <summary>
/// OpenAI-style log-probabilities from a row of raw logits: the log-softmax of the chosen token and of the most
/// likely alternatives. Raw logits (before temperature, penalties or grammar masks) so that the numbers describe
/// the model's own confidence, which is what a cascade judge needs.
/// </summary>
internal sealed class LogprobCalculator(byte[][] pieces, int vocabularySize)
{
    private readonly float[] _scratch = new float[vocabularySize];
    private readonly int[] _topIds = new int[20];
    private readonly float[] _topLogits = new float[20];

    public TokenLogprob Compute(ReadOnlySpan<float> logits, int token, int top)
    {
        var max = TensorPrimitives.Max(logits);
        var scratch = _scratch.AsSpan(0, logits.Length);
        TensorPrimitives.Subtract(logits, max, scratch);
        TensorPrimitives.Exp(scratch, scratch);
        var logZ = max + Math.Log(TensorPrimitives.Sum(scratch));

        List<TopLogprob>? alternatives = null;
        if (top > 0)
        {
            var count = Top(logits, Math.Min(top, _topIds.Length));
            alternatives = new List<TopLogprob>(count);
            for (var i = 0; i < count; i++)
                alternatives.Add(new TopLogprob { Token = Text(_topIds[i]), Logprob = _topLogits[i] - logZ, Bytes = Bytes(_topIds[i]) });
        }
        return new TokenLogprob { Token = Text(token), Logprob = logits[token] - logZ, Bytes = Bytes(token), TopLogprobs = alternatives ?? [] };
    }

    /// <summary>The k largest logits, best first (ties: lower id first), by insertion into a short sorted list.</summary>
    private int Top(ReadOnlySpan<float> logits, int k)
    {
        var count = 0;
        for (var id = 0; id < logits.Length; id++)
        {
            var value = logits[id];
            if (count == k && value <= _topLogits[k - 1])
                continue;
            var at = Math.Min(count, k - 1);
            while (at > 0 && _topLogits[at - 1] < value)
            {
                _topLogits[at] = _topLogits[at - 1];
                _topIds[at] = _topIds[at - 1];
                at--;
            }
            _topLogits[at] = value;
            _topIds[at] = id;
            if (count < k)
                count++;
        }
        return count;
    }

    private string Text(int id) => Encoding.UTF8.GetString(pieces[id]);

    private int[] Bytes(int id)
    {
        var piece = pieces[id];
        var bytes = new int[piece.Length];
        for (var i = 0; i < piece.Length; i++)
            bytes[i] = piece[i];
        return bytes;
    }
}
