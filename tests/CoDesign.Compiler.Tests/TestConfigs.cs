namespace CoDesign.Compiler.Tests;

/// <summary>Paths of the Hugging Face config.json files under TestData/configs (copied next to the test assembly).</summary>
static class TestConfigs
{
    public static string Dir => Path.Combine(TestContext.CurrentContext.TestDirectory, "TestData", "configs");
    public static string Path_(string file) => Path.Combine(Dir, file);
    public static string Broken(string file) => Path.Combine(Dir, "broken", file);
}
