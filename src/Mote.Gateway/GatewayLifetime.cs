using Microsoft.Extensions.Hosting;
using Mote.Gateway.Configuration;
using Mote.Gateway.Usage;

namespace Mote.Gateway;

/// <summary>Starts watching the configuration file and the ledger with the host, and drains the ledger when it stops.</summary>
internal sealed class GatewayLifetime(GatewayConfigStore store, UsageLedger ledger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = store.Current;
        store.StartWatching();
        // Imports what a killed gateway left in its usage journal before the first request, not on it.
        if (store.Current.Config.Usage.Enabled)
            ledger.Start();
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken) => await ledger.DisposeAsync().ConfigureAwait(false);
}
