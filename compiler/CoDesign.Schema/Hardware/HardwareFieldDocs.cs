namespace CoDesign.Schema.Hardware;

/// <summary>
/// Unit and meaning of every hardware-file field, keyed by message and proto field name. The one place they are
/// written: `codesign hardware --explain` prints them and docs/hardware.md is checked against them by a test.
/// </summary>
public static class HardwareFieldDocs
{
    public sealed record Doc(string Unit, string Meaning);

    public static readonly IReadOnlyDictionary<string, Doc> Fields = new Dictionary<string, Doc>
    {
        ["Hardware.name"] = new("-", "preset or file name; shown in reports"),
        ["Hardware.description"] = new("-", "one line for people"),
        ["Hardware.processors"] = new("-", "the processors of one device: exactly one gpu or xpu, plus any PIM"),
        ["Hardware.memory"] = new("-", "the device's DRAM"),
        ["Hardware.ideal_efficiency"] = new("-", "true: every processor at bandwidth_efficiency x peak, no DRAM timing model (the old roofline, for comparisons)"),
        ["Hardware.interconnect"] = new("-", "links between devices"),

        ["Processor.name"] = new("-", "unique within the device; placement and reports use it"),
        ["Processor.kind"] = new("enum", "gpu | xpu (runs everything not on PIM) | logic_pim | bank_pim | bankgroup_pim"),
        ["Processor.peak"] = new("-", "dense peak per data type; a type not listed runs at the fp16 peak"),
        ["Processor.memory_bandwidth_bytes_per_s"] = new("B/s", "DRAM bandwidth this processor streams at: the one bandwidth the cost model uses"),
        ["Processor.clock_hz"] = new("Hz", "clock; 0 = not modelled (only logic_pim_clock_hz sweeps need it)"),
        ["Processor.dram_energy_j_per_bit"] = new("J/bit", "energy per bit moved between DRAM cells and this processor"),
        ["Processor.compute_energy_j_per_flop"] = new("J/FLOP", "energy per floating-point operation"),
        ["Processor.op_overhead_s"] = new("s", "fixed cost per operator launch (kernel launch, PIM command issue)"),
        ["Processor.bandwidth_efficiency"] = new("fraction", "share of the bandwidth reached on long streams (1 = ideal roofline)"),
        ["Processor.compute_efficiency"] = new("fraction", "share of the peak reached on large GEMMs (1 = ideal roofline)"),
        ["Processor.can_run_softmax"] = new("bool", "false: softmax is handed to the host processor"),
        ["Processor.source"] = new("-", "where this processor's numbers come from"),
        ["PeakCompute.data_type"] = new("enum", "fp32 | fp16 | bf16 | fp8 | int8 | int4"),
        ["PeakCompute.flops_per_s"] = new("FLOP/s", "dense peak for that data type (ops/s for integers)"),

        ["Memory.capacity_bytes"] = new("B", "usable DRAM of one device, given directly; weights, KV cache and activations must fit"),
        ["Memory.stacks"] = new("count", "HBM stacks (geometry: set all geometry fields or none; PIM needs them)"),
        ["Memory.pseudo_channels_per_stack"] = new("count", "pseudo-channels per stack"),
        ["Memory.ranks"] = new("count", "ranks per pseudo-channel"),
        ["Memory.bank_groups"] = new("count", "bank groups per pseudo-channel and rank"),
        ["Memory.banks_per_group"] = new("count", "banks per bank group"),
        ["Memory.rows_per_bank"] = new("count", "rows per bank"),
        ["Memory.columns_per_row"] = new("count", "column accesses per row"),
        ["Memory.bytes_per_column"] = new("B", "bytes per column access; the geometry's product must be at least capacity_bytes"),
        ["Memory.bank_bundles_per_pseudo_channel"] = new("count", "Logic-PIM bank bundles per pseudo-channel (must divide its banks)"),
        ["Memory.timing"] = new("-", "DRAM timing in memory-clock cycles (used by the RTL DRAM model)"),
        ["Memory.row_activation_energy_j"] = new("J", "energy of one row activation"),
        ["Memory.source"] = new("-", "where the memory numbers come from"),

        ["MemoryTiming.tck_s"] = new("s", "memory clock period tCK"),
        ["MemoryTiming.n_bl"] = new("tCK", "burst length on the bus"),
        ["MemoryTiming.n_cl"] = new("tCK", "read latency CL"),
        ["MemoryTiming.n_rcd_rd"] = new("tCK", "activate to read tRCDRD"),
        ["MemoryTiming.n_rcd_wr"] = new("tCK", "activate to write tRCDWR"),
        ["MemoryTiming.n_rp"] = new("tCK", "precharge tRP"),
        ["MemoryTiming.n_ras"] = new("tCK", "activate to precharge tRAS"),
        ["MemoryTiming.n_rc"] = new("tCK", "activate to activate, same bank tRC"),
        ["MemoryTiming.n_wr"] = new("tCK", "write recovery tWR"),
        ["MemoryTiming.n_rtp_s"] = new("tCK", "read to precharge, different bank group tRTPS"),
        ["MemoryTiming.n_rtp_l"] = new("tCK", "read to precharge, same bank group tRTPL"),
        ["MemoryTiming.n_cwl"] = new("tCK", "write latency CWL"),
        ["MemoryTiming.n_ccd_s"] = new("tCK", "column to column, different bank group tCCDS"),
        ["MemoryTiming.n_ccd_l"] = new("tCK", "column to column, same bank group tCCDL"),
        ["MemoryTiming.n_rfc_ab"] = new("tCK", "all-bank refresh cycle time tRFCab (0: derived, machine/CoDesign.Machine/Dram/HbmTiming.cs)"),
        ["MemoryTiming.n_rrefd"] = new("tCK", "per-bank refresh to per-bank refresh, different bank tRREFD (0: derived)"),
        ["MemoryTiming.n_rrd_s"] = new("tCK", "activate to activate, different bank group tRRDS"),
        ["MemoryTiming.n_rrd_l"] = new("tCK", "activate to activate, same bank group tRRDL"),
        ["MemoryTiming.n_wtr_s"] = new("tCK", "write to read, different bank group tWTRS"),
        ["MemoryTiming.n_wtr_l"] = new("tCK", "write to read, same bank group tWTRL"),
        ["MemoryTiming.n_rtw"] = new("tCK", "read to write turnaround"),
        ["MemoryTiming.n_faw"] = new("tCK", "four-activate window tFAW"),
        ["MemoryTiming.n_rfc_sb"] = new("tCK", "single-bank refresh tRFCsb"),
        ["MemoryTiming.n_refi"] = new("tCK", "refresh interval tREFI"),

        ["Interconnect.intra_node"] = new("-", "link between devices of one node (NVLink)"),
        ["Interconnect.inter_node"] = new("-", "link between nodes (InfiniBand)"),
        ["Interconnect.max_devices_per_node"] = new("count", "devices per node; larger systems span nodes"),
        ["Interconnect.source"] = new("-", "where the link numbers come from"),
        ["Link.bandwidth_bytes_per_s"] = new("B/s", "per direction, per device"),
        ["Link.latency_s"] = new("s", "per transfer"),
        ["Link.energy_j_per_bit"] = new("J/bit", "energy per bit sent (0: not modelled)"),
    };

    /// <summary>A field's doc; fields added without one still get a unit read off their name's suffix.</summary>
    public static Doc For(string message, string field) =>
        Fields.TryGetValue($"{message}.{field}", out var d) ? d : new(UnitFromName(field), "(not yet documented in HardwareFieldDocs)");

    static string UnitFromName(string field) =>
        field.EndsWith("_bytes_per_s") ? "B/s" : field.EndsWith("_flops_per_s") ? "FLOP/s" : field.EndsWith("_j_per_bit") ? "J/bit"
        : field.EndsWith("_hz") ? "Hz" : field.EndsWith("_bytes") ? "B" : field.EndsWith("_j") ? "J" : field.EndsWith("_s") ? "s" : "-";
}
