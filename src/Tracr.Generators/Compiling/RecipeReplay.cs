using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Tracr.Generators.Model;
using Tracr.Lambdas;

namespace Tracr.Generators.Compiling
{
    /// <summary>A recipe step that failed when replayed (the DSL refused its arguments).</summary>
    internal sealed class ReplayError : Exception
    {
        public ReplayError(int step, string message) : base(message) { Step = step; }

        public int Step { get; }
    }

    /// <summary>
    /// Rebuilds a program from its recipe by calling the DSL and library members the steps name, in the
    /// generator's own (linked) copy of the compiler. Every expression is mapped to the step that created it,
    /// so compiler errors point back at the C# that wrote it.
    /// </summary>
    internal static class RecipeReplay
    {
        private static readonly Lazy<Dictionary<string, MemberInfo>> Members = new Lazy<Dictionary<string, MemberInfo>>(BuildMembers);

        /// <summary>
        /// Replays the steps; <paramref name="origins"/> receives, for every expression the program holds, the
        /// first step that produced or used it (a map, not a field on the expression: <c>tokens</c> and the
        /// library's expressions are shared by every program the generator compiles).
        /// </summary>
        public static SOp Replay(IReadOnlyList<RecipeStep> steps, Dictionary<RaspExpr, int> origins)
        {
            var results = new object?[steps.Count];
            for (int i = 0; i < steps.Count; i++)
            {
                var step = steps[i];
                results[i] = step.Member == "=" ? results[step.Args[0].Step] : Invoke(step, i, results);
                if (results[i] is RaspExpr expr) Stamp(expr, i, origins);
            }
            return results.Length > 0 && results[results.Length - 1] is SOp program
                ? program
                : throw new ReplayError(steps.Count - 1, "the program does not evaluate to an S-op");
        }

        /// <summary>The step an (possibly lowered) expression came from, or -1.</summary>
        public static int OriginOf(RaspExpr? expr, Dictionary<RaspExpr, int> origins)
        {
            for (var e = expr; e != null; e = e.LoweredFrom)
                if (origins.TryGetValue(e, out int step)) return step;
            return -1;
        }

        private static void Stamp(RaspExpr root, int step, Dictionary<RaspExpr, int> origins)
        {
            var stack = new Stack<RaspExpr>();
            stack.Push(root);
            while (stack.Count > 0)
            {
                var e = stack.Pop();
                if (origins.ContainsKey(e)) continue;
                origins[e] = step;
                foreach (var child in e.Children) stack.Push(child);
            }
        }

        private static object? Invoke(RecipeStep step, int index, object?[] results)
        {
            var member = Resolve(step, index);
            try
            {
                if (member is PropertyInfo property) return property.GetValue(null);
                var method = (MethodInfo)member;
                var parameters = method.GetParameters();
                var args = new object?[parameters.Length];
                for (int i = 0; i < parameters.Length; i++)
                    args[i] = Convert(step.Args[i], parameters[i].ParameterType, results, index);
                if (method.IsGenericMethodDefinition)
                    method = method.MakeGenericMethod(args[0]!.GetType());
                return method.Invoke(null, args);
            }
            catch (TargetInvocationException e) when (e.InnerException != null)
            {
                throw new ReplayError(index, e.InnerException.Message);
            }
        }

        /// <summary>The member a step names; a delegate parameter given a lambda prefers the overload taking <see cref="LambdaFunction"/> (it keeps the lambda's text for display).</summary>
        private static MemberInfo Resolve(RecipeStep step, int index)
        {
            var members = Members.Value;
            if (step.Args.Any(a => a.Kind == RecipeArgKind.Lambda))
            {
                string lambdaKey = System.Text.RegularExpressions.Regex.Replace(step.Member, @"Func`\d", "LambdaFunction");
                if (members.TryGetValue(lambdaKey, out var withLambda)) return withLambda;
            }
            return members.TryGetValue(step.Member, out var member)
                ? member
                : throw new ReplayError(index, $"'{step.Member}' is not a member of this version of the RASP DSL");
        }

        private static object? Convert(RecipeArg arg, Type type, object?[] results, int index)
        {
            switch (arg.Kind)
            {
                case RecipeArgKind.Null:
                    return null;
                case RecipeArgKind.Step:
                    return results[arg.Step];
                case RecipeArgKind.Enum:
                    return Enum.ToObject(type, arg.Scalar.Value.AsLong);
                case RecipeArgKind.Lambda:
                {
                    var f = arg.Lambda!;
                    if (type == typeof(LambdaFunction)) return f;
                    if (type == typeof(Func<Value, Value>)) return f.ToFunc1();
                    if (type == typeof(Func<Value, Value, Value>)) return f.ToFunc2();
                    if (type == typeof(Func<Value, Value, bool>)) return f.ToPredicate();
                    if (type == typeof(Func<IReadOnlyList<Value>, Value>)) return (Func<IReadOnlyList<Value>, Value>)(list => Value.From(f.Invoke(list)));
                    throw new ReplayError(index, $"a lambda cannot be passed as {type.Name}");
                }
                case RecipeArgKind.Array:
                {
                    var element = type.IsArray ? type.GetElementType()! : type.IsGenericType ? type.GetGenericArguments()[0] : typeof(object);
                    var array = Array.CreateInstance(element, arg.Items.Count);
                    for (int i = 0; i < arg.Items.Count; i++) array.SetValue(Convert(arg.Items[i], element, results, index), i);
                    return array;
                }
                default:
                {
                    var v = arg.Scalar.Value;
                    if (type == typeof(Value) || type == typeof(object)) return v;
                    if (type == typeof(int)) return checked((int)v.AsLong);
                    if (type == typeof(long)) return v.AsLong;
                    if (type == typeof(double)) return v.AsDouble;
                    if (type == typeof(bool)) return v.AsBool;
                    if (type == typeof(string)) return v.IsNone ? null : v.AsString;
                    throw new ReplayError(index, $"a constant cannot be passed as {type.Name}");
                }
            }
        }

        private static Dictionary<string, MemberInfo> BuildMembers()
        {
            var map = new Dictionary<string, MemberInfo>(StringComparer.Ordinal);
            foreach (var type in new[] { typeof(Rasp), typeof(Library), typeof(RaspExprExtensions), typeof(SOp), typeof(Selector) })
            {
                // Public members, and the internal overloads taking a LambdaFunction (build-time only, so not public API).
                foreach (var m in type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.DeclaredOnly).Where(m => m.IsPublic || m.IsAssembly))
                    map[type.Name + "." + m.Name + "(" + string.Join(",", m.GetParameters().Select(p => TypeKey(p.ParameterType))) + ")"] = m;
                foreach (var p in type.GetProperties(BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly))
                    map[type.Name + "." + p.Name] = p;
            }
            return map;
        }

        // Matches Symbols.MemberKey: metadata names, arrays as Element[].
        private static string TypeKey(Type t) => t.IsArray ? TypeKey(t.GetElementType()!) + "[]" : t.Name;
    }
}
