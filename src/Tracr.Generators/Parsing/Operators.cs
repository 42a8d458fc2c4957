using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using Tracr.Lambdas;

namespace Tracr.Generators.Parsing
{
    /// <summary>
    /// Maps a C# operator, as bound by the compiler, to the lambda operator with the same semantics.
    /// Why the bound operator and not the token: <c>/</c> on two ints truncates, on <see cref="Value"/>
    /// it is Python's true division, on strings <c>+</c> concatenates with C#'s formatting.
    /// </summary>
    internal static class Operators
    {
        public static BinaryOperator? Binary(BinaryOperatorKind kind, IMethodSymbol? userOperator, ITypeSymbol? operandType)
        {
            bool onValue = userOperator != null && Symbols.IsTracrType(userOperator.ContainingType, "Value");
            if (userOperator != null && !onValue) return null;
            var special = operandType?.SpecialType ?? SpecialType.None;
            bool integral = special == SpecialType.System_Int32 || special == SpecialType.System_Int64 || special == SpecialType.System_Int16 ||
                            special == SpecialType.System_Byte || special == SpecialType.System_UInt32 || special == SpecialType.System_UInt64 ||
                            special == SpecialType.System_Char;
            bool isString = special == SpecialType.System_String;
            switch (kind)
            {
                case BinaryOperatorKind.Add: return isString ? BinaryOperator.Concat : BinaryOperator.Add;
                case BinaryOperatorKind.Subtract: return BinaryOperator.Subtract;
                case BinaryOperatorKind.Multiply: return BinaryOperator.Multiply;
                case BinaryOperatorKind.Divide: return onValue ? BinaryOperator.TrueDivide : integral ? BinaryOperator.IntegerDivide : BinaryOperator.TrueDivide;
                case BinaryOperatorKind.Remainder: return onValue ? BinaryOperator.Modulo : BinaryOperator.Remainder;
                case BinaryOperatorKind.Equals: return BinaryOperator.Equal;
                case BinaryOperatorKind.NotEquals: return BinaryOperator.NotEqual;
                case BinaryOperatorKind.LessThan: return BinaryOperator.Less;
                case BinaryOperatorKind.LessThanOrEqual: return BinaryOperator.LessOrEqual;
                case BinaryOperatorKind.GreaterThan: return BinaryOperator.Greater;
                case BinaryOperatorKind.GreaterThanOrEqual: return BinaryOperator.GreaterOrEqual;
                case BinaryOperatorKind.ConditionalAnd: return BinaryOperator.AndAlso;
                case BinaryOperatorKind.ConditionalOr: return BinaryOperator.OrElse;
                // On Value, & and | are Python's `and`/`or`; on bools they are logical (no side effects here, so short-circuiting is the same).
                case BinaryOperatorKind.And: return onValue ? BinaryOperator.PythonAnd : special == SpecialType.System_Boolean ? BinaryOperator.AndAlso : (BinaryOperator?)null;
                case BinaryOperatorKind.Or: return onValue ? BinaryOperator.PythonOr : special == SpecialType.System_Boolean ? BinaryOperator.OrElse : (BinaryOperator?)null;
                case BinaryOperatorKind.ExclusiveOr: return special == SpecialType.System_Boolean ? BinaryOperator.NotEqual : (BinaryOperator?)null;
                default: return null;
            }
        }

        public static UnaryOperator? Unary(UnaryOperatorKind kind, IMethodSymbol? userOperator)
        {
            if (userOperator != null && !Symbols.IsTracrType(userOperator.ContainingType, "Value")) return null;
            switch (kind)
            {
                case UnaryOperatorKind.Minus: return UnaryOperator.Negate;
                case UnaryOperatorKind.Not: return UnaryOperator.Not;
                default: return null;
            }
        }

        /// <summary>The known function a C# conversion to <paramref name="target"/> amounts to, or null when it changes nothing for RASP values.</summary>
        public static string? Conversion(ITypeSymbol? target, bool isExplicit, ITypeSymbol? source)
        {
            switch (target?.SpecialType ?? SpecialType.None)
            {
                case SpecialType.System_Int32:
                case SpecialType.System_Int64:
                    return "(int)";
                case SpecialType.System_Double:
                case SpecialType.System_Single:
                    return source != null && (source.SpecialType == SpecialType.System_Double || source.SpecialType == SpecialType.System_Single) ? null : "(double)";
                case SpecialType.System_Boolean:
                    return source?.SpecialType == SpecialType.System_Boolean ? null : "(bool)";
                case SpecialType.System_String:
                    return source?.SpecialType == SpecialType.System_String ? null : "(string)";
                default:
                    return null;
            }
        }
    }

    /// <summary>Recognising the Tracr API among symbols.</summary>
    internal static class Symbols
    {
        public const string CompilerAssembly = "Tracr.Compiler";

        public static bool IsTracrType(ITypeSymbol? type, string name) =>
            type != null && type.Name == name && type.ContainingNamespace?.ToDisplayString() == "Tracr" && type.ContainingAssembly?.Name == CompilerAssembly;

        /// <summary>True for SOp, Selector and their subclasses (values the recipe records as steps).</summary>
        public static bool IsRaspType(ITypeSymbol? type)
        {
            for (var t = type; t != null; t = t.BaseType)
                if (IsTracrType(t, "RaspExpr")) return true;
            return false;
        }

        public static bool IsFromCompiler(ISymbol symbol) => symbol.ContainingAssembly?.Name == CompilerAssembly;

        /// <summary>
        /// The key a recipe step records for a DSL member: <c>Type.Name(ParamType,...)</c> with metadata
        /// names (<c>Func`2</c>, <c>SOp</c>, <c>Boolean</c>, <c>SOp[]</c>), which replay reproduces from reflection.
        /// </summary>
        public static string MemberKey(IMethodSymbol method)
        {
            var m = method.ReducedFrom ?? method;
            m = m.OriginalDefinition;
            var sb = new System.Text.StringBuilder();
            sb.Append(m.ContainingType.Name).Append('.').Append(m.MetadataName).Append('(');
            for (int i = 0; i < m.Parameters.Length; i++)
            {
                if (i > 0) sb.Append(',');
                sb.Append(TypeKey(m.Parameters[i].Type));
            }
            return sb.Append(')').ToString();
        }

        public static string PropertyKey(IPropertySymbol property) => property.ContainingType.Name + "." + property.Name;

        private static string TypeKey(ITypeSymbol type) => type switch
        {
            IArrayTypeSymbol array => TypeKey(array.ElementType) + "[]",
            INamedTypeSymbol named => named.MetadataName,
            _ => type.Name,
        };
    }
}
