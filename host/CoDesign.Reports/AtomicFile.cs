namespace CoDesign.Reports;

/// <summary>Writes a file so that readers see the old content or the new, never half of it.</summary>
public static class AtomicFile
{
    /// <summary>Refuses, before any work, a path that is no file name or whose directory does not exist.</summary>
    public static string CheckWritable(string path)
    {
        if (string.IsNullOrWhiteSpace(path) || path.IndexOf('\0') >= 0 || path.EndsWith('/'))
            throw new Schema.InputException($"cannot write {Schema.Validation.InputText.Quote(path)}: not a file name");
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(dir)) throw new Schema.InputException($"cannot write {path}: directory {dir} does not exist");
        if (Directory.Exists(full)) throw new Schema.InputException($"cannot write {path}: it is a directory");
        return full;
    }

    public static void Write(string path, ReadOnlySpan<byte> bytes)
    {
        var full = CheckWritable(path);
        var dir = Path.GetDirectoryName(full)!;
        var tmp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Environment.ProcessId}.tmp");
        try
        {
            File.WriteAllBytes(tmp, bytes.ToArray());
            File.Move(tmp, full, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            try { File.Delete(tmp); } catch (Exception de) when (de is IOException or UnauthorizedAccessException) { }
            throw new Schema.InputException($"cannot write {path}: {e.Message}");
        }
    }

    public static void WriteText(string path, string text)
    {
        Guards.FiniteCheck.Marked(text, $"file {Schema.Validation.InputText.Quote(path)}");   // before any byte is written
        Write(path, System.Text.Encoding.UTF8.GetBytes(text));
    }
}
