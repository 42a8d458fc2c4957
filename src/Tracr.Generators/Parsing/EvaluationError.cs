using System;
using System.Collections.Generic;
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
}
