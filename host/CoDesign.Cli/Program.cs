using CoDesign.Cli;

return CodesignApp.Run(args, Console.Out, Console.Error);
