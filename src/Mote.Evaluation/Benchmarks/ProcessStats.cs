using System.Globalization;

namespace Mote.Evaluation.Benchmarks;

/// <summary>Process and machine figures Linux reports in /proc; neutral values elsewhere.</summary>
internal static class ProcessStats
{
    /// <summary>Peak resident set size in bytes (VmHWM: anonymous and file-backed pages, so mapped weights count); 0 if unknown.</summary>
    public static long PeakResidentBytes()
    {
        const string path = "/proc/self/status";
        if (!File.Exists(path))
            return 0;
        foreach (var line in File.ReadLines(path))
        {
            // "VmHWM:\t  123456 kB"
            if (!line.StartsWith("VmHWM:", StringComparison.Ordinal))
                continue;
            var value = line["VmHWM:".Length..].Trim();
            var space = value.IndexOf(' ', StringComparison.Ordinal);
            if (space > 0 && long.TryParse(value.AsSpan(0, space), NumberStyles.None, CultureInfo.InvariantCulture, out var kb))
                return kb * 1024;
        }
        return 0;
    }

    /// <summary>The one-minute load average (runnable threads, averaged); -1 if unknown.</summary>
    public static double LoadAverage()
    {
        const string path = "/proc/loadavg";
        if (!File.Exists(path))
            return -1;
        // "0.52 0.58 0.59 1/467 12345"
        var text = File.ReadAllText(path);
        var space = text.IndexOf(' ', StringComparison.Ordinal);
        return space > 0 && double.TryParse(text.AsSpan(0, space), NumberStyles.Float, CultureInfo.InvariantCulture, out var load) ? load : -1;
    }
}
