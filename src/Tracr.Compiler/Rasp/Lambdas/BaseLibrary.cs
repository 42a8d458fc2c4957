using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Runtime.ExceptionServices;

namespace Tracr.Lambdas
{
    /// <summary>
    /// The base-library members a lambda may call, and how they are called: by reflection on the running
    /// process's own base library, so <c>Math.Sin</c>, <c>string.Split</c> or <c>Enumerable.OrderBy</c> mean
    /// exactly what they mean when the same C# runs. Only pure members are admitted (no I/O, time, randomness,
    /// reflection or process state); <c>GetHashCode</c> is refused everywhere because string hashes are
    /// randomised per process. Memory limits (<see cref="LambdaLimits"/>) are checked around every call.
    /// </summary>
    internal static class BaseLibrary
    {
        private static readonly HashSet<string> AllMembers = new HashSet<string>(StringComparer.Ordinal)
        {
            "System.Math", "System.MathF", "System.String", "System.Char", "System.Boolean",
            "System.Byte", "System.SByte", "System.Int16", "System.UInt16", "System.Int32", "System.UInt32",
            "System.Int64", "System.UInt64", "System.Single", "System.Double", "System.Decimal", "System.Convert",
            "System.Linq.Enumerable", "System.Array", "System.Nullable`1", "System.Text.StringBuilder", "System.StringComparer",
            "System.Collections.Generic.List`1", "System.Collections.Generic.HashSet`1", "System.Collections.Generic.Dictionary`2",
            "System.Collections.Generic.SortedSet`1", "System.Collections.Generic.SortedDictionary`2", "System.Collections.Generic.Queue`1",
            "System.Collections.Generic.Stack`1", "System.Collections.Generic.KeyValuePair`2", "System.Collections.Generic.KeyValuePair",
            "System.Collections.Generic.IEnumerable`1", "System.Collections.Generic.ICollection`1", "System.Collections.Generic.IList`1",
            "System.Collections.Generic.IReadOnlyList`1", "System.Collections.Generic.IReadOnlyCollection`1", "System.Collections.Generic.IDictionary`2",
            "System.Collections.Generic.IReadOnlyDictionary`2", "System.Collections.Generic.ISet`1", "System.Collections.Generic.CollectionExtensions",
            "System.Collections.Generic.Comparer`1", "System.Collections.Generic.EqualityComparer`1",
            "System.ValueTuple", "System.ValueTuple`1", "System.ValueTuple`2", "System.ValueTuple`3", "System.ValueTuple`4",
            "System.ValueTuple`5", "System.ValueTuple`6", "System.ValueTuple`7", "Tracr.Value",
        };

        /// <summary>Types of which only some members are admitted.</summary>
        private static readonly Dictionary<string, string[]> SomeMembers = new Dictionary<string, string[]>(StringComparer.Ordinal)
        {
            ["System.Object"] = new[] { "ToString", "Equals" },
            ["System.Globalization.CultureInfo"] = new[] { "get_InvariantCulture" },
            ["System.Func`1"] = new[] { "Invoke" },
            ["System.Func`2"] = new[] { "Invoke" },
            ["System.Func`3"] = new[] { "Invoke" },
            ["System.Func`4"] = new[] { "Invoke" },
            ["System.Func`5"] = new[] { "Invoke" },
            ["System.Predicate`1"] = new[] { "Invoke" },
            ["System.Comparison`1"] = new[] { "Invoke" },
        };

        /// <summary>Members of admitted types that are still refused, with the reason.</summary>
        private static readonly Dictionary<string, string> Refused = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["GetHashCode"] = "hash codes (of strings in particular) are randomised per process, so the model would not match the C#",
            ["Intern"] = "it reads process state",
            ["IsInterned"] = "it reads process state",
            ["GetType"] = "reflection is not available at build time",
        };

