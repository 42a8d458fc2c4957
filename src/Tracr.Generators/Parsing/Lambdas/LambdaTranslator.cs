using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using Tracr.Lambdas;

namespace Tracr.Generators.Parsing
{
    /// <summary>
    /// Turns bound C# (Roslyn's <see cref="IOperation"/>s) into lambda trees (<see cref="LambdaFunction"/>), which
    /// record what the compiler bound: operand types, checked-ness, conversions, base-library members. One
    /// translation serves both places C# runs at build time:
    /// <list type="bullet">
    /// <item>the lambdas of Map, SequenceMap and Select (<see cref="Lambda"/>): captured variables become constants,
    /// read when the program method has returned, which is when C# would run the lambda (closures see a variable's
    /// last value); helper methods and local functions become <see cref="LambdaHelper"/>s;</item>
    /// <item>the plain C# of a program body (<see cref="Expression"/>): the method's variables become slots copied
    /// in from the interpreter's frame and back out, so loops, collections, LINQ and string code in a body have the
    /// very same meaning as in a lambda.</item>
    /// </list>
    /// Anything a lambda tree cannot hold is an <see cref="EvaluationError"/> at the offending syntax.
    /// Partial files: statements, expressions, assignments and patterns.
    /// </summary>
    internal sealed partial class LambdaTranslator
    {
        private const int MaxHelpers = 256;

        private readonly BodyInterpreter _interpreter;
        private readonly IReadOnlyDictionary<ISymbol, BodyInterpreter.Cell> _cells;
        private readonly bool _live;
        private readonly List<ISymbol?> _liveSymbols = new List<ISymbol?>();
        private readonly List<LambdaHelper?> _helpers = new List<LambdaHelper?>();
        private readonly Dictionary<IMethodSymbol, int> _helperIndex = new Dictionary<IMethodSymbol, int>(SymbolEqualityComparer.Default);
        private Scope _scope;

        /// <summary>True when a constant was taken from the interpreter's frame (the translation then depends on the frame and is not cached).</summary>
        private bool _readFrame;

        private LambdaTranslator(BodyInterpreter interpreter, IReadOnlyDictionary<ISymbol, BodyInterpreter.Cell> cells, bool live)
        {
            _interpreter = interpreter;
            _cells = cells;
            _live = live;
            _scope = new Scope(isRoot: true);
        }

        /// <summary>The variables of one function being translated (the lambda, or one helper): symbol → slot.</summary>
        private sealed class Scope
        {
            public Scope(bool isRoot) { IsRoot = isRoot; }
            public bool IsRoot { get; }
            public readonly Dictionary<ISymbol, int> Slots = new Dictionary<ISymbol, int>(SymbolEqualityComparer.Default);
            public readonly List<string> Names = new List<string>();

            public int Add(ISymbol? symbol, string name)
            {
                int slot = Names.Count;
                Names.Add(name);
                if (symbol != null) Slots[symbol] = slot;
                return slot;
            }
        }

        // ------------------------------------------------------------------ entry points

        /// <summary>A lambda or method group given to the RASP DSL, as data. <paramref name="captured"/>: the variables it can see.</summary>
        public static LambdaFunction Lambda(IOperation target, BodyInterpreter interpreter, IReadOnlyDictionary<ISymbol, BodyInterpreter.Cell> captured)
        {
            var t = new LambdaTranslator(interpreter, captured, live: false);
            while (target is IDelegateCreationOperation creation) target = creation.Target;
            switch (target)
            {
                case IAnonymousFunctionOperation lambda:
                {
                    foreach (var p in lambda.Symbol.Parameters) t._scope.Add(p, p.Name);
                    var body = t.Statement(lambda.Body);
                    return new LambdaFunction(lambda.Symbol.Parameters.Select(p => p.Name).ToArray(), t._scope.Names.ToArray(), body, t.Helpers());
                }
                case IMethodReferenceOperation reference when reference.Instance is null:
                {
                    var method = reference.Method;
                    var args = method.Parameters.Select(p => (LambdaNode)new LocalNode(t._scope.Add(p, p.Name))).ToArray();
                    var call = t.Call(method, null, null, args, reference);
                    return new LambdaFunction(method.Parameters.Select(p => p.Name).ToArray(), t._scope.Names.ToArray(), new ReturnStatement(call), t.Helpers());
                }
                default:
                    throw Fail(target, false, "only lambdas and static methods can become part of a model");
            }
        }

