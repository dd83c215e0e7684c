using Mote.Contracts;
using Mote.Gateway.Routing;
using Mote.Gateway.Usage;

namespace Mote.Gateway.Resilience;

/// <summary>One streamed request handed to <see cref="StreamingFailover"/>.</summary>
internal sealed record StreamJob(
    string Route,
    IReadOnlyList<Deployment> Candidates,
    ChatCompletionRequest Request,
    CallRecord Record,
    int BufferChars,
    string Id,
    long Created,
    bool Hedge = false);
