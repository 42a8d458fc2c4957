// A user's program: the RASP `reverse` compiled to a transformer at build time by the Tracr.Generators
// package's source generator, then run. Exits 1 unless the model reverses "a b c".
using System;
using System.Linq;
using Tracr;
using static Tracr.Rasp;

string[] input = { "a", "b", "c" };
string?[] outputs = Reverse.Model.Apply(input).Outputs;

Console.WriteLine($"reverse({string.Join(" ", input)}) = {string.Join(" ", outputs)}");
if (!outputs.SequenceEqual(new[] { "c", "b", "a" }))
{
    Console.Error.WriteLine("error: expected c b a");
    return 1;
}
return 0;

public static partial class Reverse
{
    [RaspProgram("a", "b", "c", MaxSeqLen = 5)]
    static SOp Program() => Library.MakeReverse(Tokens);
}
