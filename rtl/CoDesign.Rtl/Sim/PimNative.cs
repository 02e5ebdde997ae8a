// SPDX-License-Identifier: Apache-2.0
// In-process cd_pim_tb: the Verilated model as a shared library, stepped from C# through function pointers.
using System.Runtime.InteropServices;
using CoDesign.Rtl.Build;
using CoDesign.Schema.V1;

namespace CoDesign.Rtl.Sim;

/// <summary>
/// Cycle-by-cycle co-simulation: C# decides how far to run, can look at progress between steps and
/// stops a stuck model itself. Costs a native call per step instead of a process per job
/// (toolchain.md §5: ~400x cheaper than a pipe round trip per cycle). One model per process at a time.
/// </summary>
public sealed unsafe partial class PimNative : IDisposable
{
    static readonly Lock Gate = new();
    readonly nint _handle;
    readonly delegate* unmanaged[Cdecl]<nint, ulong, int, int> _step;
    readonly delegate* unmanaged[Cdecl, SuppressGCTransition]<nint, ulong> _cycles;
    readonly delegate* unmanaged[Cdecl, SuppressGCTransition]<nint, uint> _progress;
    readonly delegate* unmanaged[Cdecl]<nint, ulong*, void> _commands;
    readonly delegate* unmanaged[Cdecl]<nint, byte*, ulong, ulong> _sbuf;
    readonly delegate* unmanaged[Cdecl]<nint, void> _destroy;
    readonly delegate* unmanaged[Cdecl]<nint, int> _error;
    bool _disposed;

    PimNative(nint lib, byte[] job)
    {
        T Get<T>(string name) where T : unmanaged
        {
            nint p = NativeLibrary.GetExport(lib, name);
            return *(T*)&p;
        }
        var create = Get<nint>("cd_pim_create");
        _step = (delegate* unmanaged[Cdecl]<nint, ulong, int, int>)Get<nint>("cd_pim_step");
        _cycles = (delegate* unmanaged[Cdecl, SuppressGCTransition]<nint, ulong>)Get<nint>("cd_pim_cycles");
        _progress = (delegate* unmanaged[Cdecl, SuppressGCTransition]<nint, uint>)Get<nint>("cd_pim_progress");
        _commands = (delegate* unmanaged[Cdecl]<nint, ulong*, void>)Get<nint>("cd_pim_commands");
        _sbuf = (delegate* unmanaged[Cdecl]<nint, byte*, ulong, ulong>)Get<nint>("cd_pim_stack_buffer");
        _destroy = (delegate* unmanaged[Cdecl]<nint, void>)Get<nint>("cd_pim_destroy");
        _error = (delegate* unmanaged[Cdecl]<nint, int>)Get<nint>("cd_pim_error");
        fixed (byte* p = job) _handle = ((delegate* unmanaged[Cdecl]<byte*, ulong, nint>)create)(p, (ulong)job.Length);
        if (_handle == 0) throw new RtlException("cd_pim_create rejected the job");
    }

    public long Cycles => (long)_cycles(_handle);
    public uint Progress => _progress(_handle);

    /// <summary>Runs at most <paramref name="cycles"/> cycles; true once the program has finished.</summary>
    public bool Step(long cycles, bool freezeDram = false)
    {
        int r = _step(_handle, (ulong)cycles, freezeDram ? 1 : 0);
        if (r < 0) throw new RtlException($"RTL assertion or error at cycle {Cycles}");
        return r == 1;
    }

    public byte[] StackBuffer()
    {
        ulong n = _sbuf(_handle, null, 0);
        var b = new byte[n];
        fixed (byte* p = b) _sbuf(_handle, p, n);
        return b;
    }

    static PimRunResult Run(string path, PimConfig cfg, PimJob job, PimRunOptions opts, CancellationToken ct)
    {
        var tmp = Path.GetTempFileName();
        try
        {
            job.Write(tmp);
            var bytes = File.ReadAllBytes(tmp);
            lock (Gate)
            {
                // Loaded once per path and never unloaded: freeing a Verilated library under a live model crashes.
                nint lib = NativeLibrary.Load(path);
                using var sim = new PimNative(lib, bytes);
                var sw = System.Diagnostics.Stopwatch.StartNew();
                long step = Math.Max(1, Math.Min(opts.StallCycles, 4096)), lastChange = 0;
                uint last = sim.Progress;
                while (true)
                {
                    ct.ThrowIfCancellationRequested();
                    bool freeze = opts.FreezeDramAtCycle is long f && sim.Cycles >= f;
                    if (sim.Step(step, freeze)) break;
                    if (sim.Progress != last) { last = sim.Progress; lastChange = sim.Cycles; }
                    else if (sim.Cycles - lastChange > opts.StallCycles)
                        throw new RtlWatchdogException($"watchdog: no progress for {opts.StallCycles} cycles (at cycle {sim.Cycles})");
                    if (sim.Cycles >= opts.MaxCycles) throw new RtlWatchdogException($"watchdog: reached {opts.MaxCycles} cycles");
                    if (sw.Elapsed > opts.WallTimeout)
                        throw new RtlWatchdogException($"watchdog: {cfg.Name} simulation ran past its {opts.WallTimeout.TotalSeconds:0} s wall-clock limit");
                }
                double wall = sw.Elapsed.TotalSeconds;
                var cmd = new ulong[4];
                fixed (ulong* c = cmd) sim._commands(sim._handle, c);
                return new PimRunResult(sim.Cycles, wall, sim._error(sim._handle) != 0,
                    new DramCommandCounts((long)cmd[0], (long)cmd[1], (long)cmd[2], (long)cmd[3]), sim.StackBuffer());
            }
        }
        finally { File.Delete(tmp); }
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _destroy(_handle);
    }
}
