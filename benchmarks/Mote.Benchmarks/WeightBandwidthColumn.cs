using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Mote.Benchmarks;

/// <summary>Weight bytes read per call divided by the mean time: the figure to compare with memory bandwidth.</summary>
public sealed class WeightBandwidthColumn : IColumn
{
    public string Id => nameof(WeightBandwidthColumn);

    public string ColumnName => "Weights GB/s";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => "Weight bytes per call / mean time";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase)
    {
        var report = summary[benchmarkCase];
        if (report?.ResultStatistics is null || benchmarkCase.Descriptor.WorkloadMethod.DeclaringType != typeof(MatMulBenchmarks))
            return "-";
        var bytes = MatMulBenchmarks.WeightBytes(
            (string)benchmarkCase.Parameters["Type"], (string)benchmarkCase.Parameters["Shape"]);
        return (bytes / report.ResultStatistics.Mean).ToString("F1", System.Globalization.CultureInfo.InvariantCulture);
    }

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public bool IsAvailable(Summary summary) => true;
}
