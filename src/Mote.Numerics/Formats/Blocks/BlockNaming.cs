using System.Diagnostics.CodeAnalysis;

// Block structs are named as ggml's (block_q4_0 → BlockQ4_0) so users recognise them.
[assembly: SuppressMessage("Naming", "CA1707:Identifiers should not contain underscores",
    Scope = "namespaceanddescendants", Target = "~N:Mote.Numerics.Formats.Blocks",
    Justification = "Names mirror ggml's block types.")]
