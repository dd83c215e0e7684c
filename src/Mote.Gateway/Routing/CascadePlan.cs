using Mote.Gateway.Configuration;

namespace Mote.Gateway.Routing;

/// <summary>The tiers of a cascade route, cheapest first, and the thresholds that judge them.</summary>
internal sealed record CascadePlan(IRouteNode[] Tiers, CascadeConfig Judge);
