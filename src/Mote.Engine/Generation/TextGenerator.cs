using System.Text;
using Mote.Engine.Runtime;
using Mote.Engine.Sampling;

namespace Mote.Engine.Generation;

/// <summary>
/// Runs the generate loop on a session: prefill the prompt, then sample, stream text and stop on
/// end-of-generation tokens, stop strings, the token limit or a full context.
/// </summary>
public sealed class TextGenerator
{
    private readonly InferenceSession _session;

    public TextGenerator(InferenceSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        _session = session;
    }

    /// <summary>Why the last <see cref="Generate"/> enumeration ended.</summary>
    public FinishReason? FinishReason { get; private set; }

    /// <summary>
    /// Appends <paramref name="prompt"/> to the session (eagerly, so a prompt that does not fit throws here) and
    /// returns the stream of generated tokens with their final text.
    /// </summary>
    /// <exception cref="ContextOverflowException">The prompt does not fit in the context.</exception>
    public IEnumerable<GeneratedToken> Generate(int[] prompt, GenerationOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        ArgumentNullException.ThrowIfNull(options);
        FinishReason = null;
        var sampler = SamplerChain.Create(_session.Model.HyperParameters.VocabularySize, options.Sampling);
        foreach (var token in prompt)
            sampler.Accept(token);
        _session.Prefill(prompt);
        return Continue(options, sampler, cancellationToken);
    }

    private IEnumerable<GeneratedToken> Continue(GenerationOptions options, SamplerChain sampler, CancellationToken cancellationToken)
    {
        var tokenizer = _session.Model.Tokenizer;
        var text = new TextAssembler(options.StopStrings);
        for (var generated = 0; ; generated++)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                FinishReason = Generation.FinishReason.Cancelled;
                yield break;
            }
            if (generated >= options.MaxTokens)
            {
                FinishReason = Generation.FinishReason.Length;
                break;
            }

            var token = sampler.Sample(_session.Logits);
            if (!options.IgnoreEndOfGeneration && tokenizer.IsEndOfGeneration(token))
            {
                FinishReason = Generation.FinishReason.Stop;
                break;
            }

            yield return new GeneratedToken(token, text.Append(tokenizer.TokenToBytes(token)));
            if (text.Stopped)
            {
                FinishReason = Generation.FinishReason.Stop;
                yield break;
            }
            if (_session.Position >= _session.ContextLength)
            {
                FinishReason = Generation.FinishReason.ContextFull;
                break;
            }
            _session.Decode(token);
        }

        var tail = text.Flush();
        if (tail.Length > 0)
            yield return new GeneratedToken(-1, tail);
    }

    /// <summary>Token bytes → complete UTF-8 characters → text with stop strings cut.</summary>
    private sealed class TextAssembler(IReadOnlyList<string> stopStrings)
    {
        private readonly Decoder _utf8 = Encoding.UTF8.GetDecoder();
        private readonly StopStringMatcher _stops = new(stopStrings);
        private char[] _chars = new char[64];

        public bool Stopped => _stops.Stopped;

        public string Append(ReadOnlySpan<byte> bytes) => _stops.Push(Decode(bytes, flush: false));

        public string Flush() => _stops.Stopped ? string.Empty : _stops.Push(Decode([], flush: true)) + _stops.Flush();

        private string Decode(ReadOnlySpan<byte> bytes, bool flush)
        {
            var needed = _utf8.GetCharCount(bytes, flush);
            if (needed > _chars.Length)
                _chars = new char[needed * 2];
            return new string(_chars, 0, _utf8.GetChars(bytes, _chars, flush));
        }
    }
}
