using Mote.Engine.Runtime;

namespace Mote.Server.LocalModels.Scheduling;

/// <param name="Slots">Sequences decoded together (<c>--parallel</c>), each with its own KV cache.</param>
/// <param name="ContextLength">Tokens each slot holds.</param>
/// <param name="PrefillChunk">Most rows of one step (decode rows first, then prompt tokens of new requests).</param>
/// <param name="QueueLength">Requests that may wait for a slot; beyond it requests are refused at once.</param>
internal sealed record SchedulerSettings(int Slots, int ContextLength, int PrefillChunk, int QueueLength,
    KvCacheType CacheType = KvCacheType.F32);
