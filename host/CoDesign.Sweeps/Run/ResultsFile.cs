using System.Text;
using System.Text.Json;
using CoDesign.Reports;
using CoDesign.Schema;

namespace CoDesign.Sweeps.Run;

/// <summary>
/// A results file: JSON Lines, one <see cref="ResultRow"/> per line. A process killed while writing can leave at
/// most a partial last line (each row is one write call); readers ignore it and writers cut it off.
/// </summary>
public static class ResultsFile
{
    public sealed record Loaded(IReadOnlyList<ResultRow> Rows, long ValidLength, bool TruncatedTail);

    static readonly JsonSerializerOptions Line = new(Json.Options) { WriteIndented = false };

    public static string Serialize(ResultRow row) => JsonSerializer.Serialize(row, Line);

    public static Loaded Load(string path)
    {
        if (!File.Exists(path)) return new([], 0, false);
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        { throw new InputException($"cannot read results file {path}: {e.Message}"); }
        var rows = new List<ResultRow>();
        int start = 0, lineNo = 0;
        while (true)
        {
            int nl = Array.IndexOf(bytes, (byte)'\n', start);
            if (nl < 0) break;
            lineNo++;
            var span = new ReadOnlySpan<byte>(bytes, start, nl - start);
            if (!span.Trim((byte)'\r').IsEmpty)
            {
                try { rows.Add(JsonSerializer.Deserialize<ResultRow>(span, Json.Options) ?? throw new JsonException("null")); }
                catch (Exception e) when (e is JsonException or InvalidOperationException or NotSupportedException)
                { throw new InputException($"results file {path} line {lineNo} is not a result row: {e.Message}"); }
            }
            start = nl + 1;
        }
        return new(rows, start, start < bytes.Length);
    }

    /// <summary>Each id once (the first seen), ordered by the point index: the order of an unsharded, uninterrupted run.</summary>
    public static List<ResultRow> Canonical(IEnumerable<ResultRow> rows) =>
        rows.DistinctBy(r => r.Id).OrderBy(r => r.Index).ThenBy(r => r.Id, StringComparer.Ordinal).ToList();

    /// <summary>Replaces the file in one rename, so a kill leaves the old file or the new one.</summary>
    public static void WriteAll(string path, IEnumerable<ResultRow> rows)
    {
        var sb = new StringBuilder();
        foreach (var r in rows) sb.Append(Serialize(r)).Append('\n');
        AtomicFile.WriteText(path, sb.ToString());
    }

    /// <summary>Reads several files (shards, or a run and its reruns) as one canonical list.</summary>
    public static List<ResultRow> Merge(IEnumerable<string> paths)
    {
        var all = new List<ResultRow>();
        foreach (var p in paths)
        {
            if (!File.Exists(p)) throw new InputException($"results file {p} does not exist");
            all.AddRange(Load(p).Rows);
        }
        return Canonical(all);
    }
}

/// <summary>
/// An exclusive lock on RESULTS.lock for the whole of a sweep (read, append, final rewrite), so a second sweep on
/// the same file stops at once instead of running points twice. The OS drops the lock when the process dies,
/// even by SIGKILL, so a stale lock file does not block a restart.
/// </summary>
public sealed class ResultsLock : IDisposable
{
    readonly FileStream _lock;
    readonly string _path;

    public ResultsLock(string resultsPath)
    {
        _path = resultsPath + ".lock";
        try { _lock = new FileStream(_path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None); }
        catch (Exception e) when (e is DirectoryNotFoundException or UnauthorizedAccessException)
        { throw new InputException($"cannot write results file {resultsPath}: {e.Message}"); }
        catch (IOException)
        { throw new InputException($"another sweep is writing {resultsPath} (it holds {_path}); wait for it or use another --out"); }
    }

    public void Dispose()
    {
        File.Delete(_path);   // while still held, so no other sweep can be holding it
        _lock.Dispose();
    }
}

/// <summary>Appends rows to a results file, each as one unbuffered write of one complete line.</summary>
public sealed class ResultsAppender : IDisposable
{
    readonly FileStream _stream;
    readonly Lock _gate = new();

    /// <param name="validLength">Bytes of complete lines already there; anything after (a torn last line) is cut off.</param>
    public ResultsAppender(string path, long validLength)
    {
        try
        {
            _stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.Write, FileShare.Read, bufferSize: 0);
            _stream.SetLength(validLength);
            _stream.Seek(validLength, SeekOrigin.Begin);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        { throw new InputException($"cannot write results file {path}: {e.Message}"); }
    }

    public void Append(ResultRow row)
    {
        var bytes = Encoding.UTF8.GetBytes(ResultsFile.Serialize(row) + "\n");
        lock (_gate)
        {
            _stream.Write(bytes);   // bufferSize 0: one write(2) of the whole line, so a kill cannot interleave rows
            _stream.Flush();
        }
    }

    public void Dispose() => _stream.Dispose();
}
