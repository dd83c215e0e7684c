using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Data.Sqlite;
using Mote.Cli.GatewayBench;
using Mote.Testing;

namespace Mote.Cli.Tests.Serve;

/// <summary>
/// The ledger's promise, end to end: a <c>mote serve</c> child process is killed (SIGKILL) right after answering;
/// every request it answered has its row once the gateway starts again, exactly once.
/// </summary>
public sealed class LedgerCrashTests
{
    [Fact]
    public async Task EveryAnsweredRequest_HasItsRow_AfterTheGatewayIsKilledAndRestarted()
    {
        await using var upstream = await BenchUpstream.StartAsync();
        var directory = RepoPaths.NewTempDirectory();
        var config = Path.Combine(directory, "gateway.yaml");
        await File.WriteAllTextAsync(config, $$"""
            providers:
              fake: { type: openai-compatible, base_url: "{{upstream.BaseUrl}}/v1" }
            deployments:
              a: { provider: fake, model: bench-a, input_price: 1, output_price: 1 }
            routes:
              chat: a
            usage: { database: usage.db }
            """);
        var database = Path.Combine(directory, "usage.db");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };

        const int answered = 40;
        var port = FreePort();
        using (var gateway = StartGateway(config, port))
        {
            try
            {
                await WaitForHealthAsync(http, port, gateway);
                for (var i = 0; i < answered; i++)
                {
                    var stream = i % 2 == 1 ? ""","stream":true""" : "";
                    using var content = new StringContent($$"""{"model":"chat","messages":[{"role":"user","content":"hi {{i}}"}]{{stream}}}""",
                        Encoding.UTF8, "application/json");
                    using var response = await http.PostAsync(new Uri($"http://127.0.0.1:{port}/v1/chat/completions"), content);
                    var body = await response.Content.ReadAsStringAsync();
                    Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                    Assert.Contains(i % 2 == 1 ? "[DONE]" : "\"usage\"", body, StringComparison.Ordinal);
                }
            }
            finally
            {
                gateway.Kill(); // SIGKILL: no shutdown, no final import
                await gateway.WaitForExitAsync();
            }
        }
        Assert.NotEmpty(Directory.EnumerateFiles(directory, "usage.db-rows-*"));

        // The next gateway imports what the killed one left before it serves; poll for it, then stop it too.
        port = FreePort();
        using (var gateway = StartGateway(config, port))
        {
            try
            {
                await WaitForHealthAsync(http, port, gateway);
                for (var i = 0; i < 100 && Count(database).Rows < answered; i++)
                    await Task.Delay(100);
            }
            finally
            {
                gateway.Kill();
                await gateway.WaitForExitAsync();
            }
        }

        var (rows, distinct, cost) = Count(database);
        Assert.Equal(answered, rows);
        Assert.Equal(answered, distinct);
        // At $1 per million tokens: the plain answer reports 22 tokens, the streamed one 20.
        Assert.Equal((answered / 2 * 22 + answered / 2 * 20) / 1e6, cost, 12);
    }

    private static (long Rows, long Distinct, double Cost) Count(string database)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database, Pooling = false }.ToString());
        connection.Open();
        using var query = connection.CreateCommand();
        query.CommandText = "SELECT COUNT(*), COUNT(DISTINCT request_id), COALESCE(SUM(cost_usd), 0) FROM requests WHERE status = 'ok';";
        using var reader = query.ExecuteReader();
        reader.Read();
        return (reader.GetInt64(0), reader.GetInt64(1), reader.GetDouble(2));
    }

    private static Process StartGateway(string config, int port)
    {
        var start = new ProcessStartInfo
        {
            FileName = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet",
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])[Path.Combine(AppContext.BaseDirectory, "mote.dll"), "serve", "--config", config,
                     "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture)])
            start.ArgumentList.Add(argument);
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task WaitForHealthAsync(HttpClient http, int port, Process gateway)
    {
        for (var i = 0; i < 600; i++)
        {
            Assert.False(gateway.HasExited, "the gateway exited before it was ready");
            try
            {
                using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/health"));
                if (response.IsSuccessStatusCode)
                    return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(100);
        }
        Assert.Fail("the gateway did not become ready within 60 s");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
