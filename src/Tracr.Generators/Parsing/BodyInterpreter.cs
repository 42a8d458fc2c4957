using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using Tracr.Generators.Model;

namespace Tracr.Generators.Parsing
{
    /// <summary>
    /// Runs a [RaspProgram] method body at build time, over Roslyn's bound operations, the way running it would.
    /// Two kinds of code meet in a body. Plain C# (numbers, strings, collections, LINQ, loops over them) is translated
    /// into lambda trees and run with real CLR values (<see cref="LambdaTranslator"/>), so it means exactly what the
    /// C# means and exactly what the same code means inside a lambda. Code that builds RASP expressions (the DSL,
    /// the program library, helpers returning S-ops) is interpreted here: DSL calls are recorded as
    /// <see cref="RecipeStep"/>s, lambdas given to them become data when the method has returned, and the recipe is
    /// what the compile step replays. Anything it cannot evaluate stops with an <see cref="EvaluationError"/> at that
    /// syntax, never a guess. Partial files: statements, RASP expressions, the recipe.
    /// </summary>
    internal sealed partial class BodyInterpreter
    {
        public const int MaxCallDepth = 64;
        public const int MaxLoopIterations = 10_000;
        public const int MaxOperations = 5_000_000;
        public const int MaxSteps = 100_000;

        private readonly Compilation _compilation;
        private readonly CancellationToken _cancellationToken;
        private readonly Dictionary<SyntaxTree, SemanticModel> _models = new Dictionary<SyntaxTree, SemanticModel>();
        private int _depth;
        private long _operations;

        private BodyInterpreter(Compilation compilation, CancellationToken cancellationToken)
        {
            _compilation = compilation;
            _cancellationToken = cancellationToken;
        }

        /// <summary>Evaluates <paramref name="method"/>'s body; the last recipe step is the program it returns.</summary>
        public static BodyInterpreter Run(IMethodSymbol method, Compilation compilation, CancellationToken cancellationToken)
        {
            if (method.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(cancellationToken) is MethodDeclarationSyntax declaration &&
                declaration.Body is null && declaration.ExpressionBody is null)
                throw new InvalidCodeException(); // no body yet: the C# compiler reports it
            var interpreter = new BodyInterpreter(compilation, cancellationToken);
            object? result;
            using (Tracr.Lambdas.LambdaLimits.Observe(cancellationToken))
            {
                result = interpreter.Call(method, Array.Empty<object?>(), method.Locations.FirstOrDefault() is { } l ? FindNode(l) : null);
                // The method has returned: its lambdas see their captured variables' last values now, as in C#.
                interpreter.TranslateLambdas();
            }
            if (!(result is StepRef root) || root.Index != interpreter._steps.Count - 1)
            {
                if (result is StepRef r)
                {
                    // The program is an earlier step (e.g. `var x = ...; var y = ...; return x;`): end the recipe with it.
                    interpreter.AddStep(new RecipeStep("=", new[] { RecipeArg.FromStep(r.Index) }.ToEquatableArray()), null);
                }
                else
                {
                    throw new EvaluationError(Descriptors.NoProgramReturned, null, method.Name,
                        result is null ? "returns null" : "does not return a RASP S-op") { Location = method.Locations.FirstOrDefault() };
                }
            }
            return interpreter;
        }

        /// <summary>An interpreter for a compilation without running a program (lambdas of a compilation can be translated with it: the differential tests do).</summary>
        internal static BodyInterpreter ForCompilation(Compilation compilation, CancellationToken cancellationToken) =>
            new BodyInterpreter(compilation, cancellationToken);

        private static SyntaxNode? FindNode(Location location) =>
            location.SourceTree?.GetRoot().FindNode(location.SourceSpan);

        // ------------------------------------------------------------------ variables

        /// <summary>
        /// A variable: one per declaration executed (a local declared in a loop body is a new variable each
        /// iteration), shared by the frame and the lambdas that capture it, as C# closures share variables.
        /// </summary>
        internal sealed class Cell
        {
            public object? Value;
        }

        /// <summary>The variables of one running method.</summary>
        internal sealed class Frame
        {
            private readonly Dictionary<ISymbol, Cell> _cells = new Dictionary<ISymbol, Cell>(SymbolEqualityComparer.Default);

            public object? ReturnValue { get; set; }

            public IReadOnlyDictionary<ISymbol, Cell> Cells => _cells;

            /// <summary>A new variable (a declaration ran).</summary>
            public void Declare(ISymbol symbol, object? value) => _cells[symbol] = new Cell { Value = value };

            /// <summary>An assignment: the existing variable, or a new one.</summary>
            public void Set(ISymbol symbol, object? value)
            {
                if (_cells.TryGetValue(symbol, out var cell)) cell.Value = value;
                else Declare(symbol, value);
            }

            public bool TryGet(ISymbol symbol, out object? value)
            {
                if (_cells.TryGetValue(symbol, out var cell))
                {
                    value = cell.Value;
                    return true;
                }
                value = null;
                return false;
            }

            /// <summary>The variables a lambda created now captures (the cells, not their values).</summary>
            public IReadOnlyDictionary<ISymbol, Cell> Capture() => new Dictionary<ISymbol, Cell>(_cells, SymbolEqualityComparer.Default);
        }

        // ------------------------------------------------------------------ calls

