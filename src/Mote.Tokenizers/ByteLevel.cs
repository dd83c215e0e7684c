namespace Mote.Tokenizers;

/// <summary>
/// GPT-2's byte-level alphabet: every byte gets a printable character so that BPE vocabularies can store arbitrary
/// bytes as text. Printable Latin-1 bytes (<c>!</c>..<c>~</c>, <c>¡</c>..<c>¬</c>, <c>®</c>..<c>ÿ</c>) stand for
/// themselves; the other 68 bytes, in increasing order, take U+0100, U+0101, ... (so a space is <c>Ġ</c> U+0120 and
/// a newline <c>Ċ</c> U+010A). This is llama.cpp's <c>unicode_byte_to_utf8_map</c>.
/// </summary>
internal static class ByteLevel
{
    private static readonly char[] s_byteToChar = BuildByteToChar();
    private static readonly short[] s_charToByte = BuildCharToByte(s_byteToChar);

    /// <summary>The alphabet character standing for <paramref name="value"/>.</summary>
    public static char ToChar(byte value) => s_byteToChar[value];

    /// <summary>The byte an alphabet character stands for, or -1 when the character is not in the alphabet.</summary>
    public static int ToByte(int c) => (uint)c < (uint)s_charToByte.Length ? s_charToByte[c] : -1;

    /// <summary>
    /// Decodes a vocabulary token's text back to bytes (llama.cpp's <c>llama_decode_text</c>). A character outside
    /// the alphabet is written as llama.cpp writes it: <c>[UNK_BYTE_0x..</c> followed by the whole token text and <c>]</c>.
    /// </summary>
    public static byte[] Decode(string tokenText)
    {
        var bytes = new List<byte>(tokenText.Length);
        Span<byte> utf8 = stackalloc byte[4];
        foreach (var rune in tokenText.EnumerateRunes())
        {
            var value = ToByte(rune.Value);
            if (value >= 0)
            {
                bytes.Add((byte)value);
                continue;
            }
            var length = rune.EncodeToUtf8(utf8);
            var marker = new System.Text.StringBuilder("[UNK_BYTE_0x");
            for (var i = 0; i < length; i++)
                marker.Append(utf8[i].ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
            marker.Append(tokenText).Append(']');
            bytes.AddRange(System.Text.Encoding.UTF8.GetBytes(marker.ToString()));
        }
        return [.. bytes];
    }

    private static char[] BuildByteToChar()
    {
        var table = new char[256];
        var next = 256;
        for (var b = 0; b < 256; b++)
        {
            var printable = b is (>= 0x21 and <= 0x7E) or (>= 0xA1 and <= 0xAC) or (>= 0xAE and <= 0xFF);
            table[b] = printable ? (char)b : (char)next++;
        }
        return table;
    }

    private static short[] BuildCharToByte(char[] byteToChar)
    {
        var table = new short[324]; // the alphabet ends at U+0143
        Array.Fill(table, (short)-1);
        for (var b = 0; b < byteToChar.Length; b++)
            table[byteToChar[b]] = (short)b;
        return table;
    }
}
