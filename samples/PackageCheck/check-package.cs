// Checks the metadata of a packed Tracr.Generators package, extracted in a folder: what nuget.org shows and what a
// debugger needs. Run by samples/run-consumer.sh (a single-file app: no project, no packages):
//   dotnet run samples/PackageCheck/check-package.cs -- <extracted package folder> <version>
// Exits 1 listing every problem found:
//   nuspec: no placeholders; MIT licence expression and the LICENSE text; icon and README files present; project and
//           repository URL the same https://github.com/<owner>/<name>, with the commit;
//   README: every link absolute (nuget.org cannot resolve the repository's relative links);
//   every DLL: an embedded portable PDB, a reproducible (deterministic) build, source paths mapped to /_/, a SourceLink
//           map to the repository at that commit; assembly, file and informational versions from the package version;
//   the generator: its RepositoryUrl metadata (the diagnostics' help links) equal to the nuspec's.
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;

if (args.Length != 2)
{
    Console.Error.WriteLine("usage: dotnet run check-package.cs -- <extracted package folder> <version>");
    return 2;
}
string root = Path.GetFullPath(args[0]);
string version = args[1];
var problems = new List<string>();
void Check(bool ok, string problem) { if (!ok) problems.Add(problem); }

// ---------------------------------------------------------------- nuspec
string nuspecPath = Directory.GetFiles(root, "*.nuspec").Single();
string nuspecText = File.ReadAllText(nuspecPath);
var nuspec = XDocument.Parse(nuspecText);
XNamespace ns = nuspec.Root!.Name.Namespace;
var metadata = nuspec.Root.Element(ns + "metadata")!;
string? Meta(string name) => metadata.Element(ns + name)?.Value;

foreach (var placeholder in new[] { "OWNER", "TODO", "example.com", "$(" })
    Check(!nuspecText.Contains(placeholder, StringComparison.Ordinal), $"nuspec: contains the placeholder '{placeholder}'");
Check(Meta("version") == version, $"nuspec: version is {Meta("version")}, expected {version}");
var license = metadata.Element(ns + "license");
Check(license?.Attribute("type")?.Value == "expression" && license.Value == "MIT", $"nuspec: licence is '{license}', expected the expression MIT");
string licenseFile = Path.Combine(root, "LICENSE");
Check(File.Exists(licenseFile) && File.ReadAllText(licenseFile).StartsWith("MIT License", StringComparison.Ordinal), "package: no LICENSE file with the MIT licence text");

string? icon = Meta("icon");
Check(icon != null && File.Exists(Path.Combine(root, icon)) && File.ReadAllBytes(Path.Combine(root, icon)).AsSpan().StartsWith(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }),
      $"nuspec: icon '{icon}' is missing or not a PNG file");
string? readme = Meta("readme");
Check(readme != null && File.Exists(Path.Combine(root, readme)), $"nuspec: readme '{readme}' is missing");

string? projectUrl = Meta("projectUrl");
var repository = metadata.Element(ns + "repository");
string? repositoryUrl = repository?.Attribute("url")?.Value;
string? commit = repository?.Attribute("commit")?.Value;
var github = Regex.Match(repositoryUrl ?? "", @"^https://github\.com/([A-Za-z0-9_.-]+)/([A-Za-z0-9_.-]+)$");
Check(github.Success, $"nuspec: repository URL '{repositoryUrl}' is not https://github.com/<owner>/<name>");
Check(projectUrl == repositoryUrl, $"nuspec: project URL '{projectUrl}' differs from the repository URL '{repositoryUrl}'");
Check(repository?.Attribute("type")?.Value == "git", "nuspec: repository type is not git");
Check(commit != null && Regex.IsMatch(commit, "^[0-9a-f]{40}$"), $"nuspec: repository commit '{commit}' is not a git commit id");

// ---------------------------------------------------------------- README links
if (readme != null && File.Exists(Path.Combine(root, readme)))
{
    string text = File.ReadAllText(Path.Combine(root, readme));
    var links = Regex.Matches(text, @"\]\(([^)\s]+)[^)]*\)|^\[[^\]]+\]:\s*(\S+)|(?:href|src)=""([^""]+)""", RegexOptions.Multiline)
        .Select(m => m.Groups.Cast<Group>().Skip(1).First(g => g.Success).Value).ToList();
    Check(links.Count > 0, "README: no links found (the check would prove nothing)");
    foreach (var link in links)
        Check(link.StartsWith("https://", StringComparison.Ordinal), $"README: link '{link}' is not absolute (https://...)");
    foreach (var link in links.Where(l => l.StartsWith("https://github.com/", StringComparison.Ordinal) && !l.StartsWith("https://github.com/google-deepmind/", StringComparison.Ordinal)))
        Check(repositoryUrl != null && link.StartsWith(repositoryUrl, StringComparison.Ordinal), $"README: link '{link}' is not under the repository URL '{repositoryUrl}'");
}

// ---------------------------------------------------------------- assemblies
string numeric = version.Split('-', '+')[0];
var expectedVersion = Version.Parse(numeric.Count(c => c == '.') == 2 ? numeric + ".0" : numeric);
var dlls = Directory.GetFiles(Path.Combine(root, "lib"), "*.dll", SearchOption.AllDirectories)
    .Concat(Directory.GetFiles(Path.Combine(root, "analyzers"), "*.dll", SearchOption.AllDirectories)).ToList();