        private object? Call(IMethodSymbol method, object?[] arguments, SyntaxNode? callSite)
        {
            if (++_depth > MaxCallDepth)
                throw new EvaluationError(Descriptors.EvaluationLimit, callSite, $"Calls nest deeper than {MaxCallDepth} levels (is '{method.Name}' recursive without a constant base case?)");
            try
            {
                var body = GetBody(method, callSite);
                var frame = new Frame();
                for (int i = 0; i < method.Parameters.Length; i++) frame.Declare(method.Parameters[i], arguments[i]);
                var flow = Execute(body, frame);
                return flow == Flow.Return ? frame.ReturnValue : null;
            }
            finally
            {
                _depth--;
            }
        }

        private IOperation GetBody(IMethodSymbol method, SyntaxNode? callSite)
        {
            foreach (var reference in method.DeclaringSyntaxReferences)
            {
                var syntax = reference.GetSyntax(_cancellationToken);
                var model = Model(syntax.SyntaxTree);
                IOperation? operation = syntax switch
                {
                    MethodDeclarationSyntax m when m.Body != null => model.GetOperation(m.Body, _cancellationToken),
                    MethodDeclarationSyntax m when m.ExpressionBody != null => model.GetOperation(m, _cancellationToken) is IMethodBodyOperation mb ? (IOperation?)(mb.BlockBody ?? mb.ExpressionBody) : null,
                    LocalFunctionStatementSyntax f => (model.GetOperation(f, _cancellationToken) as ILocalFunctionOperation)?.Body,
                    ArrowExpressionClauseSyntax a => model.GetOperation(a, _cancellationToken),
                    AccessorDeclarationSyntax acc when acc.Body != null => model.GetOperation(acc.Body, _cancellationToken),
                    AccessorDeclarationSyntax acc when acc.ExpressionBody != null => model.GetOperation(acc.ExpressionBody, _cancellationToken),
                    _ => null,
                };
                if (operation != null) return operation;
            }
            throw new EvaluationError(Descriptors.NotConstant, callSite, method.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat),
                "its body is not available in this compilation (only the RASP DSL, Tracr.Library, pure base-library members and methods written in this project can be evaluated at build time)");
        }

        internal IOperation? BodyOf(IMethodSymbol method, SyntaxNode? callSite) => GetBody(method, callSite);

        private SemanticModel Model(SyntaxTree tree)
        {
            if (!_models.TryGetValue(tree, out var model))
            {
                if (!_compilation.SyntaxTrees.Contains(tree))
                    throw new EvaluationError(Descriptors.NotConstant, null, tree.FilePath, "the code is not part of this compilation");
                _models[tree] = model = _compilation.GetSemanticModel(tree);
            }
            return model;
        }

        /// <summary>Counts one operation against the body's budget and honours cancellation (the IDE cancels on every keystroke).</summary>
        internal void Tick(IOperation operation)
        {
            if (++_operations > MaxOperations)
                throw new EvaluationError(Descriptors.EvaluationLimit, operation.Syntax, $"Evaluating the program took more than {MaxOperations:N0} operations");
            if ((_operations & 1023) == 0) _cancellationToken.ThrowIfCancellationRequested();
        }

        // ------------------------------------------------------------------ fields

        /// <summary>
        /// A static readonly field of this project: the value of its initializer, as C# would read it, unless a static
        /// constructor also writes it (then its value depends on code the generator does not run: a diagnostic, never the initializer's value).
        /// </summary>
        internal object? EvaluateStaticField(IFieldReferenceOperation field)
        {
            var symbol = field.Field;
            if (symbol.IsStatic && symbol.IsReadOnly)
            {
                foreach (var constructor in symbol.ContainingType.StaticConstructors)
                    foreach (var reference in constructor.DeclaringSyntaxReferences)
                        if (reference.GetSyntax(_cancellationToken).DescendantNodes().OfType<IdentifierNameSyntax>().Any(id => id.Identifier.ValueText == symbol.Name))
                            throw NotConstant(field, $"'{symbol.Name}' is set in the static constructor of '{symbol.ContainingType.Name}', which is not run at build time (initialise it where it is declared)");
                foreach (var reference in symbol.DeclaringSyntaxReferences)
                {
                    if (reference.GetSyntax(_cancellationToken) is VariableDeclaratorSyntax declarator && declarator.Initializer != null)
                    {
                        var op = Model(declarator.SyntaxTree).GetOperation(declarator.Initializer.Value, _cancellationToken);
                        if (op != null) return Evaluate(op, new Frame());
                    }
                }
            }
            throw NotConstant(field, symbol.IsStatic && symbol.IsReadOnly
                ? "only const fields and static readonly fields initialised in this project can be read at build time"
                : "a mutable or instance field has no value at build time (use a const or a static readonly field)");
        }

        // ------------------------------------------------------------------ errors

        internal static string Describe(IOperation operation)
        {
            var text = operation.Syntax.ToString();
            if (text.Length > 60) text = text.Substring(0, 57) + "...";
            return $"'{text}' ({operation.Kind})";
        }

        internal static EvaluationError Unsupported(IOperation operation, string what) =>
            new EvaluationError(Descriptors.UnsupportedSyntax, operation.Syntax, char.ToUpperInvariant(what[0]) + what.Substring(1));

        internal static EvaluationError NotConstant(IOperation operation, string why)
        {
            var text = operation.Syntax.ToString();
            if (text.Length > 60) text = text.Substring(0, 57) + "...";
            return new EvaluationError(Descriptors.NotConstant, operation.Syntax, text, why);
        }
    }
}
