namespace Mote.Tokenizers.PreTokenizers;

/// <summary>
/// llama.cpp's pre-tokenizer regex lists (<c>llm_tokenizer_bpe</c>'s constructor), kept verbatim so they can be
/// compared with upstream line by line. Where llama.cpp replaced a model's original <c>(?i:...)</c> group by explicit
/// <c>[sS]</c> classes (std::regex has no inline flags), the replacement is what is kept here.
/// </summary>
internal static class PreTokenizerRegexes
{
    public const string Gpt2 =
        @"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)";

    public const string Llama3 =
        @"(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    /// <summary>Llama 3's pattern as the model ships it; llama.cpp treats it exactly like <see cref="Llama3"/>.</summary>
    public const string Llama3Original =
        @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    public const string Qwen2 =
        @"(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    public const string Qwen35 =
        @"(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\r\n\p{L}\p{N}]?[\p{L}\p{M}]+|\p{N}| ?[^\s\p{L}\p{M}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    public static readonly string[] Default =
    [
        @"[\p{P}\$\+<=>\^~\|]+",
        Gpt2,
        @"\p{N}+",
        "[0-9][0-9][0-9]",
    ];

    /// <remarks>
    /// The letter class lists Unicode's cased letters; the few code points that canonical normalisation would
    /// replace (U+1F7D, U+1FBE, U+1FD3, U+1FDB, U+2126, U+212A) are written as escapes so no editor can alter them.
    /// </remarks>
    public static readonly string[] DeepSeekLlm =
    [
        "[\r\n]",
        "\\s?[A-Za-zµÀ-ÖØ-öø-ƺƼ-ƿǄ-ʓʕ-ʯͰ-ͳͶͷͻ-ͽͿΆΈ-ΊΌΎ-ΡΣ-ϵϷ-ҁҊ-ԯԱ-ՖႠ-ჅᎠ-Ᏽᏸ-ᏽᲐ-ᲺᲽ-Ჿᴀ-ᴫᵫ-ᵷᵹ-ᶚḀ-ἕἘ-Ἕἠ-ὅὈ-Ὅὐ-ὗὙὛὝὟ-\u1F7Dᾀ-ᾴᾶ-ᾼ\u1FBEῂ-ῄῆ-ῌῐ-\u1FD3ῖ-\u1FDBῠ-Ῥῲ-ῴῶ-ῼℂℇℊ-ℓℕℙ-ℝℤ\u2126ℨ\u212A-ℭℯ-ℴℹℼ-ℿⅅ-ⅉⅎↃↄⰀ-ⱻⱾ-ⳤⳫ-ⳮⳲⳳꙀ-ꙭꚀ-ꚛꜢ-ꝯꝱ-ꞇꞋ-ꞎꭰ-ꮿﬀ-ﬆﬓ-ﬗＡ-Ｚａ-ｚ\\U00010400-\\U0001044f𐒰-𐓓𐓘-𐓻𐲀-𐲲𐳀-𐳲𑢠-𑣟𞤀-𞥃]+",
        @"\s?[!-/:-~！-／：-～‘-‟　-。]+",
        @"\s+$",
        "[一-龥ࠀ-一가-퟿]+",
        @"\p{N}+",
    ];

    public static readonly string[] DeepSeekCoder =
    [
        "[\r\n]",
        @"\s?\p{L}+",
        @"\s?\p{P}+",
        "[一-龥ࠀ-一가-퟿]+",
        @"\p{N}",
    ];

    public static readonly string[] DeepSeek3 =
    [
        @"\p{N}{1,3}",
        "[一-龥぀-ゟ゠-ヿ]+",
        "[!\"#$%&'()*+,\\-./:;<=>?@\\[\\\\\\]^_`{|}~][A-Za-z]+|[^\r\n\\p{L}\\p{P}\\p{S}]?[\\p{L}\\p{M}]+| ?[\\p{P}\\p{S}]+[\r\n]*|\\s*[\r\n]+|\\s+(?!\\S)|\\s+",
    ];

    public static readonly string[] Falcon =
    [
        @"[\p{P}\$\+<=>\^~\|`]+",
        Gpt2,
        "[0-9][0-9][0-9]",
    ];

    /// <summary>starcoder, refact, command-r, smollm, codeshell, exaone, minerva: digits one by one, then GPT-2.</summary>
    public static readonly string[] Starcoder = [@"\p{N}", Gpt2];

    public static readonly string[] Poro = [@" ?[^(\s|.,!?…。，、।۔،)]+"];

    public static readonly string[] Viking = [@" ?[^(\s|.,!?…。，、।۔،)]+", @"\p{N}"];

    public const string Tekken =
        @"[^\r\n\p{L}\p{N}]?((?=[\p{L}])([^a-z]))*((?=[\p{L}])([^A-Z]))+|[^\r\n\p{L}\p{N}]?((?=[\p{L}])([^a-z]))+((?=[\p{L}])([^A-Z]))*|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    public static readonly string[] Chameleon =
    [
        "<sentinel:[0-9]+>",
        "(IMGIMG)((A|B|C|D|E|F|G|H|I){1,4})Z",
        @"([\t\n]|    |  )",
        @"\p{N}",
        @"[\p{P}!-/:-@\[-`{-~]",
        Gpt2,
    ];

    public const string Gpt4o =
        @"[^\r\n\p{L}\p{N}]?((?=[\p{L}])([^a-z]))*((?=[\p{L}])([^A-Z]))+(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])?|[^\r\n\p{L}\p{N}]?((?=[\p{L}])([^a-z]))+((?=[\p{L}])([^A-Z]))*(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])?|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    public static readonly string[] SuperBpe = [@"\p{N}+", @"(?=(\d{3})+(?!\d))"];

    public const string BailingMoe =
        @"'(?:[sSdDmMtT]|[lL][lL]|[vV][eE]|[rR][eE])|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]|\s+(?!\S)|\s+";

    public const string SeedCoder =
        @"(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1}| ?[^\s\p{L}\p{N}\r\n]+|\s*[\r\n]+|\s+(?!\S)|\s+";
}
