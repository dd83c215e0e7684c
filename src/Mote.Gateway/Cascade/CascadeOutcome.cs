using Mote.Contracts;
using Mote.Gateway.Routing;

namespace Mote.Gateway.Cascade;

/// <summary>
/// Either a lower tier's accepted answer, or the candidates of the tier that must answer (unjudged, streamed
/// if the client asked).
/// </summary>
internal sealed record CascadeOutcome(ChatCompletionResponse? Accepted, Deployment? AcceptedBy, IReadOnlyList<Deployment>? FinalTier);
