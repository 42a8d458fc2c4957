using System;
using System.ComponentModel;
using System.Linq;
using System.Reflection;
using Tracr.Generated;
using Tracr.Transformer;
using Xunit;

namespace Tracr.Tests
{
    /// <summary>The run-time names the emitters write (<see cref="RuntimeNames"/>) exist in the assemblies generated code references.</summary>
    public class RuntimeNamesTests
    {
        [Fact]
        public void EveryNameTheEmittersUseResolves()
        {
            var assemblies = new[] { typeof(FastTransformer).Assembly, typeof(PackedModel).Assembly };
            foreach (var name in RuntimeNames.Qualified)
            {
                var type = assemblies.Select(a => a.GetType(name)).FirstOrDefault(t => t != null);
                Assert.True(type != null, $"{name} is not a type of Tracr or Tracr.Compiler.");
                Assert.True(type!.IsPublic, $"{name} is not public.");
                // Support types for generated code are hidden from IntelliSense; the rest are the public API.
                bool hidden = type.GetCustomAttribute<EditorBrowsableAttribute>()?.State == EditorBrowsableState.Never;
                Assert.True(hidden == (type.Namespace == RuntimeNames.GeneratedNamespace),
                    $"{name}: expected {(hidden ? "" : "not ")}to be in {RuntimeNames.GeneratedNamespace} since it is {(hidden ? "" : "not ")}[EditorBrowsable(Never)].");
            }
        }

        [Fact]
        public void TheQualifiedListCoversEveryShortName()
        {
            var shortNames = typeof(RuntimeNames).GetFields()
                .Where(f => f.IsLiteral && !f.Name.EndsWith("Namespace", StringComparison.Ordinal))
                .Select(f => (string)f.GetRawConstantValue()!);
            foreach (var name in shortNames)
                Assert.Contains(RuntimeNames.Qualified, q => q.Split('.').Last().Split('`')[0] == name);
        }

        [Fact]
        public void EveryUsingOfTheForwardCodeIsANamespaceOfTheRuntime()
        {
            var namespaces = typeof(object).Assembly.GetTypes().Concat(typeof(System.Runtime.Intrinsics.Vector512).Assembly.GetTypes())
                .Concat(typeof(FastTransformer).Assembly.GetTypes()).Concat(typeof(PackedModel).Assembly.GetTypes())
                .Select(t => t.Namespace).ToHashSet();
            foreach (var u in ForwardCode.Usings) Assert.Contains(u, namespaces);
        }
    }
}
