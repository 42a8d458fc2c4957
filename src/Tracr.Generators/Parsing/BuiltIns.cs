using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using Tracr.Lambdas;

namespace Tracr.Generators.Parsing
{
    /// <summary>
    /// The few framework members a program body may call at build time: pure functions of constants
    /// (System.Math, string, ToString), Enumerable.Range, and List&lt;T&gt;.Add / ToArray / ToList.
    /// Everything else from outside the project is refused, because it cannot be run safely in the compiler.
    /// </summary>
    internal static class BuiltIns
    {
        public static bool TryInvoke(IMethodSymbol method, object? receiver, object?[] args, IInvocationOperation where, BodyInterpreter interpreter, out object? result)
        {
            result = null;
            string type = method.ContainingType?.ToDisplayString() ?? "";
            string name = method.Name;

            if (type == "System.Math" && KnownFunctions.Arity.TryGetValue("Math." + name, out int arity) && arity == args.Length)
            {
                var values = args.Select((a, i) => interpreter.AsScalar(a, where.Arguments[i].Value)).ToArray();
                // The known functions keep C#'s result types (Math.Abs/Min/Max/Sign of ints are ints).
                result = BodyInterpreter.Compute(() => KnownFunctions.Invoke("Math." + name, values), where);
                return true;
            }

            if (type == "System.Linq.Enumerable" && name == "Range" && args.Length == 2)
            {
                long start = interpreter.AsScalar(args[0], where.Arguments[0].Value).AsLong;
                long count = interpreter.AsScalar(args[1], where.Arguments[1].Value).AsLong;
                if (count < 0 || count > BodyInterpreter.MaxLoopIterations)
                    throw new EvaluationError(Descriptors.EvaluationLimit, where.Syntax, $"Enumerable.Range with {count} items is outside 0..{BodyInterpreter.MaxLoopIterations:N0}");
                result = new ListValue(Enumerable.Range(0, (int)count).Select(i => (object?)Value.FromInt(start + i)).ToList());
                return true;
            }

            if (type == "System.Linq.Enumerable" && (name == "ToArray" || name == "ToList") && args.Length == 1 && args[0] is ListValue source)
            {
                result = new ListValue(source.Items.ToList());
                return true;
            }

            if (receiver is ListValue list && method.ContainingType?.Name == "List")
            {
                switch (name)
                {
                    case "Add":
                        list.Items.Add(interpreter.Convert(args[0], method.Parameters[0].Type, where.Arguments[0].Value));
                        return true;
                    case "ToArray":
                        result = new ListValue(list.Items.ToList());
                        return true;
                }
            }

            if (name == "ToString" && args.Length == 0 && receiver is Value scalar)
            {
                result = Value.FromString(BinaryNode.CSharpString(scalar));
                return true;
            }

            if (receiver is Value text && text.Kind == ValueKind.String && method.ContainingType?.SpecialType == SpecialType.System_String)
            {
                string s = text.AsString;
                var a = args.Select((x, i) => interpreter.AsScalar(x, where.Arguments[i].Value)).ToArray();
                result = BodyInterpreter.Compute(() => name switch
                {
                    "ToUpper" when a.Length == 0 => Value.FromString(s.ToUpperInvariant()),
                    "ToUpperInvariant" => Value.FromString(s.ToUpperInvariant()),
                    "ToLower" when a.Length == 0 => Value.FromString(s.ToLowerInvariant()),
                    "ToLowerInvariant" => Value.FromString(s.ToLowerInvariant()),
                    "Substring" when a.Length == 1 => Value.FromString(s.Substring((int)a[0].AsLong)),
                    "Substring" when a.Length == 2 => Value.FromString(s.Substring((int)a[0].AsLong, (int)a[1].AsLong)),
                    "Contains" when a.Length == 1 => Value.FromBool(s.IndexOf(a[0].AsString, StringComparison.Ordinal) >= 0),
                    "StartsWith" when a.Length == 1 => Value.FromBool(s.StartsWith(a[0].AsString, StringComparison.Ordinal)),
                    "EndsWith" when a.Length == 1 => Value.FromBool(s.EndsWith(a[0].AsString, StringComparison.Ordinal)),
                    "IndexOf" when a.Length == 1 => Value.FromInt(s.IndexOf(a[0].AsString, StringComparison.Ordinal)),
                    _ => throw new EvaluationError(Descriptors.NotConstant, where.Syntax, where.Syntax.ToString(), $"string.{name} with these arguments is not supported at build time"),
                }, where);
                return true;
            }

            return false;
        }
    }
}
