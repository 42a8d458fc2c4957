using System;
using Microsoft.CodeAnalysis;

namespace Tracr.Generators.Parsing
{
    /// <summary>Stops build-time evaluation of a program body with one diagnostic at the offending syntax.</summary>
    internal sealed class EvaluationError : Exception
    {
        public EvaluationError(DiagnosticDescriptor descriptor, SyntaxNode? node, params object?[] arguments)
            : base(string.Format(descriptor.MessageFormat.ToString(), arguments))
        {
            Descriptor = descriptor;
            Node = node;
            Arguments = arguments;
        }

        /// <summary>A location to use instead of <see cref="Node"/>'s (e.g. a method's identifier).</summary>
        public Location? Location { get; set; }

        public DiagnosticDescriptor Descriptor { get; }
        public SyntaxNode? Node { get; }
        public object?[] Arguments { get; }
    }

    /// <summary>The body does not compile as C#: the compiler reports why, so the generator adds nothing (no model, no diagnostic).</summary>
    internal sealed class InvalidCodeException : Exception
    {
    }

    /// <summary>Build-time stand-ins for C# values the DSL passes around.</summary>
    internal sealed class StepRef
    {
        public StepRef(int index) { Index = index; }

        /// <summary>Index of the recipe step that built this RASP expression.</summary>
        public int Index { get; }
    }

    /// <summary>An array or List&lt;T&gt; (mutable, shared by reference like its C# counterpart).</summary>
    internal sealed class ListValue
    {
        public ListValue(System.Collections.Generic.List<object?> items) { Items = items; }

        public System.Collections.Generic.List<object?> Items { get; }
    }

    /// <summary>A C# tuple literal before it is converted (to a <see cref="Value"/> tuple, usually).</summary>
    internal sealed class TupleValue
    {
        public TupleValue(object?[] items) { Items = items; }

        public object?[] Items { get; }
    }

    /// <summary>An enum member by value.</summary>
    internal sealed class EnumValue
    {
        public EnumValue(long value) { Value = value; }

        public long Value { get; }
    }
}
