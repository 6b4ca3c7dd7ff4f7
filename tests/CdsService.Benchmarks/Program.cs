using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;

// Min and median beside the mean: the team's machines are shared, and the minimum is the figure least disturbed by
// other processes (docs/performance.md §Micro-benchmarks).
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly)
    .Run(args, DefaultConfig.Instance.AddColumn(StatisticColumn.Min, StatisticColumn.Median));

public partial class Program;
