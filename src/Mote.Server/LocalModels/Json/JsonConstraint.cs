namespace Mote.Server.LocalModels.Json;

/// <summary>
/// Constrained decoding for one sequence: before each sample, every token whose bytes the grammar does not allow
/// next — or that would leave a shortest completion longer than the tokens still allowed — gets a logit of −∞;
/// after it, the chosen token's bytes advance the automaton. End-of-generation tokens are allowed only once the
/// text is a complete value. Not thread-safe; one per sequence.
/// </summary>
internal sealed class JsonConstraint
{
    private readonly JsonAutomaton _automaton;
    private readonly TokenTrie _trie;
    private readonly bool[] _allowed;
    private int _budget;
    private bool _any;

    public JsonConstraint(JsonGrammar grammar, TokenTrie trie)
    {
        ArgumentNullException.ThrowIfNull(grammar);
        ArgumentNullException.ThrowIfNull(trie);
        _automaton = new JsonAutomaton(grammar);
        _trie = trie;
        _allowed = new bool[trie.VocabularySize];
    }

    /// <summary>The root value is closed; generation should end.</summary>
    public bool IsDone => _automaton.IsDone;

    /// <summary>Fewest bytes that still complete the text.</summary>
    public int MinRemaining => _automaton.MinRemaining();

    /// <summary>
    /// Masks <paramref name="logits"/> (n_vocab) to the tokens allowed now, given that at most
    /// <paramref name="tokensLeft"/> tokens (this one included) may still be generated. Returns false when no token
    /// at all is allowed (the caller ends the sequence).
    /// </summary>
    public bool Mask(Span<float> logits, int tokensLeft)
    {
        Array.Clear(_allowed);
        _any = false;
        // Afterwards one token per byte must still be able to finish the text.
        _budget = tokensLeft - 1;
        Walk(0);
        if (!_any)
        {
            // Nothing fits the budget (it was too small from the start): stay valid and let the length limit cut it.
            _budget = int.MaxValue;
            Walk(0);
        }
        if (_automaton.IsAccepting)
        {
            foreach (var id in _trie.EndOfGeneration)
            {
                _allowed[id] = true;
                _any = true;
            }
        }
        if (!_any)
            return false;
        for (var id = 0; id < logits.Length; id++)
            if (id >= _allowed.Length || !_allowed[id])
                logits[id] = float.NegativeInfinity;
        return true;
    }

    /// <summary>Advances past a sampled token; false if the grammar does not allow it (the state is unchanged).</summary>
    public bool Accept(int token)
    {
        if (Array.IndexOf(_trie.EndOfGeneration, token) >= 0)
            return _automaton.IsAccepting;
        var piece = _trie.Pieces[token];
        return piece.Length > 0 && _automaton.Accept(piece);
    }

    private void Walk(int node)
    {
        for (var child = _trie.FirstChild(node); child >= 0; child = _trie.NextSibling(child))
        {
            var mark = _automaton.Mark();
            if (_automaton.Step(_trie.ByteOf(child)))
            {
                var tokens = _trie.TokensAt(child);
                if (!tokens.IsEmpty && _automaton.MinRemaining() <= _budget)
                {
                    foreach (var id in tokens)
                        _allowed[id] = true;
                    _any = true;
                }
                Walk(child);
            }
            _automaton.Undo(mark);
        }
    }
}
