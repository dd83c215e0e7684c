namespace Mote.Tokenizers.Tests;

/// <summary>The piece table gives back each piece it was given, hiding special ones unless asked.</summary>
public sealed class PieceTableTests
{
    [Fact]
    public void Get_ManyPieces_ReturnsEachAsAdded()
    {
        var random = new Random(3);
        var pieces = new byte[5_000][];
        var table = new PieceTable(pieces.Length);
        for (var id = 0; id < pieces.Length; id++)
        {
            pieces[id] = new byte[random.Next(0, 40)]; // grows the buffer past its first guess of 8 bytes a piece
            random.NextBytes(pieces[id]);
            table.Add(pieces[id], hidden: id % 7 == 0);
        }

        for (var id = 0; id < pieces.Length; id++)
        {
            Assert.Equal(pieces[id], table.Get(id, special: true).ToArray());
            Assert.Equal(id % 7 == 0 ? [] : pieces[id], table.Get(id, special: false).ToArray());
        }
    }

    [Fact]
    public void Get_OutsideTheVocabulary_Throws()
    {
        var table = new PieceTable(1);
        table.Add("a"u8, hidden: false);

        Assert.Throws<ArgumentOutOfRangeException>(() => table.Get(1, special: true));
        Assert.Throws<ArgumentOutOfRangeException>(() => table.Get(-1, special: true));
    }
}