        /// <summary>Why a member cannot be called from a lambda, or null when it can.</summary>
        /// <param name="typeDefinition">Metadata name of the declaring type's definition (<c>System.Collections.Generic.List`1</c>).</param>
        public static string? WhyNot(string typeDefinition, string member)
        {
            if (Refused.TryGetValue(member, out var reason)) return reason;
            if (AllMembers.Contains(typeDefinition)) return null;
            // throw new ArgumentException(...) and friends: exceptions of the base library are plain data.
            if (member == ".ctor" && typeDefinition.StartsWith("System.", StringComparison.Ordinal) && typeDefinition.EndsWith("Exception", StringComparison.Ordinal)) return null;
            if (typeDefinition == "System.MemoryExtensions" && SpanEquivalents.ContainsKey(member)) return null;
            if (SomeMembers.TryGetValue(typeDefinition, out var some) && some.Contains(member)) return null;
            return "only pure members of the base library (System.Math/MathF, string, char, numeric types, Convert, LINQ, arrays, " +
                   "List, HashSet, Dictionary, SortedSet, Queue, Stack, StringBuilder, tuples) and of Tracr.Value can be";
        }

        // ------------------------------------------------------------------ types

        private static readonly Assembly[] Assemblies = new[]
        {
            typeof(object).Assembly, typeof(Enumerable).Assembly, typeof(HashSet<>).Assembly, typeof(Stack<>).Assembly,
            typeof(SortedSet<>).Assembly, typeof(Value).Assembly,
        }.Distinct().ToArray();

        internal static Type ResolveType(TypeRef type)
        {
            if (type.IsArray) return type.Arguments[0].Resolve().MakeArrayType();
            Type? found = null;
            foreach (var assembly in Assemblies)
                if ((found = assembly.GetType(type.Name, throwOnError: false)) != null) break;
            if (found is null) throw new LambdaException($"the type '{type}' is not available in this process");
            return type.Arguments.Count == 0 ? found : found.MakeGenericType(type.Arguments.Select(a => a.Resolve()).ToArray());
        }

        // ------------------------------------------------------------------ members

        /// <summary>
        /// MemoryExtensions members C# 14 binds for arrays (first-class spans) and the array/LINQ members that
        /// compute the same thing without a span (reflection cannot pass spans).
        /// </summary>
        private static readonly Dictionary<string, (Type Type, string Name)> SpanEquivalents = new Dictionary<string, (Type, string)>(StringComparer.Ordinal)
        {
            ["Contains"] = (typeof(Enumerable), "Contains"),
            ["SequenceEqual"] = (typeof(Enumerable), "SequenceEqual"),
            ["IndexOf"] = (typeof(Array), "IndexOf"),
            ["LastIndexOf"] = (typeof(Array), "LastIndexOf"),
            ["Reverse"] = (typeof(Array), "Reverse"),
            ["Sort"] = (typeof(Array), "Sort"),
        };

        internal static object ResolveMember(MemberRef member)
        {
            string definition = member.DeclaringType.IsArray ? "System.Array" : member.DeclaringType.Name;
            var why = WhyNot(definition, member.Name);
            if (why != null) throw new LambdaException($"'{member}' cannot be called: {why}");
            var type = member.DeclaringType.IsArray ? typeof(Array) : member.DeclaringType.Resolve();
            const BindingFlags flags = BindingFlags.Public | BindingFlags.Static | BindingFlags.Instance;
            if (member.Kind == MemberKind.Field)
                return type.GetField(member.Name, flags) ?? throw new LambdaException($"'{member}' is not a field in this process");

            var wanted = member.ParameterTypes.Select(SpanAsArray).ToArray();
            if (member.Kind == MemberKind.Constructor)
                return type.GetConstructor(wanted) ?? throw new LambdaException($"'{member}' is not a constructor in this process");

