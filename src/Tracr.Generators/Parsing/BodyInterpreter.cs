using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using Tracr.Generators.Model;
using Tracr.Lambdas;

namespace Tracr.Generators.Parsing
{
    /// <summary>
    /// Evaluates a [RaspProgram] method body at build time, over Roslyn's bound operations, the way running it
    /// would: locals, constants, loops, conditionals, the user's helper methods (in any file), collections. Calls
    /// into the RASP DSL and program library are not run but recorded as <see cref="RecipeStep"/>s, with lambdas
    /// turned into data (<see cref="LambdaTranslator"/>); the recipe is what the compile step replays. Anything it
    /// cannot evaluate stops with an <see cref="EvaluationError"/> at that syntax, never a guess.
    /// </summary>
    internal sealed partial class BodyInterpreter
    {
        public const int MaxCallDepth = 64;
        public const int MaxLoopIterations = 10_000;
        public const int MaxOperations = 5_000_000;
        public const int MaxSteps = 100_000;

        private readonly Compilation _compilation;
        private readonly CancellationToken _cancellationToken;
        private readonly List<RecipeStep> _steps = new List<RecipeStep>();
        private readonly List<LocationOrNone> _locations = new List<LocationOrNone>();
        private readonly Dictionary<SyntaxTree, SemanticModel> _models = new Dictionary<SyntaxTree, SemanticModel>();
        private int _depth;
        private long _operations;

        private BodyInterpreter(Compilation compilation, CancellationToken cancellationToken)
        {
            _compilation = compilation;
            _cancellationToken = cancellationToken;
        }

        public IReadOnlyList<RecipeStep> Steps => _steps;
        public IReadOnlyList<LocationOrNone> Locations => _locations;

