using System.IO.MemoryMappedFiles;
using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;
using Mote.Numerics.Formats;
using Mote.Numerics.Kernels;
using Mote.Numerics.Kernels.Quantized;
using Mote.Numerics.Threading;

namespace Mote.Benchmarks;

/// <summary>
/// One projection of the synth model shapes (rows × cols = output × input features) per weight type, at decode
/// (1 token) and prefill (128 tokens) sizes, with the fastest kernels this CPU runs and with the scalar
/// reference level (dequantize a row, float dot) for comparison in the same run.
/// </summary>
public class MatMulBenchmarks
{
    private MatMulContext _context = null!;
    private WorkerPool _pool = null!;
    private const long ColdBytes = 256L << 20;
    private nint _weights;
    private int _copies, _next;
    private long _matrixBytes;
    private float[] _x = [];
    private float[] _y = [];
    private int _rows, _cols;
    private TensorType _type = null!;

    [Params("q4_0", "q8_0", "q4_K", "q6_K", "f16")]
    public string Type { get; set; } = "q4_0";

    /// <summary>smollm2-135m attention/FFN and llama3.2-1b FFN up and down.</summary>
    [Params("576x1536", "1536x576", "8192x2048", "2048x8192")]
    public string Shape { get; set; } = "2048x8192";

    [Params(1, 128)]
    public int Tokens { get; set; } = 1;

    [Params("Best", "Scalar")]
    public string Level { get; set; } = "Best";

    [Params(2)]
    public int Threads { get; set; } = 2;

    /// <summary>MOTE_BENCH_HOT=1 keeps one copy (cache-resident when small): the kernel's compute rate alone.</summary>
    private static bool Hot => Environment.GetEnvironmentVariable("MOTE_BENCH_HOT") == "1";

    /// <summary>
    /// MOTE_BENCH_MMAP=1 reads the weights from a memory-mapped file, as the engine does (page-cache pages instead of
    /// anonymous memory).
    /// </summary>
    private static bool Mapped => Environment.GetEnvironmentVariable("MOTE_BENCH_MMAP") == "1";

    /// <summary>
    /// MOTE_BENCH_WEIGHT_SCALE=S draws weights from [-S, S] instead of [-1, 1]: at 0.035 (the spread of real weights,
    /// std ~0.02) block scales and some f16 weights are subnormal halves, as in real models.
    /// </summary>
    private static float WeightScale =>
        float.TryParse(Environment.GetEnvironmentVariable("MOTE_BENCH_WEIGHT_SCALE"), System.Globalization.CultureInfo.InvariantCulture, out var scale) ? scale : 1f;

    /// <summary>MOTE_BENCH_PANELS=1 lays q4_0/q4_1/q5_0/q5_1/q8_0 weights out in eight-row panels, as the engine does at load on AVX2.</summary>
    private static bool Panels => Environment.GetEnvironmentVariable("MOTE_BENCH_PANELS") == "1";

    // Types without a panel layout keep the file's.
    private WeightLayout Layout => Panels && WeightPanels.CanInterleave(_type, _rows, _cols) ? WeightLayout.Panels8 : WeightLayout.RowMajor;

    private MemoryMappedFile? _mapping;
    private MemoryMappedViewAccessor? _view;
    private string? _file;

