using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace Tracr.Generators.Parsing
{
    // What a program body holds at build time besides plain CLR values (numbers, strings, Values, arrays, lists, ...,
    // which the body computes with exactly as C# does, see LambdaTranslator): the RASP expressions it builds, which are
    // recorded rather than run, and the lambdas it passes to the DSL, which become data once the method has returned.

    /// <summary>A RASP expression: the index of the recipe step that built it.</summary>
    internal sealed class StepRef
    {
        public StepRef(int index) { Index = index; }

        public int Index { get; }
    }

    /// <summary>An array or List of RASP expressions (shared by reference like its C# counterpart).</summary>
    internal sealed class RaspList
    {
        public RaspList(List<object?> items) { Items = items; }

        public List<object?> Items { get; }
    }

    /// <summary>
    /// A lambda or method group given to the RASP DSL, with the variables it captures. It is turned into data
    /// (<see cref="LambdaTranslator.Lambda"/>) when the program method has returned: that is when C# would run it,
    /// so a captured variable contributes its last value, as in C#.
    /// </summary>
    internal sealed class PendingLambda
    {
        public PendingLambda(IOperation target, IReadOnlyDictionary<ISymbol, BodyInterpreter.Cell> captured, int index)
        {
            Target = target;
            Captured = captured;
            Index = index;
        }

        public IOperation Target { get; }
        public IReadOnlyDictionary<ISymbol, BodyInterpreter.Cell> Captured { get; }

        /// <summary>Its number in the body (recipe arguments refer to it until it is translated).</summary>
        public int Index { get; }
    }
}
