using Google.Protobuf;
using Urb.Agent.Backup;
using Urb.Contracts.Snapshot.V1;
using Urb.Contracts.Snapshots;
using Urb.Domain.Content;
using Urb.Domain.Errors;

namespace Urb.Agent.Tests.Backup;

public sealed class TreeRulesTests
{
    [Theory]
    [InlineData("..")]
    [InlineData(".")]
    [InlineData("")]
    [InlineData("a/b")]
    [InlineData("nul\0")]
    [InlineData("back\\slash")]
    public void Parse_UnsafeName_IsInvalidInput(string name)
    {
        var bytes = new Tree { Nodes = { new Node { Name = name, Type = NodeType.File } } }.ToByteArray();

        Assert.Throws<InvalidInputException>(() => TreeRules.Parse(bytes, "tree"));
    }

    [Fact]
    public void Parse_NamesOutOfOrderOrTwice_IsInvalidInput()
    {
        var unordered = new Tree { Nodes = { File("b"), File("a") } }.ToByteArray();
        var twice = new Tree { Nodes = { File("a"), File("a") } }.ToByteArray();

        Assert.Throws<InvalidInputException>(() => TreeRules.Parse(unordered, "tree"));
        Assert.Throws<InvalidInputException>(() => TreeRules.Parse(twice, "tree"));
    }

    [Fact]
    public void Parse_DirectoryWithoutSubtreeOrFileWithPartialId_IsInvalidInput()
    {
        var directory = new Tree { Nodes = { new Node { Name = "d", Type = NodeType.Directory } } }.ToByteArray();
        var file = new Tree { Nodes = { new Node { Name = "f", Type = NodeType.File, Size = 1, ChunkIds = Google.Protobuf.ByteString.CopyFrom(new byte[31]) } } }.ToByteArray();

        Assert.Throws<InvalidInputException>(() => TreeRules.Parse(directory, "tree"));
        Assert.Throws<InvalidInputException>(() => TreeRules.Parse(file, "tree"));
        Assert.Throws<InvalidInputException>(() => TreeRules.Parse([0xff, 0xff, 0xff], "tree"));
    }

    [Fact]
    public void SplitIntoParts_LargeDirectory_SplitsDeterministicallyInNameOrder()
    {
        var nodes = Enumerable.Range(0, 40_000).Select(i => File($"file-{i:D6}", chunks: 4)).ToList();

        var parts = TreeRules.SplitIntoParts(nodes);
        var again = TreeRules.SplitIntoParts(nodes);

        Assert.True(parts.Count > 1);
        Assert.All(parts, p => Assert.True(p.CalculateSize() <= TreeRules.PartTargetBytes + 1024));
        Assert.Equal(nodes.Select(n => n.Name), parts.SelectMany(p => p.Nodes).Select(n => n.Name));
        Assert.Equal(parts.Select(p => p.ToByteArray()), again.Select(p => p.ToByteArray()));
        Assert.All(parts, p => TreeRules.Validate(p, "part"));
    }

    [Fact]
    public void SplitIntoParts_EmptyDirectory_IsOneEmptyPart()
    {
        Assert.Single(TreeRules.SplitIntoParts([]));
    }

    [Fact]
    public void RootNaming_NamesPathsByTheirLastComponentAndKeepsThemUnique()
    {
        Assert.Equal(["anna", "anna-2", "root", "www"], RootNaming.NamesFor(["/home/anna", "/srv/anna/", "/", "/srv/www"]));
    }

    [Fact]
    public void Frames_CutObjectsIntoPiecesOfAtMostOneMebibyte()
    {
        Assert.Equal([(0, 0)], ChunkLimits.Frames(0));
        Assert.Equal([(0, ChunkLimits.MaxFrameBytes), (ChunkLimits.MaxFrameBytes, 5)], ChunkLimits.Frames(ChunkLimits.MaxFrameBytes + 5));
    }

    private static Node File(string name, int chunks = 1) => new()
    {
        Name = name,
        Type = NodeType.File,
        Size = chunks,
        ChunkIds = Google.Protobuf.ByteString.CopyFrom(new byte[chunks * ChunkId.Size]),
    };
}
