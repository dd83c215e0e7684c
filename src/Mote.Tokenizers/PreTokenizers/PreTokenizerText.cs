using System.Text;

namespace Mote.Tokenizers.PreTokenizers;

/// <summary>
/// One piece of text being pre-tokenized, held as code points (the unit llama.cpp's splitters count in) with their
/// <see cref="CodepointFlags"/>, plus the two string views the regex splitters run on, built only when asked for.
/// Per-call scratch: reused across calls on one thread, never shared between threads.
/// </summary>
internal sealed class PreTokenizerText
{
    private int[] _codepoints = new int[64];
    private CodepointFlags[] _flags = new CodepointFlags[64];
    private string? _collapsed;
    private string? _wide;
    private int[]? _wideCharOfCodepoint; // code point index -> UTF-16 index in _wide; null when they are equal

    public int Count { get; private set; }

    public ReadOnlySpan<int> Codepoints => _codepoints.AsSpan(0, Count);

    public ReadOnlySpan<CodepointFlags> Flags => _flags.AsSpan(0, Count);

    /// <summary>Loads <paramref name="text"/>; unpaired surrogates become U+FFFD, as UTF-8 encoding then llama.cpp's decoder would make them.</summary>
    public void Reset(ReadOnlySpan<char> text)
    {
        if (_codepoints.Length < text.Length)
        {
            var size = Math.Max(text.Length, _codepoints.Length * 2);
            _codepoints = new int[size];
            _flags = new CodepointFlags[size];
        }
        var count = 0;
        var index = 0;
        while (index < text.Length)
        {
            Rune.DecodeFromUtf16(text[index..], out var rune, out var consumed);
            _codepoints[count] = rune.Value;
            _flags[count] = UnicodeClasses.Flags(rune.Value);
            count++;
            index += consumed;
        }
        Count = count;
        _collapsed = null;
        _wide = null;
        _wideCharOfCodepoint = null;
    }

    /// <summary>
    /// One character per code point: ASCII as itself, everything else reduced to its category character
    /// (<see cref="UnicodeClasses.Collapse"/>). Regexes using <c>\p{..}</c> run on this view, as in llama.cpp.
    /// </summary>
    public string Collapsed => _collapsed ??= BuildCollapsed();

    /// <summary>
    /// The text itself in UTF-16 with every non-ASCII whitespace replaced by a vertical tab, which is what llama.cpp
    /// feeds <c>std::wregex</c> for regexes without Unicode categories. Astral code points take two characters;
    /// use <see cref="WideIndex"/> to move between code point and character positions.
    /// </summary>
    public string Wide
    {
        get
        {
            if (_wide is null)
                BuildWide();
            return _wide!;
        }
    }

    /// <summary>The position in <see cref="Wide"/> of code point <paramref name="codepointIndex"/> (0..Count).</summary>
    public int WideIndex(int codepointIndex)
    {
        _ = Wide;
        return _wideCharOfCodepoint is null ? codepointIndex : _wideCharOfCodepoint[codepointIndex];
    }

    /// <summary>
    /// The code point index of character <paramref name="wideIndex"/> of <see cref="Wide"/>; an index inside a
    /// surrogate pair maps to the code point after it.
    /// </summary>
    public int CodepointAtWide(int wideIndex)
    {
        _ = Wide;
        if (_wideCharOfCodepoint is null)
            return wideIndex;
        var found = Array.BinarySearch(_wideCharOfCodepoint, 0, Count + 1, wideIndex);
        return found >= 0 ? found : ~found;
    }

    private string BuildCollapsed() =>
        string.Create(Count, this, static (span, self) =>
        {
            for (var i = 0; i < span.Length; i++)
                span[i] = UnicodeClasses.Collapse(self._codepoints[i], self._flags[i]);
        });

    private void BuildWide()
    {
        var astral = false;
        for (var i = 0; i < Count && !astral; i++)
            astral = _codepoints[i] > 0xFFFF;

        var builder = new StringBuilder(Count + 8);
        int[]? map = astral ? new int[Count + 1] : null;
        Span<char> pair = stackalloc char[2];
        for (var i = 0; i < Count; i++)
        {
            if (map is not null)
                map[i] = builder.Length;
            var c = _codepoints[i];
            if (c > 0x7F && (_flags[i] & CodepointFlags.Whitespace) != 0)
                builder.Append('\v');
            else if (c <= 0xFFFF)
                builder.Append((char)c);
            else
                builder.Append(pair[..new Rune(c).EncodeToUtf16(pair)]);
        }
        if (map is not null)
            map[Count] = builder.Length;
        _wide = builder.ToString();
        _wideCharOfCodepoint = map;
    }
}