        /// <summary>Evaluates <paramref name="method"/>'s body; the last recipe step is the program it returns.</summary>
        public static BodyInterpreter Run(IMethodSymbol method, Compilation compilation, CancellationToken cancellationToken)
        {
            if (method.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(cancellationToken) is MethodDeclarationSyntax declaration &&
                declaration.Body is null && declaration.ExpressionBody is null)
                throw new InvalidCodeException(); // no body yet: the C# compiler reports it
            var interpreter = new BodyInterpreter(compilation, cancellationToken);
            var result = interpreter.Call(method, Array.Empty<object?>(), method.Locations.FirstOrDefault() is { } l ? FindNode(l) : null);
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

        private static SyntaxNode? FindNode(Location location) =>
            location.SourceTree?.GetRoot().FindNode(location.SourceSpan);

        // ------------------------------------------------------------------ calls

        private object? Call(IMethodSymbol method, object?[] arguments, SyntaxNode? callSite)
        {
            if (++_depth > MaxCallDepth)
                throw new EvaluationError(Descriptors.EvaluationLimit, callSite, $"Calls nest deeper than {MaxCallDepth} levels (is '{method.Name}' recursive without a constant base case?)");
            try
            {
                var body = GetBody(method, callSite);
                var frame = new Frame();
                for (int i = 0; i < method.Parameters.Length; i++) frame.Set(method.Parameters[i], arguments[i]);
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
                "its body is not available in this compilation (only the RASP DSL, Tracr.Library, a few System.Math/string members and methods written in this project can be evaluated at build time)");
        }

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

        private void Tick(IOperation operation)
        {
            if (++_operations > MaxOperations)
                throw new EvaluationError(Descriptors.EvaluationLimit, operation.Syntax, $"Evaluating the program took more than {MaxOperations:N0} operations");
            if ((_operations & 1023) == 0) _cancellationToken.ThrowIfCancellationRequested();
        }

        // ------------------------------------------------------------------ statements

        private enum Flow { Normal, Return, Break, Continue }

        internal sealed class Frame
        {
            private readonly Dictionary<ISymbol, object?> _values = new Dictionary<ISymbol, object?>(SymbolEqualityComparer.Default);

            public object? ReturnValue { get; set; }

            public void Set(ISymbol symbol, object? value) => _values[symbol] = value;

            public bool TryGet(ISymbol symbol, out object? value) => _values.TryGetValue(symbol, out value);
        }

        private Flow Execute(IOperation operation, Frame frame)
        {
            Tick(operation);
            if (operation is IInvalidOperation) throw new InvalidCodeException();
            switch (operation)
            {
                case IBlockOperation block:
                    foreach (var statement in block.Operations)
                    {
                        var flow = Execute(statement, frame);
                        if (flow != Flow.Normal) return flow;
                    }
                    return Flow.Normal;

                case IVariableDeclarationGroupOperation group:
                    foreach (var declaration in group.Declarations)
                        foreach (var declarator in declaration.Declarators)
                        {
                            var initializer = declarator.GetVariableInitializer();
                            frame.Set(declarator.Symbol, initializer is null ? DefaultOf(declarator.Symbol.Type) : Convert(Evaluate(initializer.Value, frame), declarator.Symbol.Type, initializer.Value));
                        }
                    return Flow.Normal;

                case IExpressionStatementOperation statement:
                    Evaluate(statement.Operation, frame);
                    return Flow.Normal;

                case IReturnOperation ret:
                    frame.ReturnValue = ret.ReturnedValue is null ? null : Evaluate(ret.ReturnedValue, frame);
                    return Flow.Return;

                case IConditionalOperation conditional:
                    if (EvaluateBool(conditional.Condition, frame)) return Execute(conditional.WhenTrue, frame);
                    return conditional.WhenFalse is null ? Flow.Normal : Execute(conditional.WhenFalse, frame);

                case IForLoopOperation loop:
                {
                    foreach (var before in loop.Before) Execute(before, frame);
                    int iterations = 0;
                    while (loop.Condition is null || EvaluateBool(loop.Condition, frame))
                    {
                        CountIteration(loop, ref iterations);
                        var flow = Execute(loop.Body, frame);
                        if (flow == Flow.Return) return flow;
                        if (flow == Flow.Break) break;
                        foreach (var step in loop.AtLoopBottom) Execute(step, frame);
                    }
                    return Flow.Normal;
                }

                case IWhileLoopOperation loop:
                {
                    int iterations = 0;
                    if (!loop.ConditionIsTop)
                    {
                        // do { } while (c)
                        do
                        {
                            CountIteration(loop, ref iterations);
                            var flow = Execute(loop.Body, frame);
                            if (flow == Flow.Return) return flow;
                            if (flow == Flow.Break) break;
                        } while (loop.Condition is null || EvaluateBool(loop.Condition, frame) != loop.ConditionIsUntil);
                        return Flow.Normal;
                    }
                    while (loop.Condition is null || EvaluateBool(loop.Condition, frame) != loop.ConditionIsUntil)
                    {
                        CountIteration(loop, ref iterations);
                        var flow = Execute(loop.Body, frame);
                        if (flow == Flow.Return) return flow;
                        if (flow == Flow.Break) break;
                    }
                    return Flow.Normal;
                }

                case IForEachLoopOperation loop:
                {
                    var items = Enumerate(Evaluate(loop.Collection, frame), loop.Collection);
                    if (!(loop.LoopControlVariable is IVariableDeclaratorOperation variable))
                        throw Unsupported(loop.LoopControlVariable, "a deconstructing foreach");
                    int iterations = 0;
                    foreach (var item in items)
                    {
                        CountIteration(loop, ref iterations);
                        frame.Set(variable.Symbol, Convert(item, variable.Symbol.Type, loop.Collection));
                        var flow = Execute(loop.Body, frame);
                        if (flow == Flow.Return) return flow;
                        if (flow == Flow.Break) break;
                    }
                    return Flow.Normal;
                }

                case IBranchOperation branch when branch.BranchKind == BranchKind.Break:
                    return Flow.Break;
                case IBranchOperation branch when branch.BranchKind == BranchKind.Continue:
                    return Flow.Continue;

                case ILocalFunctionOperation _:
                case IEmptyOperation _:
                    return Flow.Normal;

                default:
                    throw Unsupported(operation, Describe(operation));
            }
        }

        private static void CountIteration(IOperation loop, ref int iterations)
        {
            if (++iterations > MaxLoopIterations)
                throw new EvaluationError(Descriptors.EvaluationLimit, LoopKeyword(loop.Syntax), $"This loop ran more than {MaxLoopIterations:N0} times at build time; loops in a RASP program need small constant bounds");
        }

        private static SyntaxNode LoopKeyword(SyntaxNode syntax) => syntax;

        private IEnumerable<object?> Enumerate(object? collection, IOperation where)
        {
            switch (collection)
            {
                case ListValue list: return list.Items.ToArray();
                case Value v when v.Kind == ValueKind.String: return v.AsString.Select(c => (object?)Value.FromString(c.ToString()));
                case Value v when v.Kind == ValueKind.Tuple: return v.AsTuple.Select(x => (object?)x);
                default: throw NotConstant(where, "only arrays, lists, strings and Enumerable.Range can be iterated at build time");
            }
        }

        // ------------------------------------------------------------------ expressions

        private bool EvaluateBool(IOperation operation, Frame frame)
        {
            var value = Evaluate(operation, frame);
            if (value is Value v && v.Kind == ValueKind.Bool) return v.AsBool;
            throw NotConstant(operation, "a condition must be a constant bool at build time");
        }

        private object? Evaluate(IOperation operation, Frame frame)
        {
            Tick(operation);
            // Code the C# compiler itself rejects (half-typed, wrong types): it reports the error; we stay quiet.
            if (operation is IInvalidOperation) throw new InvalidCodeException();
            if (operation.ConstantValue.HasValue) return FromConstant(operation.ConstantValue.Value, operation.Type, operation);

            switch (operation)
            {
                case ILocalReferenceOperation local:
                    if (frame.TryGet(local.Local, out var lv)) return lv;
                    throw NotConstant(operation, $"the local '{local.Local.Name}' has no value here");

                case IParameterReferenceOperation parameter:
                    if (frame.TryGet(parameter.Parameter, out var pv)) return pv;
                    throw NotConstant(operation, $"the parameter '{parameter.Parameter.Name}' has no value here");

                case IFieldReferenceOperation field:
                    return EvaluateField(field);

                case IPropertyReferenceOperation property:
                    return EvaluateProperty(property, frame);

                case IArrayElementReferenceOperation element:
                {
                    var list = Evaluate(element.ArrayReference, frame) as ListValue ?? throw NotConstant(element.ArrayReference, "not an array known at build time");
                    if (element.Indices.Length != 1) throw Unsupported(operation, "a multi-dimensional array");
                    return list.Items[Index(element.Indices[0], frame, list.Items.Count)];
                }

                case IConversionOperation conversion:
                    return EvaluateConversion(conversion, frame);

                case IBinaryOperation binary:
                    return EvaluateBinary(binary, frame);

                case IUnaryOperation unary:
                    return EvaluateUnary(unary, frame);

                case IConditionalOperation conditional:
                    return EvaluateBool(conditional.Condition, frame) ? Evaluate(conditional.WhenTrue, frame) : Evaluate(conditional.WhenFalse!, frame);

                case ICoalesceOperation coalesce:
                    return Evaluate(coalesce.Value, frame) ?? Evaluate(coalesce.WhenNull, frame);

                case IInvocationOperation invocation:
                    return EvaluateInvocation(invocation, frame);

                case IDelegateCreationOperation delegateCreation:
                    return LambdaTranslator.Translate(delegateCreation.Target, this, frame);

                case IAnonymousFunctionOperation lambda:
                    return LambdaTranslator.Translate(lambda, this, frame);

                case ISimpleAssignmentOperation assignment:
                {
                    var value = Convert(Evaluate(assignment.Value, frame), assignment.Target.Type, assignment.Value);
                    Assign(assignment.Target, value, frame);
                    return value;
                }

                case ICompoundAssignmentOperation compound:
                {
                    var current = Evaluate(compound.Target, frame);
                    var right = Evaluate(compound.Value, frame);
                    var value = ApplyBinary(compound.OperatorKind, compound.OperatorMethod, compound.Target.Type, current, right, compound, compound.Target, compound.Value);
                    Assign(compound.Target, value, frame);
                    return value;
                }

                case IIncrementOrDecrementOperation increment:
                {
                    var current = Evaluate(increment.Target, frame) is Value v && v.Kind == ValueKind.Int ? v : throw NotConstant(increment.Target, "++/-- needs an integer");
                    var next = Value.FromInt(current.AsLong + (increment.Kind == OperationKind.Increment ? 1 : -1));
                    Assign(increment.Target, next, frame);
                    return increment.IsPostfix ? current : next;
                }

                case IArrayCreationOperation array:
                {
                    if (array.Initializer != null)
                        return new ListValue(array.Initializer.ElementValues.Select(e => Convert(Evaluate(e, frame), ElementType(array.Type), e)).ToList());
                    if (array.DimensionSizes.Length != 1) throw Unsupported(operation, "a multi-dimensional array");
                    int size = Index(array.DimensionSizes[0], frame, int.MaxValue);
                    var fill = DefaultOf(ElementType(array.Type));
                    return new ListValue(Enumerable.Repeat(fill, size).ToList());
                }

                case IArrayInitializerOperation initializer:
                    return new ListValue(initializer.ElementValues.Select(e => Evaluate(e, frame)).ToList());

                case ICollectionExpressionOperation collection:
                {
                    var items = new List<object?>();
                    foreach (var element in collection.Elements)
                    {
                        if (element is ISpreadOperation spread) items.AddRange(Enumerate(Evaluate(spread.Operand, frame), spread.Operand));
                        else items.Add(Convert(Evaluate(element, frame), ElementType(collection.Type), element));
                    }
                    return new ListValue(items);
                }

                case IObjectCreationOperation creation:
                    return EvaluateCreation(creation, frame);

                case ITupleOperation tuple:
                    return new TupleValue(tuple.Elements.Select(e => Evaluate(e, frame)).ToArray());

                case IInterpolatedStringOperation interpolated:
                {
                    var sb = new System.Text.StringBuilder();
                    foreach (var part in interpolated.Parts)
                    {
                        if (part is IInterpolatedStringTextOperation text) sb.Append(text.Text.ConstantValue.Value as string);
                        else if (part is IInterpolationOperation hole)
                        {
                            if (hole.FormatString != null || hole.Alignment != null) throw Unsupported(part, "a format or alignment in an interpolated string");
                            sb.Append(BinaryNode.CSharpString(AsScalar(Evaluate(hole.Expression, frame), hole.Expression)));
                        }
                        else throw Unsupported(part, Describe(part));
                    }
                    return Value.FromString(sb.ToString());
                }

                case IDefaultValueOperation defaultValue:
                    return DefaultOf(defaultValue.Type);

                default:
                    throw Unsupported(operation, Describe(operation));
            }
        }

        private int Index(IOperation operation, Frame frame, int count)
        {
            var value = Evaluate(operation, frame);
            if (!(value is Value v) || v.Kind != ValueKind.Int) throw NotConstant(operation, "an index must be an integer");
            long i = v.AsLong;
            if (i < 0 || i >= count && count != int.MaxValue)
                throw new EvaluationError(Descriptors.EvaluationFailed, operation.Syntax, $"index {i} is outside the collection of {count} items");
            return (int)i;
        }

        private void Assign(IOperation target, object? value, Frame frame)
        {
            switch (target)
            {
                case ILocalReferenceOperation local:
                    frame.Set(local.Local, value);
                    return;
                case IParameterReferenceOperation parameter:
                    frame.Set(parameter.Parameter, value);
                    return;
                case IArrayElementReferenceOperation element:
                {
                    var list = Evaluate(element.ArrayReference, frame) as ListValue ?? throw NotConstant(element.ArrayReference, "not an array known at build time");
                    list.Items[Index(element.Indices[0], frame, list.Items.Count)] = value;
                    return;
                }
                case IPropertyReferenceOperation indexer when indexer.Property.IsIndexer && indexer.Arguments.Length == 1:
                {
                    var list = Evaluate(indexer.Instance!, frame) as ListValue ?? throw NotConstant(indexer.Instance!, "not a list known at build time");
                    list.Items[Index(indexer.Arguments[0].Value, frame, list.Items.Count)] = value;
                    return;
                }
                default:
                    throw Unsupported(target, "assigning to " + Describe(target));
            }
        }

        private object? EvaluateField(IFieldReferenceOperation field)
        {
            var symbol = field.Field;
            if (symbol.IsStatic && symbol.IsReadOnly)
            {
                foreach (var reference in symbol.DeclaringSyntaxReferences)
                {
                    if (reference.GetSyntax(_cancellationToken) is VariableDeclaratorSyntax declarator && declarator.Initializer != null)
                    {
                        var op = Model(declarator.SyntaxTree).GetOperation(declarator.Initializer.Value, _cancellationToken);
                        if (op != null) return Convert(Evaluate(op, new Frame()), symbol.Type, op);
                    }
                }
            }
            throw NotConstant(field, symbol.IsStatic && symbol.IsReadOnly
                ? "only const fields and static readonly fields initialised in this project can be read at build time"
                : "a mutable or instance field has no value at build time (use a const or a static readonly field)");
        }

        private object? EvaluateProperty(IPropertyReferenceOperation property, Frame frame)
        {
            var symbol = property.Property;
            if (Symbols.IsFromCompiler(symbol) && symbol.IsStatic && Symbols.IsRaspType(symbol.Type))
                return AddStep(new RecipeStep(Symbols.PropertyKey(symbol), EquatableArray<RecipeArg>.Empty), property.Syntax);

            if (property.Instance != null && !symbol.IsStatic)
            {
                var instance = Evaluate(property.Instance, frame);
                switch (instance)
                {
                    case ListValue list when symbol.Name == "Count" || symbol.Name == "Length":
                        return Value.FromInt(list.Items.Count);
                    case ListValue list when symbol.IsIndexer && property.Arguments.Length == 1:
                        return list.Items[Index(property.Arguments[0].Value, frame, list.Items.Count)];
                    case Value v when v.Kind == ValueKind.String && symbol.Name == "Length":
                        return Value.FromInt(v.AsString.Length);
                    case Value v when v.Kind == ValueKind.String && symbol.IsIndexer && property.Arguments.Length == 1:
                        return Value.FromString(v.AsString[Index(property.Arguments[0].Value, frame, v.AsString.Length)].ToString());
                    case TupleValue t when symbol.Name.StartsWith("Item", StringComparison.Ordinal):
                        return t.Items[int.Parse(symbol.Name.Substring(4), System.Globalization.CultureInfo.InvariantCulture) - 1];
                }
            }

            if (symbol.IsStatic && symbol.GetMethod != null && symbol.GetMethod.DeclaringSyntaxReferences.Length > 0 && symbol.Parameters.Length == 0)
                return Call(symbol.GetMethod, Array.Empty<object?>(), property.Syntax);

            throw NotConstant(property, $"the property '{symbol.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat)}' cannot be evaluated at build time");
        }

        private object? EvaluateCreation(IObjectCreationOperation creation, Frame frame)
        {
            var type = creation.Type as INamedTypeSymbol;
            if (type != null && type.Name == "List" && type.ContainingNamespace?.ToDisplayString() == "System.Collections.Generic")
            {
                var list = new ListValue(new List<object?>());
                if (creation.Arguments.Length == 1 && !(creation.Arguments[0].Value.Type?.SpecialType == SpecialType.System_Int32))
                    list.Items.AddRange(Enumerate(Evaluate(creation.Arguments[0].Value, frame), creation.Arguments[0].Value));
                if (creation.Initializer != null)
                    foreach (var init in creation.Initializer.Initializers)
                    {
                        if (init is IInvocationOperation add && add.TargetMethod.Name == "Add" && add.Arguments.Length == 1)
                            list.Items.Add(Convert(Evaluate(add.Arguments[0].Value, frame), type.TypeArguments[0], add.Arguments[0].Value));
                        else throw Unsupported(init, Describe(init));
                    }
                return list;
            }
            throw Unsupported(creation, $"creating a '{creation.Type?.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat)}' (only arrays and List<T> can be built at build time)");
        }

        private object? EvaluateConversion(IConversionOperation conversion, Frame frame)
        {
            var operand = conversion.Operand;
            // A lambda or method group becoming a delegate: the lambda, as data.
            if (operand is IAnonymousFunctionOperation || operand is IDelegateCreationOperation)
                return Evaluate(operand, frame);
            var value = Evaluate(operand, frame);
            return Convert(value, conversion.Type, conversion, explicitCast: !conversion.IsImplicit);
        }

        /// <summary>Converts a build-time value to a C# type the way the bound conversion does (numeric casts, to/from Value, tuples to Value).</summary>
        internal object? Convert(object? value, ITypeSymbol? target, IOperation where, bool explicitCast = false)
        {
            if (target is null) return value;
            if (Symbols.IsTracrType(target, "Value"))
            {
                switch (value)
                {
                    case null: return Value.None;
                    case Value v: return v;
                    case TupleValue t: return Value.Tuple(t.Items.Select(i => (Value)Convert(i, target, where)!).ToArray());
                    default: throw NotConstant(where, "this is not a RASP value (number, bool, string or tuple)");
                }
            }
            if (!(value is Value scalar)) return value;
            try
            {
                switch (target.SpecialType)
                {
                    case SpecialType.System_Int32:
                    case SpecialType.System_Int64:
                    case SpecialType.System_Int16:
                    case SpecialType.System_Byte:
                        return scalar.Kind == ValueKind.Int ? scalar : KnownFunctions.Invoke("(int)", new[] { scalar });
                    case SpecialType.System_Double:
                    case SpecialType.System_Single:
                        return scalar.Kind == ValueKind.Float ? scalar : Value.FromFloat(scalar.AsDouble);
                    case SpecialType.System_Boolean:
                        return scalar.Kind == ValueKind.Bool ? scalar : KnownFunctions.Invoke("(bool)", new[] { scalar });
                    case SpecialType.System_String:
                        return scalar.Kind == ValueKind.String || scalar.IsNone ? scalar : KnownFunctions.Invoke("(string)", new[] { scalar });
                    default:
                        return scalar;
                }
            }
            catch (Exception e) when (!(e is EvaluationError))
            {
                throw new EvaluationError(Descriptors.EvaluationFailed, where.Syntax, e.Message);
            }
        }

        private object? EvaluateBinary(IBinaryOperation binary, Frame frame)
        {
            // Short-circuit on build-time bools, as C# does.
            if (binary.OperatorMethod is null && (binary.OperatorKind == BinaryOperatorKind.ConditionalAnd || binary.OperatorKind == BinaryOperatorKind.ConditionalOr))
            {
                bool left = EvaluateBool(binary.LeftOperand, frame);
                if (binary.OperatorKind == BinaryOperatorKind.ConditionalAnd && !left) return Value.FromBool(false);
                if (binary.OperatorKind == BinaryOperatorKind.ConditionalOr && left) return Value.FromBool(true);
                return Value.FromBool(EvaluateBool(binary.RightOperand, frame));
            }
            var l = Evaluate(binary.LeftOperand, frame);
            var r = Evaluate(binary.RightOperand, frame);
            return ApplyBinary(binary.OperatorKind, binary.OperatorMethod, binary.LeftOperand.Type, l, r, binary, binary.LeftOperand, binary.RightOperand);
        }

        private object? ApplyBinary(BinaryOperatorKind kind, IMethodSymbol? method, ITypeSymbol? operandType, object? left, object? right,
            IOperation where, IOperation leftOp, IOperation rightOp)
        {
            // Operators of SOp and Selector build RASP expressions: record them.
            if (method != null && Symbols.IsFromCompiler(method) && Symbols.IsRaspType(method.ReturnType))
                return AddStep(new RecipeStep(Symbols.MemberKey(method), new[]
                {
                    ToArg(left, method.Parameters[0].Type, leftOp),
                    ToArg(right, method.Parameters[1].Type, rightOp),
                }.ToEquatableArray()), where.Syntax);

            // Reference equality of RASP expressions (e.g. `sop == null`) and other object comparisons are not build-time constants.
            var op = Operators.Binary(kind, method, operandType);
            if (op is null) throw Unsupported(where, $"the operator {kind} on '{operandType?.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat)}'");
            var a = AsScalar(Convert(left, method?.Parameters[0].Type ?? operandType, leftOp), leftOp);
            var b = AsScalar(Convert(right, method?.Parameters[1].Type ?? operandType, rightOp), rightOp);
            return Compute(() => new BinaryNode(op.Value, new ConstantNode(a), new ConstantNode(b)).Evaluate(Array.Empty<Value>()), where);
        }

        private object? EvaluateUnary(IUnaryOperation unary, Frame frame)
        {
            var operand = Evaluate(unary.Operand, frame);
            var method = unary.OperatorMethod;
            if (method != null && Symbols.IsFromCompiler(method) && Symbols.IsRaspType(method.ReturnType))
                return AddStep(new RecipeStep(Symbols.MemberKey(method), new[] { ToArg(operand, method.Parameters[0].Type, unary.Operand) }.ToEquatableArray()), unary.Syntax);
            if (unary.OperatorKind == UnaryOperatorKind.Plus) return operand;
            var op = Operators.Unary(unary.OperatorKind, method);
            if (op is null) throw Unsupported(unary, $"the operator {unary.OperatorKind} on '{unary.Operand.Type?.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat)}'");
            var a = AsScalar(operand, unary.Operand);
            return Compute(() => new UnaryNode(op.Value, new ConstantNode(a)).Evaluate(Array.Empty<Value>()), unary);
        }

        /// <summary>Runs a build-time computation; a failure (e.g. division by zero) becomes TRACR105 at <paramref name="where"/>.</summary>
        internal static object? Compute(Func<Value> f, IOperation where)
        {
            try
            {
                return f();
            }
            catch (Exception e) when (!(e is EvaluationError))
            {
                throw new EvaluationError(Descriptors.EvaluationFailed, where.Syntax, e.Message);
            }
        }

        internal Value AsScalar(object? value, IOperation where) => value switch
        {
            Value v => v,
            null => Value.None,
            TupleValue t => Value.Tuple(t.Items.Select(i => AsScalar(i, where)).ToArray()),
            EnumValue e => Value.FromInt(e.Value),
            _ => throw NotConstant(where, "this is not a constant value (a number, bool, string or tuple)"),
        };

        // ------------------------------------------------------------------ invocations

        private object? EvaluateInvocation(IInvocationOperation invocation, Frame frame)
        {
            var method = invocation.TargetMethod;

            // The RASP DSL and the program library: record the call.
            if (Symbols.IsFromCompiler(method))
            {
                if (!Symbols.IsRaspType(method.ReturnType))
                    throw NotConstant(invocation, $"'{method.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat)}' does not build a RASP expression; only DSL and library calls that do are evaluated at build time");
                var args = new List<RecipeArg>();
                if (invocation.Instance != null)
                    throw Unsupported(invocation, "an instance method of the RASP API");
                foreach (var argument in invocation.Arguments)
                {
                    var parameterType = argument.Parameter?.Type;
                    var value = argument.ArgumentKind == ArgumentKind.DefaultValue && argument.Value.ConstantValue.HasValue
                        ? FromConstant(argument.Value.ConstantValue.Value, parameterType, argument.Value)
                        : Evaluate(argument.Value, frame);
                    args.Add(ToArg(value, parameterType, argument.Value));
                }
                return AddStep(new RecipeStep(Symbols.MemberKey(method), args.ToEquatableArray()), InvocationSyntax(invocation));
            }

            var receiver = invocation.Instance is null ? null : Evaluate(invocation.Instance, frame);
            var argumentValues = invocation.Arguments.Select(a => a.ArgumentKind == ArgumentKind.DefaultValue && a.Value.ConstantValue.HasValue
                ? FromConstant(a.Value.ConstantValue.Value, a.Parameter?.Type, a.Value)
                : Evaluate(a.Value, frame)).ToArray();

            if (BuiltIns.TryInvoke(method, receiver, argumentValues, invocation, this, out var result)) return result;

            if (method.DeclaringSyntaxReferences.Length > 0)
            {
                if (invocation.Instance != null && !(invocation.Instance is IInstanceReferenceOperation) && !method.IsExtensionMethod)
                    throw Unsupported(invocation, "calling an instance method (helpers must be static)");
                var args = new object?[method.Parameters.Length];
                for (int i = 0; i < invocation.Arguments.Length; i++)
                {
                    var argument = invocation.Arguments[i];
                    int index = argument.Parameter?.Ordinal ?? i;
                    args[index] = Convert(argumentValues[i], argument.Parameter?.Type, argument.Value);
                }
                return Call(method, args, invocation.Syntax);
            }

            throw NotConstant(invocation, $"'{method.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat)}' cannot be called at build time (only the RASP DSL, Tracr.Library, a few System.Math/string/collection members and methods written in this project can be)");
        }

        private static SyntaxNode InvocationSyntax(IInvocationOperation invocation) => invocation.Syntax;

        // ------------------------------------------------------------------ recipe

        private object AddStep(RecipeStep step, SyntaxNode? syntax)
        {
            if (_steps.Count >= MaxSteps)
                throw new EvaluationError(Descriptors.EvaluationLimit, syntax, $"The program builds more than {MaxSteps:N0} RASP expressions");
            _steps.Add(step);
            _locations.Add(new LocationOrNone(LocationInfo.From(syntax)));
            return new StepRef(_steps.Count - 1);
        }

        /// <summary>A build-time value as a recipe argument for a parameter of <paramref name="type"/>.</summary>
        private RecipeArg ToArg(object? value, ITypeSymbol? type, IOperation where)
        {
            switch (value)
            {
                case null:
                    if (type != null && Symbols.IsTracrType(type, "Value")) return RecipeArg.FromScalar(Value.None);
                    if (type != null && Symbols.IsRaspType(type))
                        throw new EvaluationError(Descriptors.EvaluationFailed, where.Syntax, "a RASP expression argument is null");
                    return RecipeArg.Null;
                case StepRef step:
                    return RecipeArg.FromStep(step.Index);
                case LambdaFunction lambda:
                    return RecipeArg.FromLambda(lambda);
                case EnumValue e:
                    return RecipeArg.FromEnum(e.Value);
                case ListValue list:
                {
                    var element = ElementType(type);
                    return RecipeArg.FromItems(list.Items.Select(i => ToArg(i, element, where)).ToEquatableArray());
                }
                case TupleValue _:
                case Value _:
                    return RecipeArg.FromScalar(AsScalar(Convert(value, type, where), where));
                default:
                    throw NotConstant(where, "this value cannot be passed to the RASP DSL");
            }
        }

        internal static ITypeSymbol? ElementType(ITypeSymbol? type) => type switch
        {
            IArrayTypeSymbol array => array.ElementType,
            INamedTypeSymbol named when named.TypeArguments.Length == 1 => named.TypeArguments[0],
            _ => null,
        };

        // ------------------------------------------------------------------ helpers

        private static object? FromConstant(object? constant, ITypeSymbol? type, IOperation where)
        {
            if (type?.TypeKind == TypeKind.Enum && constant != null) return new EnumValue(System.Convert.ToInt64(constant, System.Globalization.CultureInfo.InvariantCulture));
            switch (constant)
            {
                case null: return null;
                case bool b: return Value.FromBool(b);
                case int i: return Value.FromInt(i);
                case long l: return Value.FromInt(l);
                case short s: return Value.FromInt(s);
                case byte by: return Value.FromInt(by);
                case uint ui: return Value.FromInt(ui);
                case double d: return Value.FromFloat(d);
                case float f: return Value.FromFloat(f);
                case string str: return Value.FromString(str);
                case char c: return Value.FromString(c.ToString());
                default: throw NotConstant(where, $"constants of type {constant.GetType().Name} are not supported");
            }
        }

        private static object? DefaultOf(ITypeSymbol? type)
        {
            if (type is null) return null;
            if (Symbols.IsTracrType(type, "Value")) return Value.None;
            switch (type.SpecialType)
            {
                case SpecialType.System_Int32:
                case SpecialType.System_Int64: return Value.FromInt(0);
                case SpecialType.System_Double:
                case SpecialType.System_Single: return Value.FromFloat(0);
                case SpecialType.System_Boolean: return Value.FromBool(false);
                default: return null;
            }
        }

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

        internal object? EvaluateForLambda(IOperation operation, Frame frame) => Evaluate(operation, frame);

        internal bool TryLookup(ISymbol symbol, Frame frame, out object? value) => frame.TryGet(symbol, out value);

        internal object? EvaluateStaticField(IFieldReferenceOperation field) => EvaluateField(field);

        internal IOperation? BodyOf(IMethodSymbol method, SyntaxNode? callSite) => GetBody(method, callSite);
    }
}
