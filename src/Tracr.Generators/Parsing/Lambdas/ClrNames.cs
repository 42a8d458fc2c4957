using System;
using System.Linq;
using Microsoft.CodeAnalysis;
using Tracr.Lambdas;

namespace Tracr.Generators.Parsing
{
    /// <summary>
    /// Compiler symbols and runtime types as the data lambda trees hold (<see cref="TypeRef"/>, <see cref="MemberRef"/>):
    /// metadata names, so the tree can be compared, cached and resolved against the base library when it runs.
    /// Enums become their underlying type (user enums are not loadable at build time; their values are numbers).
    /// </summary>
    internal static class ClrNames
    {
        /// <summary>The type as data, or null when a lambda cannot hold it (pointers, type parameters, dynamic, multi-dimensional arrays).</summary>
        public static TypeRef? Of(ITypeSymbol? type)
        {
            switch (type)
            {
                case null:
                    return null;
                case IArrayTypeSymbol array when array.IsSZArray:
                    return Of(array.ElementType) is { } element ? TypeRef.ArrayOf(element) : null;
                case INamedTypeSymbol named:
                {
                    if (named.TypeKind == TypeKind.Enum) return Of(named.EnumUnderlyingType);
                    var definition = named.IsTupleType ? (named.TupleUnderlyingType ?? named).OriginalDefinition : named.OriginalDefinition;
                    var arguments = (named.IsTupleType ? (named.TupleUnderlyingType ?? named) : named).TypeArguments.Select(Of).ToArray();
                    if (arguments.Any(a => a is null)) return null;
                    return new TypeRef(MetadataName(definition), arguments!);
                }
                default:
                    return null;
            }
        }

        /// <summary><c>System.Collections.Generic.List`1</c>, <c>Outer+Inner</c>.</summary>
        public static string MetadataName(INamedTypeSymbol type)
        {
            if (type.ContainingType != null) return MetadataName(type.ContainingType) + "+" + type.MetadataName;
            var ns = type.ContainingNamespace;
            return ns is null || ns.IsGlobalNamespace ? type.MetadataName : ns.ToDisplayString() + "." + type.MetadataName;
        }

        /// <summary>The metadata name of a type's definition (what the <see cref="BaseLibrary"/> allowlist is keyed by).</summary>
        public static string DefinitionName(ITypeSymbol? type) => type switch
        {
            IArrayTypeSymbol _ => "System.Array",
            INamedTypeSymbol named => MetadataName(named.OriginalDefinition),
            _ => type?.Name ?? "",
        };

        /// <summary>A method, constructor or property accessor as data (constructed: parameter types with type arguments substituted).</summary>
        public static MemberRef? Of(IMethodSymbol method)
        {
            var declaring = Of(method.ContainingType);
            var parameters = method.Parameters.Select(p => OfParameter(p.Type)).ToArray();
            var typeArguments = method.TypeArguments.Select(Of).ToArray();
            if (declaring is null || parameters.Any(p => p is null) || typeArguments.Any(t => t is null)) return null;
            var kind = method.MethodKind == MethodKind.Constructor ? MemberKind.Constructor : MemberKind.Method;
            // Conversion operators overload on the return type alone.
            var returnType = method.MethodKind == MethodKind.Conversion ? Of(method.ReturnType) : null;
            return new MemberRef(declaring, method.MetadataName, kind, parameters!, typeArguments!, returnType);
        }

        /// <summary>A parameter type as reflection sees it: base-library enums keep their type (to find the overload); enums of this project are numbers.</summary>
        private static TypeRef? OfParameter(ITypeSymbol type) =>
            type is INamedTypeSymbol { TypeKind: TypeKind.Enum } e && e.DeclaringSyntaxReferences.Length == 0 ? new TypeRef(MetadataName(e)) : Of(type);

        public static MemberRef? Of(IFieldSymbol field) =>
            Of(field.ContainingType) is { } declaring ? new MemberRef(declaring, field.MetadataName, MemberKind.Field, Array.Empty<TypeRef>()) : null;

        /// <summary>A runtime type as data (for values a lambda captures).</summary>
        public static TypeRef Of(Type type)
        {
            if (type.IsArray) return TypeRef.ArrayOf(Of(type.GetElementType()!));
            if (!type.IsGenericType) return new TypeRef(type.FullName ?? type.Name);
            return new TypeRef(type.GetGenericTypeDefinition().FullName!, type.GetGenericArguments().Select(Of).ToArray());
        }

        public static bool IsNumeric(ITypeSymbol? type)
        {
            switch (EnumOrSelf(type)?.SpecialType ?? SpecialType.None)
            {
                case SpecialType.System_Char:
                case SpecialType.System_SByte:
                case SpecialType.System_Byte:
                case SpecialType.System_Int16:
                case SpecialType.System_UInt16:
                case SpecialType.System_Int32:
                case SpecialType.System_UInt32:
                case SpecialType.System_Int64:
                case SpecialType.System_UInt64:
                case SpecialType.System_Single:
                case SpecialType.System_Double:
                case SpecialType.System_Decimal:
                    return true;
                default:
                    return false;
            }
        }

        public static ITypeSymbol? EnumOrSelf(ITypeSymbol? type) =>
            type is INamedTypeSymbol { TypeKind: TypeKind.Enum } e ? e.EnumUnderlyingType : type;

        /// <summary>The type C#'s numeric promotion gives an operand of <paramref name="type"/> (int for the small integer types and char).</summary>
        public static TypeRef? Promoted(ITypeSymbol? type)
        {
            switch (EnumOrSelf(type)?.SpecialType ?? SpecialType.None)
            {
                case SpecialType.System_Char:
                case SpecialType.System_SByte:
                case SpecialType.System_Byte:
                case SpecialType.System_Int16:
                case SpecialType.System_UInt16:
                    return TypeRef.Int32;
                default:
                    return Of(type);
            }
        }
    }
}
