using Microsoft.CodeAnalysis;

namespace Tracr.Generators.Parsing
{
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
