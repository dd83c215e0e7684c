using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Mote.Engine.Hub;
using Mote.Engine.Runtime;
using Mote.Gateway.Configuration;
using Mote.Server.LocalModels;
using Mote.Server;

namespace Mote.Cli.Commands;

/// <summary>
/// <c>mote serve [--model FILE|ALIAS]… [--config FILE] [--host H] [--port P] [--ctx N] [--parallel N]</c>: the
/// OpenAI-compatible server and gateway. With neither a model nor a configuration it serves the default alias.
/// </summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var config = new Option<string?>("--config") { Description = "Gateway configuration (JSON or YAML): providers, deployments, routes, keys" };
        var host = new Option<string?>("--host") { Description = "Address to listen on (default 127.0.0.1)" };
        var port = new Option<int?>("--port") { Description = "Port to listen on (default 8080; 0 picks a free port)" };
        var models = new Option<string[]>("--model") { Description = $"GGUF file or alias to serve in-process (repeatable; default {ModelAliases.Default}, pulled on first use)" };
        var ctx = new Option<int>("--ctx") { Description = "Tokens each local sequence slot holds (default: the model's, at most 4096)" };
        var parallel = new Option<int>("--parallel") { Description = $"Local sequences decoded together per model, each with its own KV cache (default {LocalModelOptions.DefaultParallel})", DefaultValueFactory = _ => LocalModelOptions.DefaultParallel };
        var threads = ThreadsOption.Create();
        var cacheType = CacheTypeOption.Create();
        var dataDir = new Option<string?>("--data-dir") { Description = "Folder for the usage ledger when the configuration names none" };

        var command = new Command("serve", "Serve an OpenAI-compatible API: local models and cloud providers behind one endpoint");
        command.Options.Add(config);
        command.Options.Add(host);
        command.Options.Add(port);
        command.Options.Add(models);
        command.Options.Add(dataDir);
        command.Options.Add(ctx);
        command.Options.Add(parallel);
        command.Options.Add(threads);
        command.Options.Add(cacheType);
        command.SetAction((result, cancellationToken) =>
        {
            var options = new MoteServerOptions
            {
                ConfigPath = result.GetValue(config),
                Host = result.GetValue(host),
                Port = result.GetValue(port),
                DataDirectory = result.GetValue(dataDir),
            };
            foreach (var model in result.GetValue(models) ?? [])
                options.Models.Add(model);
            return RunAsync(options, result.InvocationConfiguration.Output, result.InvocationConfiguration.Error, cancellationToken,
                result.GetValue(ctx), result.GetValue(parallel), result.GetValue(threads), result.GetValue(cacheType));
        });
        return command;
    }

    /// <summary>Runs until cancelled (Ctrl+C). Configuration mistakes are reported plainly with exit code 1.</summary>
    internal static async Task<int> RunAsync(MoteServerOptions options, TextWriter output, TextWriter error, CancellationToken cancellationToken,
        int contextLength = 0, int parallel = LocalModelOptions.DefaultParallel, int threads = 0,
        KvCacheType cacheType = KvCacheType.F32)
    {
        try
        {
            if (options.Models.Count == 0 && options.ConfigPath is null && options.Config is null)
                options.Models.Add(ModelAliases.Default);
            if (await ServeModels.ResolveAsync(options.Models, output, error, cancellationToken).ConfigureAwait(false) is not { } paths)
                return 1;
            var builder = MoteServer.CreateBuilder(options);
            using var pool = ThreadsOption.CreatePool(threads);
            builder.Services.Configure<LocalModelOptions>(local =>
            {
                local.ContextLength = contextLength;
                local.Parallel = parallel;
                local.Pool = pool;
                local.CacheType = cacheType;
                foreach (var (spec, path) in paths)
                    local.ResolvedPaths[spec] = path;
            });
            await using var app = builder.Build();
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            await output.WriteLineAsync($"mote: serving on {string.Join(", ", app.Urls)} (Ctrl+C to stop)").ConfigureAwait(false);
            await app.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
            return 0;
        }
        catch (GatewayConfigException e)
        {
            await error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
            return 1;
        }
        catch (OptionsValidationException e)
        {
            await error.WriteLineAsync($"error: {string.Join(Environment.NewLine, e.Failures)}").ConfigureAwait(false);
            return 1;
        }
        catch (IOException e)
        {
            // Kestrel reports a port in use as an IOException naming the address.
            await error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
            return 1;
        }
    }
}
