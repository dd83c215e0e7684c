using Microsoft.Extensions.Options;

namespace Mote.Gateway.Configuration;

/// <summary>
/// Start-up validation (<c>ValidateOnStart</c>): the configuration must load and compile, or the host does not
/// start, and the error lists every problem with its path.
/// </summary>
internal sealed class GatewayOptionsValidator(GatewayCompiler compiler) : IValidateOptions<GatewayOptions>
{
    public ValidateOptionsResult Validate(string? name, GatewayOptions options)
    {
        try
        {
            compiler.CompileFrom(options);
            return ValidateOptionsResult.Success;
        }
        catch (GatewayConfigException e)
        {
            return ValidateOptionsResult.Fail(e.Message);
        }
    }
}
