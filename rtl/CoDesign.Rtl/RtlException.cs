// SPDX-License-Identifier: Apache-2.0
// Failures of the RTL flow that are not the user's input: a model that asserts, stalls or crashes.
namespace CoDesign.Rtl;

/// <summary>The RTL model or its build failed; the message is one line that says what and where.</summary>
public class RtlException(string message) : Exception(message);

/// <summary>The watchdog stopped a model that made no progress (or ran past its time limit).</summary>
public sealed class RtlWatchdogException(string message) : RtlException(message);
