extern alias gen;
using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Tracr.Generators.Tests.Infrastructure;
using Xunit;
using Descriptors = gen::Tracr.Generators.Descriptors;

namespace Tracr.Generators.Tests
{
    /// <summary>Every diagnostic ID has its page under docs/diagnostics/, every page an ID, and the help links point there.</summary>
    public class DiagnosticDocsTests
    {
        private static readonly string DocsDirectory = Path.Combine(RepositoryRoot(), "docs", "diagnostics");

        private static string RepositoryRoot()
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Tracr.Generators.sln"))) return dir.FullName;
            throw new InvalidOperationException("Tracr.Generators.sln not found above " + AppContext.BaseDirectory);
        }

        public static TheoryData<string> Ids()
        {
            var data = new TheoryData<string>();
            foreach (var d in Descriptors.All) data.Add(d.Id);
            return data;
        }

        [Theory]
        [MemberData(nameof(Ids))]
        public void Every_diagnostic_has_a_page_with_its_title_and_severity(string id)
        {
            var descriptor = Descriptors.ById(id);
            string path = Path.Combine(DocsDirectory, id + ".md");
            Assert.True(File.Exists(path), $"docs/diagnostics/{id}.md is missing");
            string text = File.ReadAllText(path);
            string heading = text.Split('\n')[0].Trim();
            Assert.Equal($"# {id}: {descriptor.Title}", heading);
            Assert.Contains($"**Severity:** {descriptor.DefaultSeverity}", text);
            foreach (var section in new[] { "## When", "## Example", "## How to fix" })
                Assert.Contains(section, text);
        }

        [Theory]
        [MemberData(nameof(Ids))]
        public void Every_diagnostic_is_in_the_index(string id)
        {
            string index = File.ReadAllText(Path.Combine(DocsDirectory, "README.md"));
            Assert.Contains($"[{id}]({id}.md)", index);
        }

        [Theory]
        [MemberData(nameof(Ids))]
        public void Every_help_link_points_at_the_page(string id)
        {
            var link = Descriptors.ById(id).HelpLinkUri;
            Assert.EndsWith($"/docs/diagnostics/{id}.md", link);
            Assert.StartsWith("https://", link);
        }

        [Fact]
        public void Every_page_documents_an_existing_diagnostic()
        {
            var ids = Descriptors.All.Select(d => d.Id).ToHashSet();
            var pages = Directory.GetFiles(DocsDirectory, "*.md").Select(Path.GetFileNameWithoutExtension).Where(n => n != "README").ToArray();
            Assert.NotEmpty(pages);
            foreach (var page in pages)
                Assert.True(ids.Contains(page!), $"docs/diagnostics/{page}.md documents no diagnostic in Descriptors.All");
            // ... and every ID the index links to exists.
            string index = File.ReadAllText(Path.Combine(DocsDirectory, "README.md"));
            foreach (Match m in Regex.Matches(index, @"\((TRACR\d{3})\.md\)"))
                Assert.Contains(m.Groups[1].Value, ids);
        }

        public static TheoryData<string> IdsWithExamples()
        {
            var data = new TheoryData<string>();
            foreach (var d in Descriptors.All)
                if (Example(d.Id) != null) data.Add(d.Id);
            return data;
        }

        /// <summary>The page's example program (the first C# block of its Example section) and the message it documents.</summary>
        private static (string Code, string Message)? Example(string id)
        {
            string path = Path.Combine(DocsDirectory, id + ".md");
            if (!File.Exists(path)) return null;
            string text = File.ReadAllText(path).Replace("\r\n", "\n");
            int start = text.IndexOf("## Example", StringComparison.Ordinal), end = text.IndexOf("## How to fix", StringComparison.Ordinal);
            if (start < 0 || end < start) return null;
            var section = text.Substring(start, end - start);
            var code = Regex.Match(section, "```csharp\n(.*?)```", RegexOptions.Singleline);
            var message = Regex.Match(section, "```\n" + id + ": (.*?)\n```", RegexOptions.Singleline);
            return code.Success && message.Success ? (code.Groups[1].Value, message.Groups[1].Value) : null;
        }

        [Fact]
        public void Every_page_of_a_diagnostic_a_program_can_trigger_has_an_example()
        {
            var without = Descriptors.All.Select(d => d.Id).Where(id => Example(id) is null).ToArray();
            // TRACR299 and TRACR900 have no program that triggers them: their pages show the message's form only.
            // Since issue 13 TRACR206 is no longer reported (numerical means of any numbers compile) and TRACR204 only refuses
            // constant selectors, which a [RaspProgram] body cannot build (TRACR101); their pages show the run-time form.
            Assert.Equal(new[] { "TRACR204", "TRACR206", "TRACR299", "TRACR900" }, without);
        }

        [Theory]
        [MemberData(nameof(IdsWithExamples))]
        public void Every_example_reports_the_documented_diagnostic(string id)
        {
            var (code, message) = Example(id)!.Value;
            var compilation = TestCompilation.Create(code);
            Assert.Empty(TestCompilation.CompilerErrors(compilation));
            TestCompilation.RunGenerators(compilation, out _, out var generated, new gen::Tracr.Generators.RaspProgramGenerator());
            var reported = TestCompilation.RunRaspProgramAnalyzer(compilation).Concat(generated).Select(d => $"{d.Id}: {d.GetMessage()}").ToArray();
            Assert.Contains($"{id}: {message}", reported);
        }

        [Fact]
        public void Ids_are_unique_and_well_formed()
        {
            var ids = Descriptors.All.Select(d => d.Id).ToArray();
            Assert.Equal(ids.Length, ids.Distinct().Count());
            Assert.All(ids, id => Assert.Matches(@"^TRACR\d{3}$", id));
        }
    }
}
