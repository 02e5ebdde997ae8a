using CoDesign.Cli;

// Ctrl-C cancels the long loops, which stop at their next step; a second Ctrl-C ends the process at once.
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = !cancel.IsCancellationRequested;
    cancel.Cancel();
};
return CodesignApp.Run(args, Console.Out, Console.Error, cancel.Token);