Check(dlls.Count > 0, "package: no DLLs found");
var sourceLinkKind = new Guid("CC110556-A091-4D38-9FEC-25AB9A351A6A");
string rawPrefix = github.Success ? $"https://raw.githubusercontent.com/{github.Groups[1].Value}/{github.Groups[2].Value}/{commit}/" : "?";

foreach (var dll in dlls)
{
    string name = Path.GetRelativePath(root, dll);
    using var pe = new PEReader(File.OpenRead(dll));
    var md = pe.GetMetadataReader();

    var assemblyVersion = md.GetAssemblyDefinition().Version;
    Check(assemblyVersion == expectedVersion, $"{name}: assembly version {assemblyVersion}, expected {expectedVersion}");
    var attributes = ReadStringAttributes(md);
    Check(attributes.TryGetValue("AssemblyFileVersionAttribute", out var fileVersion) && fileVersion[0] == expectedVersion.ToString(),
          $"{name}: file version {string.Join(",", fileVersion ?? [])}, expected {expectedVersion}");
    Check(attributes.TryGetValue("AssemblyInformationalVersionAttribute", out var informational) && (informational[0] == version || informational[0].StartsWith(version + "+", StringComparison.Ordinal)),
          $"{name}: informational version {string.Join(",", informational ?? [])}, expected {version}[+commit]");
    if (Path.GetFileName(dll) == "Tracr.Generators.dll")
        Check(attributes.TryGetValue("AssemblyMetadataAttribute:RepositoryUrl", out var url) && url[1] == repositoryUrl,
              $"{name}: RepositoryUrl metadata (the diagnostics' help links) is '{string.Join(",", url ?? [])}', expected '{repositoryUrl}'");

    var debug = pe.ReadDebugDirectory();
    Check(debug.Any(e => e.Type == DebugDirectoryEntryType.Reproducible), $"{name}: not built deterministically (no Reproducible debug entry)");
    var embedded = debug.FirstOrDefault(e => e.Type == DebugDirectoryEntryType.EmbeddedPortablePdb);
    if (embedded.DataSize == 0)
    {
        problems.Add($"{name}: no embedded portable PDB");
        continue;
    }
    using var pdbProvider = pe.ReadEmbeddedPortablePdbDebugDirectoryData(embedded);
    var pdb = pdbProvider.GetMetadataReader();
    var documents = pdb.Documents.Select(h => pdb.GetString(pdb.GetDocument(h).Name)).ToList();
    Check(documents.Count > 0, $"{name}: the PDB lists no source documents");
    foreach (var document in documents.Where(d => !d.StartsWith("/_/", StringComparison.Ordinal)).Take(3))
        problems.Add($"{name}: source path '{document}' is the build machine's, not deterministic (/_/...)");
    string? sourceLink = pdb.GetCustomDebugInformation(EntityHandle.ModuleDefinition)
        .Select(h => pdb.GetCustomDebugInformation(h)).Where(c => pdb.GetGuid(c.Kind) == sourceLinkKind)
        .Select(c => Encoding.UTF8.GetString(pdb.GetBlobBytes(c.Value))).FirstOrDefault();
    Check(sourceLink != null && sourceLink.Contains($"\"/_/*\":\"{rawPrefix}*\"", StringComparison.Ordinal),
          $"{name}: SourceLink map is '{sourceLink}', expected /_/* -> {rawPrefix}*");
}

if (problems.Count > 0)
{
    foreach (var problem in problems) Console.Error.WriteLine($"check-package: {problem}");
    return 1;
}
Console.WriteLine($"check-package: OK: nuspec, licence, icon, README links, {dlls.Count} DLLs (embedded PDB, deterministic, /_/ paths, SourceLink to {repositoryUrl} at {commit?[..7]}, version {expectedVersion})");
return 0;

// The string arguments of the assembly's attributes, by attribute type name (AssemblyMetadata: by "type:key").
static Dictionary<string, string[]> ReadStringAttributes(MetadataReader md)
{
    var result = new Dictionary<string, string[]>();
    foreach (var handle in md.GetAssemblyDefinition().GetCustomAttributes())
    {
        var attribute = md.GetCustomAttribute(handle);
        EntityHandle type = attribute.Constructor.Kind switch
        {
            HandleKind.MemberReference => md.GetMemberReference((MemberReferenceHandle)attribute.Constructor).Parent,
            HandleKind.MethodDefinition => md.GetMethodDefinition((MethodDefinitionHandle)attribute.Constructor).GetDeclaringType(),
            _ => default,
        };
        string typeName = type.Kind switch
        {
            HandleKind.TypeReference => md.GetString(md.GetTypeReference((TypeReferenceHandle)type).Name),
            HandleKind.TypeDefinition => md.GetString(md.GetTypeDefinition((TypeDefinitionHandle)type).Name),
            _ => "",
        };
        if (typeName is not ("AssemblyFileVersionAttribute" or "AssemblyInformationalVersionAttribute" or "AssemblyMetadataAttribute")) continue;
        var blob = md.GetBlobReader(attribute.Value);
        if (blob.ReadUInt16() != 1) continue; // prolog
        var values = new List<string>();
        int count = typeName == "AssemblyMetadataAttribute" ? 2 : 1;
        for (int i = 0; i < count; i++) values.Add(blob.ReadSerializedString() ?? "");
        result[typeName == "AssemblyMetadataAttribute" ? typeName + ":" + values[0] : typeName] = values.ToArray();
    }
    return result;
}
