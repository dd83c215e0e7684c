using Mote.Engine.Hub;
using Mote.Engine.Runtime;
using Mote.Numerics.Threading;

namespace Mote.Server.LocalModels;

/// <summary>
/// How <c>mote serve</c> runs local models: slots, context, queue and time limits. Configure through
/// <c>builder.Services.Configure&lt;LocalModelOptions&gt;(…)</c> before the server is built.
/// </summary>
public sealed class LocalModelOptions
{
    /// <summary>Default sequences decoded together per model.</summary>
    public const int DefaultParallel = 4;

    /// <summary>Sequences decoded together per model (<c>--parallel</c>), each with its own KV cache.</summary>
    public int Parallel { get; set; } = DefaultParallel;

    /// <summary>Tokens each sequence slot holds (<c>--ctx</c>); 0 means the model's trained context, at most 4096.</summary>
    public int ContextLength { get; set; }

    /// <summary>How each slot's KV cache stores keys and values (<c>--cache-type</c>).</summary>
    public KvCacheType CacheType { get; set; } = KvCacheType.F32;

    /// <summary>Requests that may wait for a free slot; beyond it a request is answered 429 at once.</summary>
    public int QueueLength { get; set; } = 64;

    /// <summary>Rows per forward step: decode rows of running sequences plus prompt tokens of new ones.</summary>
    public int PrefillChunk { get; set; } = 128;

    /// <summary>Longest a single request may take, queueing included.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// GGUF paths of models already resolved by the caller (alias or <c>hf:</c> reference → file), so that the
    /// server does not pull them again. Anything else is resolved in the background when first named.
    /// </summary>
    public IDictionary<string, string> ResolvedPaths { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Where aliases are pulled from when they are not resolved yet; the environment's settings by default.</summary>
    public HubOptions? Hub { get; set; }

    /// <summary>Compute threads; null uses the process-wide pool.</summary>
    public WorkerPool? Pool { get; set; }
}
