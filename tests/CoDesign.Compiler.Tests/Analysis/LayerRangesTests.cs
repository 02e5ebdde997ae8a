using CoDesign.Compiler.Analysis;

namespace CoDesign.Compiler.Tests.Analysis;

public class LayerRangesTests
{
    [TestCase(new uint[] { 0, 1, 2, 3 }, "0-3")]
    [TestCase(new uint[] { 1, 3, 5, 7 }, "1-7/2")]
    [TestCase(new uint[] { 0, 5, 9 }, "0,5,9")]
    [TestCase(new uint[] { 7 }, "7")]
    [TestCase(new uint[] { }, "")]
    public void Describe_IsCompact(uint[] layers, string expected)
    {
        Assert.That(LayerRanges.Describe(layers), Is.EqualTo(expected));
    }
}
