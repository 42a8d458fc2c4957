// `dotnet run --project playground -- export PROGRAM DIR`: writes PROGRAM.safetensors (TransformerLens) and
// PROGRAM.onnx (ONNX Runtime), float32, with the time and size of each (docs/export.md). PROGRAM is a playground
// model or sort64 (Library.MakeSort over 0..63, max_seq_len 64, compiled at run time).

using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using Tracr;

namespace Tracr.Playground
{
    internal static class ExportCommand
    {
        private static readonly Dictionary<string, Func<(Action<string> Lens, Action<string> Onnx)>> Models =
            new Dictionary<string, Func<(Action<string>, Action<string>)>>(StringComparer.Ordinal)
            {
                ["reverse"] = () => (p => Reverse.Model.ExportTransformerLens(p), p => Reverse.Model.ExportOnnx(p)),
                ["sort"] = () => (p => Sort.Model.ExportTransformerLens(p), p => Sort.Model.ExportOnnx(p)),
                ["hist"] = () => (p => Hist.Model.ExportTransformerLens(p), p => Hist.Model.ExportOnnx(p)),
                ["frac_prevs"] = () => (p => FracPrevs.Model.ExportTransformerLens(p), p => FracPrevs.Model.ExportOnnx(p)),
                ["sort64"] = () =>
                {
                    var compile = Stopwatch.StartNew();
                    var model = ReportCommand.Sort64();
                    Console.WriteLine($"sort64: compiled in {compile.Elapsed.TotalSeconds:0.00} s: {model}");
                    return (p => model.ExportTransformerLens(p), p => model.ExportOnnx(p));
                },
            };

        public static int Run(string[] args)
        {
            if (args.Length != 3 || !Models.TryGetValue(args[1], out var get))
            {
                Console.Error.WriteLine($"usage: export PROGRAM DIR   (PROGRAM: {string.Join(", ", Models.Keys)})");
                return 2;
            }
            Directory.CreateDirectory(args[2]);
            var (lens, onnx) = get();
            Write(Path.Combine(args[2], args[1] + ".safetensors"), lens);
            Write(Path.Combine(args[2], args[1] + ".onnx"), onnx);
            return 0;
        }

        private static void Write(string path, Action<string> export)
        {
            var time = Stopwatch.StartNew();
            export(path);
            Console.WriteLine($"{path}: {new FileInfo(path).Length:N0} bytes in {time.Elapsed.TotalSeconds:0.00} s");
        }
    }
}
