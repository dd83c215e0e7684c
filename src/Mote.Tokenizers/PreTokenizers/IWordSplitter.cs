namespace Mote.Tokenizers.PreTokenizers;

/// <summary>
/// One pass of a pre-tokenizer: cuts each segment of the text into smaller ones, as one entry of llama.cpp's
/// <c>regex_exprs</c> list does. Segments are given and returned as lengths in code points, in order, covering the
/// text exactly (llama.cpp's <c>bpe_offsets</c>); a splitter never joins segments.
/// </summary>
internal interface IWordSplitter
{
    void Split(PreTokenizerText text, List<int> segments, List<int> result);
}
