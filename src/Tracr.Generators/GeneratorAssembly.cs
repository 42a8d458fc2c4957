using System.Linq;
using System.Reflection;

namespace Tracr.Generators
{
    /// <summary>
    /// Facts about this build of the generator, read from its own assembly's attributes, which MSBuild writes from
    /// the properties in Directory.Build.props: the package version (<c>Version</c>) and the canonical repository URL
    /// (<c>TracrRepositoryUrl</c>, as <c>[AssemblyMetadata("RepositoryUrl", ...)]</c>). Nothing here is typed twice.
    /// </summary>
    internal static class GeneratorAssembly
    {
        private static readonly Assembly Assembly = typeof(GeneratorAssembly).Assembly;

        /// <summary>
        /// The package version, e.g. <c>0.1.0</c>: the informational version without its <c>+commit</c> suffix
        /// (SourceLink appends the commit; generated code must not change with every commit).
        /// </summary>
        public static readonly string Version = ReadVersion();

        /// <summary>The repository's URL, e.g. <c>https://github.com/owner/name</c>; null only if the build did not stamp it.</summary>
        public static readonly string? RepositoryUrl = Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "RepositoryUrl")?.Value?.TrimEnd('/');

        /// <summary>The documentation page of a diagnostic in the repository, or null (no link rather than a wrong one).</summary>
        public static string? HelpLink(string id) =>
            RepositoryUrl is null ? null : RepositoryUrl + "/blob/main/docs/diagnostics/" + id + ".md";

        private static string ReadVersion()
        {
            string? informational = Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
            if (!string.IsNullOrEmpty(informational))
            {
                int plus = informational!.IndexOf('+');
                return plus < 0 ? informational : informational.Substring(0, plus);
            }
            return Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
        }
    }
}
