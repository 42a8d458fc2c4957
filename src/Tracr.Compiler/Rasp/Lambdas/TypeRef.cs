using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace Tracr.Lambdas
{
    /// <summary>
    /// A CLR type named as data (metadata name plus type arguments), so lambda trees stay equatable and free of
    /// compiler symbols. It is resolved to a <see cref="Type"/> of the running process only when a lambda runs,
    /// and only among the assemblies of the base library and Tracr (<see cref="BaseLibrary"/>).
    /// </summary>
    internal sealed class TypeRef : IEquatable<TypeRef>
    {
        private Type? _resolved;

        /// <param name="name">Metadata name with namespace (<c>System.Int32</c>, <c>System.Collections.Generic.List`1</c>), or <c>[]</c> for a one-dimensional array.</param>
        /// <param name="arguments">Type arguments (the element type of an array).</param>
        public TypeRef(string name, params TypeRef[] arguments)
        {
            Name = name ?? throw new ArgumentNullException(nameof(name));
            Arguments = arguments?.ToArray() ?? Array.Empty<TypeRef>();
        }

        public string Name { get; }
        public IReadOnlyList<TypeRef> Arguments { get; }
        public bool IsArray => Name == "[]";

        public static readonly TypeRef Object = new TypeRef("System.Object");
        public static readonly TypeRef Boolean = new TypeRef("System.Boolean");
        public static readonly TypeRef Char = new TypeRef("System.Char");
        public static readonly TypeRef Int32 = new TypeRef("System.Int32");
        public static readonly TypeRef Int64 = new TypeRef("System.Int64");
        public static readonly TypeRef Double = new TypeRef("System.Double");
        public static readonly TypeRef String = new TypeRef("System.String");
        public static readonly TypeRef Value = new TypeRef("Tracr.Value");

        public static TypeRef ArrayOf(TypeRef element) => new TypeRef("[]", element);

        /// <summary>The type in this process; throws when it is not one lambdas may use.</summary>
        public Type Resolve() => _resolved ??= BaseLibrary.ResolveType(this);

        public bool Equals(TypeRef? other) =>
            other is not null && Name == other.Name && Arguments.SequenceEqual(other.Arguments);

        public override bool Equals(object? obj) => obj is TypeRef t && Equals(t);

        public override int GetHashCode()
        {
            int h = StringComparer.Ordinal.GetHashCode(Name);
            foreach (var a in Arguments) h = unchecked(h * 31 + a.GetHashCode());
            return h;
        }

        /// <summary>C#-like text: <c>int</c>, <c>List&lt;string&gt;</c>, <c>char[]</c>.</summary>
        public override string ToString()
        {
            if (IsArray) return Arguments[0] + "[]";
            string simple = Name switch
            {
                "System.Object" => "object",
                "System.Boolean" => "bool",
                "System.Char" => "char",
                "System.SByte" => "sbyte",
                "System.Byte" => "byte",
                "System.Int16" => "short",
                "System.UInt16" => "ushort",
                "System.Int32" => "int",
                "System.UInt32" => "uint",
                "System.Int64" => "long",
                "System.UInt64" => "ulong",
                "System.Single" => "float",
                "System.Double" => "double",
                "System.Decimal" => "decimal",
                "System.String" => "string",
                _ => null!,
            };
            if (simple != null) return simple;
            int dot = Name.LastIndexOf('.');
            string last = dot >= 0 ? Name.Substring(dot + 1) : Name;
            int tick = last.IndexOf('`');
            if (tick >= 0) last = last.Substring(0, tick);
            if (Arguments.Count == 0) return last;
            var sb = new StringBuilder(last).Append('<');
            for (int i = 0; i < Arguments.Count; i++) sb.Append(i > 0 ? ", " : "").Append(Arguments[i]);
            return sb.Append('>').ToString();
        }
    }

    /// <summary>What a <see cref="MemberRef"/> names.</summary>
    internal enum MemberKind
    {
        Method,
        Constructor,
        Field,
    }

    /// <summary>
    /// A base-library or <see cref="Value"/> member named as data: declaring type, name, generic method arguments
    /// and parameter types (all constructed). Resolved by reflection, once, when first called; only members the
    /// <see cref="BaseLibrary"/> allowlist admits resolve.
    /// </summary>
    internal sealed class MemberRef : IEquatable<MemberRef>
    {
        private object? _resolved;

        /// <param name="returnType">Needed only where overloads differ by return type alone (conversion operators).</param>
        public MemberRef(TypeRef declaringType, string name, MemberKind kind, IReadOnlyList<TypeRef> parameterTypes, IReadOnlyList<TypeRef>? typeArguments = null, TypeRef? returnType = null)
        {
            ReturnType = returnType;
            DeclaringType = declaringType ?? throw new ArgumentNullException(nameof(declaringType));
            Name = name ?? throw new ArgumentNullException(nameof(name));
            Kind = kind;
            ParameterTypes = parameterTypes?.ToArray() ?? Array.Empty<TypeRef>();
            TypeArguments = typeArguments?.ToArray() ?? Array.Empty<TypeRef>();
        }

        public TypeRef DeclaringType { get; }
        public string Name { get; }
        public MemberKind Kind { get; }
        public IReadOnlyList<TypeRef> ParameterTypes { get; }
        public IReadOnlyList<TypeRef> TypeArguments { get; }
        public TypeRef? ReturnType { get; }

        /// <summary>A <see cref="System.Reflection.MethodBase"/> or <see cref="System.Reflection.FieldInfo"/>.</summary>
        internal object Resolve() => _resolved ??= BaseLibrary.ResolveMember(this);

        public bool Equals(MemberRef? other) =>
            other is not null && Kind == other.Kind && Name == other.Name && DeclaringType.Equals(other.DeclaringType) &&
            ParameterTypes.SequenceEqual(other.ParameterTypes) && TypeArguments.SequenceEqual(other.TypeArguments) && Equals(ReturnType, other.ReturnType);

        public override bool Equals(object? obj) => obj is MemberRef m && Equals(m);

        public override int GetHashCode()
        {
            int h = unchecked(DeclaringType.GetHashCode() * 31 + StringComparer.Ordinal.GetHashCode(Name));
            foreach (var p in ParameterTypes) h = unchecked(h * 31 + p.GetHashCode());
            return h;
        }

        public override string ToString() =>
            DeclaringType + "." + Name + (Kind == MemberKind.Field ? "" : "(" + string.Join(", ", ParameterTypes) + ")");
    }
}