        /// <summary>A C# expression of a program body, ready to run against the interpreter's frames.</summary>
        public static BodyExpression Expression(IOperation expression, BodyInterpreter interpreter, BodyInterpreter.Frame frame)
        {
            var t = new LambdaTranslator(interpreter, frame.Cells, live: true);
            var node = t.Expr(expression);
            var function = new LambdaFunction(Array.Empty<string>(), t._scope.Names.ToArray(), new ReturnStatement(node), t.Helpers());
            var symbols = new ISymbol?[t._scope.Names.Count];
            for (int i = 0; i < t._liveSymbols.Count && i < symbols.Length; i++) symbols[i] = t._liveSymbols[i];
            return new BodyExpression(function, symbols, cacheable: !t._readFrame);
        }

        private LambdaHelper[] Helpers() => _helpers.Select(h => h!).ToArray();

        // ------------------------------------------------------------------ variables

        private int NewTemp(string name) => _scope.Add(null, name);

        /// <summary>A variable read: a slot of this function, a slot copied from the body's frame, or a captured constant.</summary>
        private LambdaNode Read(ISymbol symbol, IOperation where)
        {
            if (_scope.Slots.TryGetValue(symbol, out int slot)) return new LocalNode(slot);
            if (_live && _scope.IsRoot) return new LocalNode(LiveSlot(symbol));
            if (_cells.TryGetValue(symbol, out var cell))
            {
                _readFrame = true;
                return Constant(cell.Value, (symbol as ILocalSymbol)?.Type ?? (symbol as IParameterSymbol)?.Type, where, symbol.Name);
            }
            throw Fail(where, $"'{symbol.Name}' has no value when the lambda is created");
        }

        /// <summary>The slot a variable is written through.</summary>
        private int WriteSlot(ISymbol symbol, IOperation where)
        {
            if (_scope.Slots.TryGetValue(symbol, out int slot)) return slot;
            if (_live && _scope.IsRoot) return LiveSlot(symbol);
            throw Fail(where, $"it assigns to '{symbol.Name}', a variable of the enclosing method; a lambda in a model must compute its result without changing the program's variables");
        }

        private int LiveSlot(ISymbol symbol)
        {
            int slot = _scope.Add(symbol, symbol.Name);
            while (_liveSymbols.Count <= slot) _liveSymbols.Add(null);
            _liveSymbols[slot] = symbol;
            return slot;
        }

        /// <summary>A captured value as constant data (collections are rebuilt from their items on every call).</summary>
        private LambdaNode Constant(object? value, ITypeSymbol? type, IOperation where, string name)
        {
            switch (value)
            {
                case null:
                    return new ConstantNode(null, ClrNames.Of(type) ?? TypeRef.Object);
                case StepRef _:
                    throw Fail(where, $"it captures '{name}', a RASP expression; a lambda computes with values, so pass the expression to Map/SequenceMap instead");
                case PendingLambda _:
                case Delegate _:
                    throw Fail(where, $"it captures '{name}', a delegate; call a static helper method or local function instead");
                case RaspList _:
                    throw Fail(where, $"it captures '{name}', a collection of RASP expressions");
            }
            return ConstantOf(value, where, name);
        }

