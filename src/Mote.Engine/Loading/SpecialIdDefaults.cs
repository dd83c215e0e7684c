namespace Mote.Engine.Loading;

/// <summary>The special token ids llama.cpp assumes per tokenizer model when the GGUF names none (-1: none).</summary>
internal readonly record struct SpecialIdDefaults(int Bos, int Eos, int Unknown, int Separator, int Padding, int Mask)
{
    public static SpecialIdDefaults For(string model) => model switch
    {
        "llama" => new(Bos: 1, Eos: 2, Unknown: 0, Separator: -1, Padding: -1, Mask: -1),
        "bert" => new(Bos: 101, Eos: -1, Unknown: 100, Separator: 102, Padding: 0, Mask: 103),
        "gpt2" or "hybriddna" or "whitespace" => new(Bos: 11, Eos: 11, Unknown: -1, Separator: -1, Padding: -1, Mask: -1),
        "t5" => new(Bos: -1, Eos: 1, Unknown: 2, Separator: -1, Padding: 0, Mask: -1),
        "plamo2" => new(Bos: 1, Eos: 2, Unknown: 0, Separator: -1, Padding: 3, Mask: -1),
        _ => new(-1, -1, -1, -1, -1, -1),
    };
}
