using System.CommandLine;
using Mote.Engine.Runtime;

namespace Mote.Cli.Commands;

/// <summary>
/// The <c>--cache-type</c> option of the commands that run the engine: f32 keeps keys and values exactly as
/// computed, f16 halves the KV cache (llama.cpp's default).
/// </summary>
internal static class CacheTypeOption
{
    public static Option<KvCacheType> Create() => new("--cache-type")
    {
        Description = "KV cache type: f32 (exact) or f16 (half the memory, llama.cpp's default)",
        DefaultValueFactory = _ => KvCacheType.F32,
    };
}
