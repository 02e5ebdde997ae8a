using CoDesign.Schema;

namespace CoDesign.Reports.Tests;

public class AtomicFileTests
{
    string _dir = "";

    [SetUp] public void SetUp() => Directory.CreateDirectory(_dir = Path.Combine(Path.GetTempPath(), "codesign-atomic-" + Guid.NewGuid().ToString("N")));
    [TearDown] public void TearDown() => Directory.Delete(_dir, recursive: true);

    [Test]
    public void Write_ReplacesTheWholeFile_AndLeavesNoTemporary()
    {
        var path = Path.Combine(_dir, "out.json");
        AtomicFile.WriteText(path, "old content that is longer");
        AtomicFile.WriteText(path, "new");
        Assert.That(File.ReadAllText(path), Is.EqualTo("new"));
        Assert.That(Directory.GetFiles(_dir), Has.Length.EqualTo(1));
    }

    [TestCase("")]
    [TestCase("   ")]
    [TestCase("dir/")]
    public void CheckWritable_RefusesWhatIsNoFileName(string path) =>
        Assert.Throws<InputException>(() => AtomicFile.CheckWritable(path));

    [Test]
    public void CheckWritable_RefusesAMissingDirectoryAndADirectory()
    {
        Assert.That(Assert.Throws<InputException>(() => AtomicFile.CheckWritable(Path.Combine(_dir, "no", "x.csv")))!.Message, Does.Contain("does not exist"));
        Assert.That(Assert.Throws<InputException>(() => AtomicFile.CheckWritable(_dir))!.Message, Does.Contain("is a directory"));
    }
}
