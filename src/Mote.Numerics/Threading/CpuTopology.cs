namespace Mote.Numerics.Threading;

/// <summary>What the CPU offers for compute threads.</summary>
public static class CpuTopology
{
    private static readonly Lazy<int> s_physicalCores = new(CountPhysicalCores);

    /// <summary>
    /// Physical cores available to this process (hyper-threads share a core's SIMD units, so more threads than
    /// cores only adds contention for these kernels). Falls back to the logical processor count.
    /// </summary>
    public static int PhysicalCores => s_physicalCores.Value;

    private static int CountPhysicalCores()
    {
        var logical = Environment.ProcessorCount;
        try
        {
            if (!OperatingSystem.IsLinux() || !File.Exists("/proc/cpuinfo"))
                return logical;
            var cores = new HashSet<(string, string)>();
            string physicalId = "0", coreId = "";
            foreach (var line in File.ReadLines("/proc/cpuinfo"))
            {
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                if (colon < 0)
                {
                    if (coreId.Length > 0)
                        cores.Add((physicalId, coreId));
                    coreId = "";
                    continue;
                }
                var key = line[..colon].Trim();
                var value = line[(colon + 1)..].Trim();
                if (key == "physical id")
                    physicalId = value;
                else if (key == "core id")
                    coreId = value;
            }
            if (coreId.Length > 0)
                cores.Add((physicalId, coreId));
            // The process may be limited to fewer CPUs than the machine has (containers, affinity).
            return cores.Count == 0 ? logical : Math.Clamp(cores.Count, 1, logical);
        }
        catch (IOException)
        {
            return logical;
        }
    }
}
