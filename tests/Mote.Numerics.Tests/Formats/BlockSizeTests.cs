using System.Runtime.CompilerServices;
using Mote.Numerics.Formats;
using Mote.Numerics.Formats.Blocks;

namespace Mote.Numerics.Tests.Formats;

public sealed class BlockSizeTests
{
    // Sizes from ggml-common.h's static_asserts.
    [Fact]
    public void BlockStructs_HaveGgmlSizes()
    {
        Assert.Equal(18, Unsafe.SizeOf<BlockQ4_0>());
        Assert.Equal(20, Unsafe.SizeOf<BlockQ4_1>());
        Assert.Equal(22, Unsafe.SizeOf<BlockQ5_0>());
        Assert.Equal(24, Unsafe.SizeOf<BlockQ5_1>());
        Assert.Equal(34, Unsafe.SizeOf<BlockQ8_0>());
        Assert.Equal(36, Unsafe.SizeOf<BlockQ8_1>());
        Assert.Equal(84, Unsafe.SizeOf<BlockQ2_K>());
        Assert.Equal(110, Unsafe.SizeOf<BlockQ3_K>());
        Assert.Equal(144, Unsafe.SizeOf<BlockQ4_K>());
        Assert.Equal(176, Unsafe.SizeOf<BlockQ5_K>());
        Assert.Equal(210, Unsafe.SizeOf<BlockQ6_K>());
        Assert.Equal(292, Unsafe.SizeOf<BlockQ8_K>());
    }

    [Fact]
    public void BlockStructs_MatchTheirTableRows()
    {
        AssertRow<BlockQ4_0>(GgmlType.Q4_0, BlockQ4_0.Elements);
        AssertRow<BlockQ4_1>(GgmlType.Q4_1, BlockQ4_1.Elements);
        AssertRow<BlockQ5_0>(GgmlType.Q5_0, BlockQ5_0.Elements);
        AssertRow<BlockQ5_1>(GgmlType.Q5_1, BlockQ5_1.Elements);
        AssertRow<BlockQ8_0>(GgmlType.Q8_0, BlockQ8_0.Elements);
        AssertRow<BlockQ8_1>(GgmlType.Q8_1, BlockQ8_1.Elements);
        AssertRow<BlockQ2_K>(GgmlType.Q2_K, BlockQ2_K.Elements);
        AssertRow<BlockQ3_K>(GgmlType.Q3_K, BlockQ3_K.Elements);
        AssertRow<BlockQ4_K>(GgmlType.Q4_K, BlockQ4_K.Elements);
        AssertRow<BlockQ5_K>(GgmlType.Q5_K, BlockQ5_K.Elements);
        AssertRow<BlockQ6_K>(GgmlType.Q6_K, BlockQ6_K.Elements);
        AssertRow<BlockQ8_K>(GgmlType.Q8_K, BlockQ8_K.Elements);
    }

    [Theory]
    [InlineData(GgmlType.F32, "f32")]
    [InlineData(GgmlType.F16, "f16")]
    [InlineData(GgmlType.BF16, "bf16")]
    [InlineData(GgmlType.Q4_0, "q4_0")]
    [InlineData(GgmlType.Q4_1, "q4_1")]
    [InlineData(GgmlType.Q5_0, "q5_0")]
    [InlineData(GgmlType.Q5_1, "q5_1")]
    [InlineData(GgmlType.Q8_0, "q8_0")]
    [InlineData(GgmlType.Q8_1, "q8_1")]
    [InlineData(GgmlType.Q2_K, "q2_K")]
    [InlineData(GgmlType.Q3_K, "q3_K")]
    [InlineData(GgmlType.Q4_K, "q4_K")]
    [InlineData(GgmlType.Q5_K, "q5_K")]
    [InlineData(GgmlType.Q6_K, "q6_K")]
    [InlineData(GgmlType.Q8_K, "q8_K")]
    public void TensorTypes_RegistersRow_WithGgmlName(GgmlType type, string name)
    {
        var row = TensorTypes.Get(type);
        Assert.Equal(type, row.Type);
        Assert.Equal(name, row.Name);
        Assert.Equal(GgmlTypeSizes.BlockSize(type), row.BlockSize);
        Assert.Equal(GgmlTypeSizes.TypeSize(type), row.TypeSize);
    }

    private static void AssertRow<TBlock>(GgmlType type, int elements)
        where TBlock : unmanaged
    {
        var row = TensorTypes.Get(type);
        Assert.Equal(Unsafe.SizeOf<TBlock>(), row.TypeSize);
        Assert.Equal(elements, row.BlockSize);
    }
}
