using System.CommandLine;
using Mote.Cli.GatewayBench;

namespace Mote.Cli.Commands;

/// <summary>
/// <c>mote bench-gateway</c>: what the gateway adds over a fast fake upstream on loopback — latency at one connection,
/// first-token latency, RPS and CPU per request under load, RSS. Run it as <c>taskset -c 0 mote bench-gateway</c> on a
/// two-core machine so that the load generator and the gateway (pinned to core 1) do not share a core.
/// </summary>
internal static class BenchGatewayCommand
{
    public static Command Create()
    {
        var defaults = new GatewayBenchOptions();
        var rounds = new Option<int>("--rounds") { Description = "Rounds of sequential requests (median of round medians)", DefaultValueFactory = _ => defaults.Rounds };
        var perRound = new Option<int>("--requests") { Description = "Sequential requests per round and path", DefaultValueFactory = _ => defaults.RequestsPerRound };
        var connections = new Option<int>("--connections", "-c") { Description = "Concurrent connections of the load test", DefaultValueFactory = _ => defaults.Connections };
        var seconds = new Option<int>("--seconds") { Description = "Seconds of the load test", DefaultValueFactory = _ => defaults.LoadSeconds };
        var soak = new Option<int>("--soak-seconds") { Description = "Seconds of full load to watch RSS growth (0 skips)", DefaultValueFactory = _ => defaults.SoakSeconds };
        var noPin = new Option<bool>("--no-pin") { Description = "Do not pin the gateway process to core 1" };
        var noLedger = new Option<bool>("--without-ledger") { Description = "Diagnostic: run the gateway with the usage ledger off" };

        var command = new Command("bench-gateway", "Measure the latency, CPU and memory the gateway adds over a fast local upstream");
        foreach (var option in new Option[] { rounds, perRound, connections, seconds, soak, noPin, noLedger })
            command.Options.Add(option);
        command.SetAction(async (result, cancellationToken) =>
        {
            var options = new GatewayBenchOptions
            {
                Rounds = Math.Max(1, result.GetValue(rounds)),
                RequestsPerRound = Math.Max(10, result.GetValue(perRound)),
                Connections = Math.Max(1, result.GetValue(connections)),
                LoadSeconds = Math.Max(1, result.GetValue(seconds)),
                SoakSeconds = Math.Max(0, result.GetValue(soak)),
                Pin = !result.GetValue(noPin),
                WithoutLedger = result.GetValue(noLedger),
            };
            var output = result.InvocationConfiguration.Output;
            var error = result.InvocationConfiguration.Error;
            try
            {
                var measured = await new GatewayBenchRunner(options, error).RunAsync(cancellationToken).ConfigureAwait(false);
                await output.WriteAsync(measured.ToMarkdown()).ConfigureAwait(false);
                return 0;
            }
            catch (Exception e) when (e is InvalidOperationException or TimeoutException or HttpRequestException)
            {
                await error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
                return 1;
            }
        });
        return command;
    }
}
