namespace Mote.Cli.GatewayReport;

/// <summary>Tokens a deployment consumed for one request, priced at the deployment's configured USD per 1M tokens.</summary>
internal sealed record DeploymentUsage(string Deployment, int PromptTokens, int CompletionTokens, double CostUsd);
