using System;

namespace Tracr.Compiler
{
    /// <summary>Calls a node's function (a Map, SequenceMap or predicate lambda) the way Tracr does.</summary>
    internal static class NodeFunctions
    {
        /// <summary>
        /// Calls <paramref name="f"/>; an arithmetic error (e.g. division by zero) means "no value",
        /// as Tracr's <c>ignoring_arithmetic_errors</c>; any other failure is a compilation error naming
        /// the node and the input (<paramref name="where"/> is only formatted then).
        /// </summary>
        public static Value? Call(GraphNode node, string stage, Func<Value> f, Func<string> where)
        {
            try
            {
                return f();
            }
            catch (ArithmeticException)
            {
                return null;
            }
            catch (Exception e) when (!(e is OperationCanceledException))
            {
                throw new RaspCompilationException(stage, new UnsupportedExpression(node.Expr, node.Label, UnsupportedKind.FunctionFailed,
                    $"its function failed on {where()}: {e.Message}"));
            }
        }
    }
}
