namespace CoDesign.Runtime.Serving;

/// <summary>One row of --stages-csv.</summary>
public readonly record struct StageRecord(int Index, string Kind, double StartS, double TimeS, int Tokens, int Batch,
    int DecodeRequests, int PrefillRequests, int PrefillTokens, double EnergyJ, double HostBusyS, double PimBusyS, double LinkBusyS);