    [GlobalSetup]
    public unsafe void Setup()
    {
        _type = TypeOf(Type);
        (_rows, _cols) = Parse(Shape);
        var rowBytes = _type.RowBytes(_cols);
        // Enough copies of the matrix to exceed the last-level cache, used in turn, so that decode reads its
        // weights from memory as it does in a real model (where the other layers evict them).
        _matrixBytes = rowBytes * _rows;
        _copies = Hot ? 1 : (int)Math.Clamp((ColdBytes + _matrixBytes - 1) / _matrixBytes, 1, 256);
        _weights = (nint)NativeMemory.AlignedAlloc((nuint)(_matrixBytes * _copies), 64);
        // A few distinct random rows repeated: quantizing 16M weights with the reference would take minutes.
        var random = new Random(42);
        var distinct = new byte[8][];
        for (var i = 0; i < distinct.Length; i++)
        {
            var values = new float[_cols];
            for (var c = 0; c < _cols; c++)
                values[c] = (float)(random.NextDouble() * 2 - 1) * WeightScale;
            distinct[i] = new byte[rowBytes];
            _type.Quantize(values, distinct[i]);
        }
        for (var r = 0; r < _rows * (long)_copies; r++)
            distinct[r % distinct.Length].CopyTo(new Span<byte>((byte*)_weights + r * rowBytes, (int)rowBytes));
        if (Layout == WeightLayout.Panels8)
        {
            var panels = new byte[_matrixBytes];
            for (var copy = 0; copy < _copies; copy++)
            {
                var matrix = (byte*)_weights + copy * _matrixBytes;
                fixed (byte* p = panels)
                {
                    if (!WeightPanels.Interleave(_type, matrix, _rows, _cols, p))
                        throw new InvalidOperationException("Weights with an infinite scale have no panels.");
                }
                panels.CopyTo(new Span<byte>(matrix, (int)_matrixBytes));
            }
        }
        if (Mapped)
            MapWeights();
        _x = new float[Tokens * _cols];
        for (var i = 0; i < _x.Length; i++)
            _x[i] = (float)(random.NextDouble() * 2 - 1);
        _y = new float[Tokens * _rows];
        _pool = new WorkerPool(Threads);
        _context = new MatMulContext(_pool) { Isa = Level == "Best" ? KernelIsas.Best : Enum.Parse<KernelIsa>(Level) };
    }

    [GlobalCleanup]
    public unsafe void Cleanup()
    {
        _pool.Dispose();
        if (_view is null)
        {
            NativeMemory.AlignedFree((void*)_weights);
            return;
        }
        _view.SafeMemoryMappedViewHandle.ReleasePointer();
        _view.Dispose();
        _mapping!.Dispose();
        File.Delete(_file!);
    }

    /// <summary>Moves the weights into a temporary file and maps it read-only in their place.</summary>
    private unsafe void MapWeights()
    {
        var bytes = _matrixBytes * _copies;
        _file = Path.Combine(Path.GetTempPath(), $"mote-bench-{Environment.ProcessId}.bin");
        using (var stream = File.Create(_file))
        {
            for (long offset = 0; offset < bytes; offset += int.MaxValue / 2)
                stream.Write(new ReadOnlySpan<byte>((byte*)_weights + offset, (int)Math.Min(int.MaxValue / 2, bytes - offset)));
        }
        NativeMemory.AlignedFree((void*)_weights);
        _mapping = MemoryMappedFile.CreateFromFile(_file, FileMode.Open, mapName: null, 0, MemoryMappedFileAccess.Read);
        _view = _mapping.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
        byte* pointer = null;
        _view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
        _weights = (nint)pointer;
    }

    /// <summary>Weight bytes per weight of this type (for MAC rates).</summary>
    public double BytesPerWeight => (double)_type.TypeSize / _type.BlockSize;

    [Benchmark]
    public void Multiply()
    {
        var copy = _next;
        _next = copy + 1 == _copies ? 0 : copy + 1;
        MatMul.Multiply(_context, _type, _weights + (nint)(copy * _matrixBytes), _rows, _cols, _x, Tokens, _y, layout: Layout);
    }

    /// <summary>Bytes of weights one call reads (for the GB/s column), in bytes per nanosecond units.</summary>
    public static double WeightBytes(string type, string shape)
    {
        var (rows, cols) = Parse(shape);
        return TypeOf(type).RowBytes(cols) * (double)rows;
    }

    private static TensorType TypeOf(string name) => TensorTypes.All.First(t => t.Name == name);

    private static (int Rows, int Cols) Parse(string shape)
    {
        var parts = shape.Split('x');
        return (int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture), int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture));
    }
}
