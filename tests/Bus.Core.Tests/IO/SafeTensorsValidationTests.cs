namespace Bus.Core.Tests.IO;

public class SafeTensorsValidationTests
{
    public static TheoryData<string> CaseNames() => new(SafeTensorsInvalidCases.All.Keys);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void LoadRejectsInvalidFileWithFormatException(string caseName)
    {
        using var dir = new TempDirectory();
        string path = dir.File("bad.safetensors");
        File.WriteAllBytes(path, SafeTensorsInvalidCases.All[caseName]);

        var act = () => SafeTensorsFile.Load(path).Dispose();

        act.Should().ThrowExactly<SafeTensorsFormatException>()
            .Which.Message.Should().Contain(path, "the message names the file");
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void ParseRejectsInvalidHeaderWithFormatException(string caseName)
    {
        byte[] bytes = SafeTensorsInvalidCases.All[caseName];

        var act = () => SafeTensorsHeader.Parse(bytes, bytes.Length, "case.safetensors");

        act.Should().ThrowExactly<SafeTensorsFormatException>();
    }

    [Fact]
    public void MessagesNameTheTensorAndTheProblem()
    {
        byte[] bytes = SafeTensorsInvalidCases.All["unknown dtype"];

        var act = () => SafeTensorsHeader.Parse(bytes, bytes.Length, "m.safetensors");

        var e = act.Should().ThrowExactly<SafeTensorsFormatException>().Which;
        e.TensorName.Should().Be("a");
        e.FilePath.Should().Be("m.safetensors");
        e.Message.Should().Contain("'a'").And.Contain("F8").And.Contain("m.safetensors");
    }

    [Fact]
    public void ValidHeaderParses()
    {
        byte[] bytes = SafeTensorsTestFiles.Build(SafeTensorsTestFiles.ValidHeader, SafeTensorsTestFiles.ValidData);

        var header = SafeTensorsHeader.Parse(bytes, bytes.Length);

        header.Tensors.Select(t => t.Name).Should().Equal("a", "b");
        header.Tensors[1].Should().BeEquivalentTo(new { DType = SafeTensorsDType.I64, Shape = new long[] { 1 }, DataBegin = 8L, DataEnd = 16L });
        header.Metadata.Should().Equal(new Dictionary<string, string> { ["k"] = "v" });
        header.DataLength.Should().Be(16);
        header.DataStart.Should().Be(bytes.Length - 16);
    }
}