        private LambdaNode ConstantOf(object value, IOperation where, string name)
        {
            var type = value.GetType();
            if (value is string || value is Value || type.IsPrimitive || value is decimal)
                return new ConstantNode(value, ClrNames.Of(type));
            if (value is Array array)
                return new CollectionNode(ClrNames.Of(type), array.Cast<object?>().Select(i => Item(i)).ToArray());
            if (type.IsGenericType && type.FullName!.StartsWith("System.ValueTuple`", StringComparison.Ordinal))
                return new TupleNode(ClrNames.Of(type), type.GetFields().Select(f => Item(f.GetValue(value))).ToArray());
            if (value is System.Collections.IDictionary dictionary)
            {
                var args = type.GetGenericArguments();
                var pair = new TypeRef("System.ValueTuple`2", ClrNames.Of(args[0]), ClrNames.Of(args[1]));
                var items = new List<LambdaNode>();
                foreach (System.Collections.DictionaryEntry e in dictionary) items.Add(new TupleNode(pair, Item(e.Key), Item(e.Value)));
                return new CollectionNode(ClrNames.Of(type), items.ToArray());
            }
            if (value is System.Collections.IEnumerable sequence && type.IsGenericType && type.Namespace == "System.Collections.Generic")
            {
                var items = sequence.Cast<object?>();
                // A HashSet's order follows hash codes, which for strings differ per process: sorted, so the tree (and the
                // generated source that prints it) is the same on every build.
                if (type.GetGenericTypeDefinition() == typeof(HashSet<>))
                    items = items.OrderBy(i => i, Comparer<object?>.Create((a, b) => a is IComparable c ? c.CompareTo(b) : 0));
                return new CollectionNode(ClrNames.Of(type), items.Select(i => Item(i)).ToArray());
            }
            throw Fail(where, $"it captures '{name}', a {type.Name}, which a lambda cannot hold as data (numbers, chars, bools, strings, Values, tuples, arrays and collections of them can be captured)");

            LambdaNode Item(object? item) => item is null ? new ConstantNode(null, TypeRef.Object) : ConstantOf(item, where, name);
        }

        // ------------------------------------------------------------------ helpers

        /// <summary>The index of the helper for a method or local function of this project, translating its body on first use (recursion sees the index).</summary>
        private int HelperFor(IMethodSymbol method, IOperation where)
        {
            method = method.OriginalDefinition;
            if (_helperIndex.TryGetValue(method, out int index)) return index;
            if (_helpers.Count >= MaxHelpers) throw Fail(where, $"it calls more than {MaxHelpers} different helper methods");
            if (method.IsGenericMethod) throw Fail(where, $"'{method.Name}' is generic; helper methods of lambdas cannot be generic");
            index = _helpers.Count;
            _helpers.Add(null);
            _helperIndex[method] = index;
            var body = _interpreter.BodyOf(method, where.Syntax) ?? throw Fail(where, $"'{method.Name}' has no body here");
            var outer = _scope;
            _scope = new Scope(isRoot: false);
            try
            {
                foreach (var p in method.Parameters)
                {
                    if (p.RefKind != RefKind.None) throw Fail(where, $"'{method.Name}' has a ref/out parameter, which helper methods of lambdas cannot have");
                    _scope.Add(p, p.Name);
                }
                var statement = body is IBlockOperation ? Statement(body) : new ReturnStatement(Expr(body));
                _helpers[index] = new LambdaHelper(method.Name, method.Parameters.Length, _scope.Names.ToArray(), statement);
            }
            finally
            {
                _scope = outer;
            }
            return index;
        }

        // ------------------------------------------------------------------ errors

        private EvaluationError Fail(IOperation? operation, string why) => Fail(operation, _live, why);

        private static EvaluationError Fail(IOperation? operation, bool live, string why)
        {
            if (!live) return new EvaluationError(Descriptors.UnsupportedLambda, operation?.Syntax, why);
            var text = operation?.Syntax.ToString() ?? "";
            if (text.Length > 60) text = text.Substring(0, 57) + "...";
            return new EvaluationError(Descriptors.NotConstant, operation?.Syntax, text, why);
        }

        private static string Display(ISymbol symbol) => symbol.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat);
    }

    /// <summary>A body expression translated once: its tree, and for each slot the variable of the body it mirrors.</summary>
    internal sealed class BodyExpression
    {
        public BodyExpression(LambdaFunction function, ISymbol?[] symbols, bool cacheable)
        {
            Function = function;
            Symbols = symbols;
            Cacheable = cacheable;
        }

        public LambdaFunction Function { get; }
        public ISymbol?[] Symbols { get; }
        public bool Cacheable { get; }

        /// <summary>Runs against <paramref name="frame"/>: variables copied in, the expression run, variables copied back (assignments, out arguments).</summary>
        public object? Run(BodyInterpreter.Frame frame)
        {
            var slots = new object?[Symbols.Length];
            for (int i = 0; i < Symbols.Length; i++)
                if (Symbols[i] != null && frame.TryGet(Symbols[i]!, out var v)) slots[i] = v;
            var result = Function.InvokeWithSlots(slots);
            for (int i = 0; i < Symbols.Length; i++)
                if (Symbols[i] != null) frame.Set(Symbols[i]!, slots[i]);
            return result;
        }
    }
}