            string name = member.Name;
            if (definition == "System.MemoryExtensions")
                (type, name) = SpanEquivalents[member.Name];
            foreach (var candidate in type.GetMethods(flags))
            {
                if (candidate.Name != name || candidate.GetParameters().Length != wanted.Length) continue;
                var method = candidate;
                if (member.TypeArguments.Count > 0 || candidate.IsGenericMethodDefinition)
                {
                    if (!candidate.IsGenericMethodDefinition) continue;
                    int arity = candidate.GetGenericArguments().Length;
                    var arguments = member.TypeArguments.Count == arity ? member.TypeArguments.Select(t => t.Resolve()).ToArray()
                        : arity == 1 && wanted.Length > 0 ? new[] { ElementOf(wanted[0]) } : null;
                    if (arguments is null || arguments.Any(a => a is null)) continue;
                    try { method = candidate.MakeGenericMethod(arguments!); }
                    catch (ArgumentException) { continue; }
                }
                var parameters = method.GetParameters();
                bool match = true;
                for (int i = 0; i < wanted.Length && match; i++)
                    match = Unref(parameters[i].ParameterType) == wanted[i] || (parameters[i].ParameterType.IsAssignableFrom(wanted[i]) && definition == "System.MemoryExtensions");
                if (match && member.ReturnType != null) match = method.ReturnType == member.ReturnType.Resolve();
                if (match) return method;
            }
            throw new LambdaException($"'{member}' is not a method in this process (a span-only overload cannot be called at build time)");
        }

        private static Type SpanAsArray(TypeRef type)
        {
            if ((type.Name == "System.ReadOnlySpan`1" || type.Name == "System.Span`1") && type.Arguments.Count == 1)
                return type.Arguments[0].Resolve().MakeArrayType();
            return type.Resolve();
        }

        private static Type Unref(Type t) => t.IsByRef ? t.GetElementType()! : t;

        private static Type? ElementOf(Type t) => t.IsArray ? t.GetElementType() : t.IsGenericType ? t.GetGenericArguments()[0] : null;

        /// <summary>Calls a method or constructor, or reads a field, with C#'s exceptions (not reflection's wrappers).</summary>
        internal static object? Invoke(MemberRef member, object? instance, object?[] args, LambdaContext context)
        {
            var resolved = member.Resolve();
            CheckSizes(member, args, context);
            if (resolved is MethodBase callee)
            {
                // Enum arguments arrive as numbers (enums are their values in lambda trees).
                var parameters = callee.GetParameters();
                for (int i = 0; i < args.Length && i < parameters.Length; i++)
                {
                    var type = parameters[i].ParameterType.IsByRef ? parameters[i].ParameterType.GetElementType()! : parameters[i].ParameterType;
                    if (type.IsEnum && args[i] != null && !(args[i] is Enum)) args[i] = Enum.ToObject(type, args[i]!);
                }
            }
            object? result;
            try
            {
                result = resolved switch
                {
                    FieldInfo field => field.GetValue(field.IsStatic ? null : instance),
                    ConstructorInfo ctor => ctor.Invoke(args),
                    MethodInfo method => method.Invoke(method.IsStatic ? null : instance ?? throw new NullReferenceException($"'{member}' called on null"), args),
                    _ => throw new LambdaException($"'{member}' cannot be called"),
                };
            }
            catch (TargetInvocationException e) when (e.InnerException != null)
            {
                ExceptionDispatchInfo.Capture(e.InnerException).Throw();
                throw;
            }
            context.Budget.CountResult(result, member);
            return result is Enum en ? System.Convert.ChangeType(en, Enum.GetUnderlyingType(en.GetType()), System.Globalization.CultureInfo.InvariantCulture) : result;
        }

        private static readonly HashSet<string> SizedMembers = new HashSet<string>(StringComparer.Ordinal)
        {
            "Range", "Repeat", "PadLeft", "PadRight", "Append", "Insert", "EnsureCapacity", "Resize",
        };

        /// <summary>Refuses calls whose integer arguments ask for more elements than the limit, before anything is allocated.</summary>
        private static void CheckSizes(MemberRef member, object?[] args, LambdaContext context)
        {
            if (member.Kind != MemberKind.Constructor && !SizedMembers.Contains(member.Name)) return;
            foreach (var a in args)
            {
                long n = a switch { int i => i, long l => l, _ => 0 };
                if (n > LambdaLimits.MaxElements)
                    throw new LambdaLimitException($"'{member}' asks for {n:N0} elements, more than the build-time limit of {LambdaLimits.MaxElements:N0}");
            }
        }

    }
}
