using BenchmarkDotNet.Running;

// dotnet run -c Release --project benchmarks/Mote.Benchmarks -- --filter '*MatMul*'
if (args.Length > 0 && args[0] == "--quick")
{
    Mote.Benchmarks.QuickRun.Run(args);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Mote.Benchmarks.MatMulBenchmarks).Assembly).Run(args, new Mote.Benchmarks.KernelConfig());
