#:package Tracr.Generators@0.1.0
// The quickest start (README.md): one file, no project. `dotnet run app.cs` restores the package, the source generator
// compiles the RASP program below into a transformer while the app builds, and the app runs it.
// In this folder the package comes from the local pack output (nuget.config); run by samples/run-consumer.sh.
using Tracr;
using static Tracr.Rasp;

string[] input = { "a", "b", "c" };
string?[] outputs = Reverse.Model.Apply(input).Outputs;
System.Console.WriteLine($"reverse({string.Join(" ", input)}) = {string.Join(" ", outputs)}");
return string.Join(" ", outputs) == "c b a" ? 0 : 1;

public static partial class Reverse
{
    [RaspProgram("a", "b", "c", MaxSeqLen = 5)]
    static SOp Program() => Library.MakeReverse(Tokens);
}
