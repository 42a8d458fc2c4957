using System;
using System.Collections.Generic;
using System.Linq;
using Tracr.Generators.Emitting;
using Tracr.Generators.Model;

namespace Tracr.Generators.Compiling
{
    /// <summary>A diagnostic of the compile step, located by recipe step (-1: the program method itself).</summary>
    internal sealed record StepDiagnostic(string Id, int Step, EquatableArray<string> Arguments);

    /// <summary>What the compile step produces for one program: the generated source (null on failure) and its diagnostics.</summary>
    internal sealed record CompileResult(string HintName, string? Source, EquatableArray<StepDiagnostic> Diagnostics);

    /// <summary>
    /// The expensive step, on equatable input only: replay the recipe, run the whole Tracr compiler
    /// (<see cref="RaspCompiler.Compile"/>), emit the model. Never throws: every failure is a diagnostic.
    /// </summary>
    internal static class ProgramCompiler
    {
        public static CompileResult Compile(CompileInput input, System.Threading.CancellationToken cancellationToken)
        {
            string hintName = HintName(input);
            var origins = new Dictionary<RaspExpr, int>();
            try
            {
                var program = RecipeReplay.Replay(input.Steps, origins);
                cancellationToken.ThrowIfCancellationRequested();
                var options = input.Options.ToCompilerOptions();
                CompiledModel model;
                // The compiler checks the token inside its passes, so an edit that supersedes this run stops it promptly;
                // lambdas run inside the compiler's Funcs and observe the same token through LambdaLimits.
                using (Tracr.Lambdas.LambdaLimits.Observe(cancellationToken))
                    model = RaspCompiler.Compile(program, input.Options.Vocab.Select(v => v.Value), input.Options.MaxSeqLen, options, cancellationToken);
                cancellationToken.ThrowIfCancellationRequested();
                return new CompileResult(hintName, ModelEmitter.Emit(input, model), EquatableArray<StepDiagnostic>.Empty);
            }
            catch (ReplayError e)
            {
                return Failure(hintName, new StepDiagnostic(Descriptors.EvaluationFailed.Id, e.Step, new[] { e.Message }.ToEquatableArray()));
            }
            catch (RaspCompilationException e)
            {
                return Failure(hintName, e.Unsupported.Select(u => new StepDiagnostic(
                    Descriptors.ForUnsupported(u.Kind).Id,
                    RecipeReplay.OriginOf(u.Expression, origins),
                    new[] { u.NodeLabel ?? u.NodeName, u.Reason }.ToEquatableArray())).ToArray());
            }
            catch (OperationCanceledException)
            {
                throw;
            }
            catch (Exception e)
            {
                return Failure(hintName, new StepDiagnostic(Descriptors.InternalError.Id, -1, new[] { input.ProgramName, e.GetType().Name + ": " + e.Message }.ToEquatableArray()));
            }
        }

        private static CompileResult Failure(string hintName, params StepDiagnostic[] diagnostics) =>
            new CompileResult(hintName, null, diagnostics.ToEquatableArray());

        /// <summary><c>Namespace.Outer.Type.Method.g.cs</c>: unique per program, stable across builds.</summary>
        public static string HintName(CompileInput input) =>
            string.Join(".", new[] { input.Type.Namespace }.Concat(input.Type.TypeDeclarations.Select(TypeName)).Concat(new[] { input.ProgramName })
                .Where(s => !string.IsNullOrEmpty(s))) + ".g.cs";

        // "public static partial class Outer<T>" -> "Outer"
        internal static string TypeName(string declaration)
        {
            var words = declaration.Split(' ');
            var name = words[words.Length - 1];
            int generic = name.IndexOf('<');
            return generic < 0 ? name : name.Substring(0, generic);
        }
    }
}
