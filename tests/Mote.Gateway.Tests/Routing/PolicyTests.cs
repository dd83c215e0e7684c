using Mote.Contracts;
using Mote.Gateway.Configuration;
using Mote.Gateway.Providers;
using Mote.Gateway.Resilience;
using Mote.Gateway.Routing;

namespace Mote.Gateway.Tests.Routing;

public sealed class PolicyTests
{
    private static Deployment Make(string name, double inputPrice = 0, double outputPrice = 0) => new()
    {
        Name = name,
        Config = new DeploymentConfig { Provider = "p", Model = name, InputPrice = inputPrice, OutputPrice = outputPrice },
        Provider = null!,
        Client = null!,
        State = new DeploymentState(new CircuitBreaker(new CircuitOptions(3, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)), TimeProvider.System)),
    };

    private static RoutingContext Context(int seed = 1, int? maxTokens = null) =>
        new(new ChatCompletionRequest { Model = "r", MaxTokens = maxTokens }, 1000, new Random(seed));

    private static string[] Order(IRoutingPolicy policy, IRouteNode[] nodes, RoutingContext context)
    {
        var candidates = new List<Deployment>();
        new BalanceNode(nodes, policy, 1).Collect(context, candidates);
        return candidates.Select(d => d.Name).ToArray();
    }

    [Fact]
    public void Weighted_PicksFirstInProportionToWeight()
    {
        IRouteNode[] nodes = [new DeploymentNode(Make("a"), 3), new DeploymentNode(Make("b"), 1)];
        var context = Context(seed: 42);
        var firsts = 0;
        const int draws = 20_000;
        for (var i = 0; i < draws; i++)
            if (Order(new WeightedPolicy(), nodes, context)[0] == "a")
                firsts++;

        Assert.InRange(firsts / (double)draws, 0.73, 0.77);
    }

    [Fact]
    public void Weighted_AlwaysYieldsEveryTargetOnce()
    {
        IRouteNode[] nodes = [new DeploymentNode(Make("a"), 1), new DeploymentNode(Make("b"), 2), new DeploymentNode(Make("c"), 5)];

        var order = Order(new WeightedPolicy(), nodes, Context());

        Assert.Equal(["a", "b", "c"], order.Order());
    }

    [Fact]
    public void LeastBusy_PrefersFewerCallsInFlight()
    {
        var busy = Make("busy");
        busy.State.Enter();
        busy.State.Enter();
        var idle = Make("idle");
        idle.State.Enter();

        Assert.Equal(["idle", "busy"], Order(new LeastBusyPolicy(), [new DeploymentNode(busy, 1), new DeploymentNode(idle, 1)], Context()));
    }

    [Fact]
    public void LowestLatency_UsesTheMovingAverageAndTriesUnmeasuredTargetsFirst()
    {
        var slow = Make("slow");
        var fast = Make("fast");
        var fresh = Make("fresh");
        slow.State.RecordTtft(900);
        fast.State.RecordTtft(100);
        fast.State.RecordTtft(1000); // one bad sample moves the average by a fifth: 100 + 0.2 * 900 = 280

        var order = Order(new LowestLatencyPolicy(), [new DeploymentNode(slow, 1), new DeploymentNode(fast, 1), new DeploymentNode(fresh, 1)], Context());

        Assert.Equal(["fresh", "fast", "slow"], order);
        Assert.Equal(280, fast.State.EwmaTtftMs, 9);
    }

    [Fact]
    public void LowestCost_WeighsPromptAndCompletionPrices()
    {
        // 1000 prompt tokens, 100 completion tokens: a = 1000*1 + 100*30, b = 1000*2 + 100*2.
        var a = Make("a", inputPrice: 1, outputPrice: 30);
        var b = Make("b", inputPrice: 2, outputPrice: 2);

        Assert.Equal(["b", "a"], Order(new LowestCostPolicy(), [new DeploymentNode(a, 1), new DeploymentNode(b, 1)], Context(maxTokens: 100)));
    }

    [Fact]
    public void Fallback_TriesChildrenInOrder_AndPlannerDropsDuplicates()
    {
        var a = Make("a");
        var b = Make("b");
        var node = new FallbackNode([new DeploymentNode(a, 1), new DeploymentNode(b, 1), new DeploymentNode(a, 1)], 1);

        var candidates = CandidatePlanner.Plan(node, Context(), localOnly: false);

        Assert.Equal(["a", "b"], candidates.Select(d => d.Name));
    }

    [Fact]
    public void ProfilesTable_HasTheDocumentedProviders()
    {
        Assert.Equal(["groq", "llama.cpp", "lmstudio", "ollama", "openai", "openrouter", "together", "vllm"], ProviderProfiles.All.Keys.Order());
        Assert.Contains("logprobs", (IReadOnlySet<string>)ProviderProfiles.All["groq"].Drops);
        Assert.Equal("/health", ProviderProfiles.All["llama.cpp"].HealthPath);
        Assert.True(ProviderProfiles.All["vllm"].PrefillParameters.ContainsKey("continue_final_message"));
    }
}
