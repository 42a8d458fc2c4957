extern alias gen;
using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using Xunit;
using RaspProgramGenerator = gen::Tracr.Generators.RaspProgramGenerator;

namespace Tracr.Generators.Tests
{
    /// <summary>
    /// The size of the public API, counted in the built assemblies (docs/architecture.md#public-api): what a consumer
    /// sees in IntelliSense is the public types that are not [EditorBrowsable(Never)]; those that are hidden are the
    /// support types of generated code and live in one namespace, as the Regex generator's RegexRunner types do.
    /// The assemblies are read as metadata (no loading: the generator's dependencies need not be resolvable).
    /// </summary>
    public class PublicApiTests
    {
        private const string HiddenNamespace = "Tracr.Generated";

        private static string GeneratorAssembly => typeof(RaspProgramGenerator).Assembly.Location;
        private static string RuntimeAssembly => typeof(CompiledTransformer).Assembly.Location;
        private static string CompilerAssembly => typeof(RaspExpr).Assembly.Location;

        [Fact]
        public void The_generator_assembly_exposes_at_most_five_types()
        {
            // The linked compiler sources are internal there (no TRACR_PUBLIC_API): only the generator, the analyzer
            // and the tracking names the incremental tests read are public.
            var types = PublicTypes(GeneratorAssembly);
            Assert.True(types.Count <= 5, $"Tracr.Generators.dll has {types.Count} public types (at most 5):\n{Listing(types)}");
            Assert.DoesNotContain(types, t => t.Namespace == "Tracr" || t.Namespace.StartsWith("Tracr.Craft", StringComparison.Ordinal));
        }

        [Fact]
        public void Runtime_and_compiler_expose_at_most_eighty_types_a_consumer_sees()
        {
            var types = PublicTypes(RuntimeAssembly).Concat(PublicTypes(CompilerAssembly)).Where(t => !t.Hidden).ToList();
            Assert.True(types.Count <= 80, $"Tracr.dll + Tracr.Compiler.dll have {types.Count} public types that are not hidden (at most 80):\n{Listing(types)}");
        }

        [Theory]
        [InlineData("Tracr")]
        [InlineData("Tracr.Compiler")]
        public void Hidden_types_are_exactly_the_public_types_of_the_generated_namespace(string assembly)
        {
            var types = PublicTypes(assembly == "Tracr" ? RuntimeAssembly : CompilerAssembly);
            var misplaced = types.Where(t => t.Hidden != (t.Namespace == HiddenNamespace)).ToList();
            Assert.True(misplaced.Count == 0,
                $"Every [EditorBrowsable(Never)] type must be in {HiddenNamespace}, and every public type there hidden:\n{Listing(misplaced)}");
            Assert.Contains(types, t => t.Hidden);
        }

        [Fact]
        public void The_counter_sees_nested_and_hidden_types()
        {
            // The counter itself, on this assembly: a public nested type of a public type counts, an internal one does not.
            var types = PublicTypes(typeof(PublicApiTests).Assembly.Location);
            Assert.Contains(types, t => t.Name == nameof(PublicApiTests) + "+" + nameof(HiddenNested) && t.Hidden);
            Assert.DoesNotContain(types, t => t.Name.EndsWith(nameof(InternalNested), StringComparison.Ordinal));
        }

        [EditorBrowsable(EditorBrowsableState.Never)]
        public sealed class HiddenNested { }

        internal sealed class InternalNested { }

        internal sealed record PublicType(string Namespace, string Name, bool Hidden);

        /// <summary>Types visible outside the assembly (public, nested public in a visible type), as <see cref="Type.IsVisible"/>.</summary>
        internal static List<PublicType> PublicTypes(string path)
        {
            using var stream = File.OpenRead(path);
            using var pe = new PEReader(stream);
            var md = pe.GetMetadataReader();
            var result = new List<PublicType>();
            foreach (var handle in md.TypeDefinitions)
            {
                var type = md.GetTypeDefinition(handle);
                if (!IsVisible(md, type)) continue;
                var outer = type;
                string name = md.GetString(type.Name);
                while (outer.GetDeclaringType() is { IsNil: false } declaring)
                {
                    outer = md.GetTypeDefinition(declaring);
                    name = md.GetString(outer.Name) + "+" + name;
                }
                result.Add(new PublicType(md.GetString(outer.Namespace), name, IsHidden(md, type)));
            }
            return result;
        }

        private static bool IsVisible(MetadataReader md, TypeDefinition type)
        {
            var visibility = type.Attributes & TypeAttributes.VisibilityMask;
            if (visibility == TypeAttributes.Public) return true;
            return visibility == TypeAttributes.NestedPublic && IsVisible(md, md.GetTypeDefinition(type.GetDeclaringType()));
        }

        /// <summary>[EditorBrowsable(EditorBrowsableState.Never)] on the type itself.</summary>
        private static bool IsHidden(MetadataReader md, TypeDefinition type)
        {
            foreach (var handle in type.GetCustomAttributes())
            {
                var attribute = md.GetCustomAttribute(handle);
                if (AttributeTypeName(md, attribute) != "System.ComponentModel.EditorBrowsableAttribute") continue;
                var blob = md.GetBlobReader(attribute.Value);
                if (blob.Length >= 6 && blob.ReadUInt16() == 1 && blob.ReadInt32() == (int)EditorBrowsableState.Never) return true;
            }
            return false;
        }

        private static string AttributeTypeName(MetadataReader md, CustomAttribute attribute)
        {
            EntityHandle type = attribute.Constructor.Kind switch
            {
                HandleKind.MemberReference => md.GetMemberReference((MemberReferenceHandle)attribute.Constructor).Parent,
                HandleKind.MethodDefinition => md.GetMethodDefinition((MethodDefinitionHandle)attribute.Constructor).GetDeclaringType(),
                _ => default,
            };
            return type.Kind switch
            {
                HandleKind.TypeReference => md.GetString(md.GetTypeReference((TypeReferenceHandle)type).Namespace) + "." + md.GetString(md.GetTypeReference((TypeReferenceHandle)type).Name),
                HandleKind.TypeDefinition => md.GetString(md.GetTypeDefinition((TypeDefinitionHandle)type).Namespace) + "." + md.GetString(md.GetTypeDefinition((TypeDefinitionHandle)type).Name),
                _ => "",
            };
        }

        private static string Listing(IEnumerable<PublicType> types) =>
            string.Join("\n", types.GroupBy(t => t.Namespace).OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => $"  {g.Key}: {string.Join(", ", g.Select(t => (t.Hidden ? "~" : "") + t.Name).OrderBy(n => n, StringComparer.Ordinal))}"));
    }
}
