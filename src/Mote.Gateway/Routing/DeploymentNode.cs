namespace Mote.Gateway.Routing;

/// <summary>A single target.</summary>
internal sealed class DeploymentNode(Deployment deployment, double weight) : IRouteNode
{
    public double Weight => weight;

    public Deployment Representative => deployment;

    public IEnumerable<Deployment> Deployments => [deployment];

    public void Collect(RoutingContext context, List<Deployment> candidates) => candidates.Add(deployment);
}
