using System;
using System.IO;
using System.Runtime.CompilerServices;
using System.Text;
using DiffPlex.DiffBuilder;
using DiffPlex.DiffBuilder.Model;
using Xunit;

namespace Tracr.Generators.Tests.Infrastructure
{
    /// <summary>
    /// Approved-file snapshots (Verify is not available here). The approved text lives next to the test as
    /// Snapshots/&lt;name&gt;.approved.txt. A mismatch writes &lt;name&gt;.received.txt beside it and fails with a
    /// line diff; set TRACR_ACCEPT_SNAPSHOTS=1 to accept the received text as the new approved one.
    /// </summary>
    internal static class Snapshots
    {
        public static void Verify(string name, string actual, [CallerFilePath] string testFile = "")
        {
            string dir = Path.Combine(Path.GetDirectoryName(testFile)!, "Snapshots");
            string approvedPath = Path.Combine(dir, name + ".approved.txt");
            string receivedPath = Path.Combine(dir, name + ".received.txt");
            actual = actual.Replace("\r\n", "\n");
            string? approved = File.Exists(approvedPath) ? File.ReadAllText(approvedPath).Replace("\r\n", "\n") : null;
            if (approved == actual)
            {
                if (File.Exists(receivedPath)) File.Delete(receivedPath);
                return;
            }
            Directory.CreateDirectory(dir);
            if (Environment.GetEnvironmentVariable("TRACR_ACCEPT_SNAPSHOTS") == "1")
            {
                File.WriteAllText(approvedPath, actual);
                return;
            }
            File.WriteAllText(receivedPath, actual);
            Assert.Fail(approved is null
                ? $"No approved snapshot {approvedPath}; the output was written to {receivedPath}. Review it and rename it to .approved.txt (or rerun with TRACR_ACCEPT_SNAPSHOTS=1)."
                : $"Snapshot {name} differs from {approvedPath} (received: {receivedPath}):\n{Diff(approved, actual)}");
        }

        private static string Diff(string approved, string actual)
        {
            var diff = InlineDiffBuilder.Diff(approved, actual);
            var sb = new StringBuilder();
            int shown = 0;
            for (int i = 0; i < diff.Lines.Count && shown < 60; i++)
            {
                var line = diff.Lines[i];
                if (line.Type == ChangeType.Unchanged) continue;
                sb.Append(line.Type == ChangeType.Inserted ? "+ " : line.Type == ChangeType.Deleted ? "- " : "~ ")
                  .Append(line.Position?.ToString() ?? "").Append(": ").AppendLine(line.Text);
                shown++;
            }
            return sb.ToString();
        }
    }
}
