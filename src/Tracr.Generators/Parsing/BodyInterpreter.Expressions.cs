using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using Tracr.Generators.Model;
using Tracr.Lambdas;

namespace Tracr.Generators.Parsing
{
    /// <summary>Expressions of a program body: plain C# (run as lambda trees), and the code that builds RASP expressions.</summary>
    internal sealed partial class BodyInterpreter
    {
        private readonly Dictionary<IOperation, bool> _pure = new Dictionary<IOperation, bool>();
        private readonly Dictionary<IOperation, BodyExpression> _translated = new Dictionary<IOperation, BodyExpression>();

        private object? Evaluate(IOperation operation, Frame frame)
        {
            Tick(operation);
            // Code the C# compiler itself rejects (half-typed, wrong types): it reports the error; we stay quiet.
            if (operation is IInvalidOperation) throw new InvalidCodeException();
            if (IsPure(operation)) return RunPure(operation, frame);

            switch (operation)
            {
                case ILocalReferenceOperation local:
                    if (frame.TryGet(local.Local, out var lv)) return lv;
                    throw NotConstant(operation, $"the local '{local.Local.Name}' has no value here");

                case IParameterReferenceOperation parameter:
                    if (frame.TryGet(parameter.Parameter, out var pv)) return pv;
                    throw NotConstant(operation, $"the parameter '{parameter.Parameter.Name}' has no value here");

                case IFieldReferenceOperation field when field.Field.IsStatic:
                    return EvaluateStaticField(field);

                case IPropertyReferenceOperation property:
                    return EvaluateProperty(property, frame);

                case IArrayElementReferenceOperation element when element.Indices.Length == 1:
                {
                    var list = Evaluate(element.ArrayReference, frame) as RaspList ?? throw NotConstant(element.ArrayReference, "not an array known at build time");
                    return list.Items[Index(element.Indices[0], frame, list.Items.Count)];
                }

                case IConversionOperation conversion:
                    // A lambda or method group becoming a delegate: data once the method has returned.
                    if (conversion.Operand is IAnonymousFunctionOperation || conversion.Operand is IDelegateCreationOperation)
                        return Pending(conversion.Operand, frame);
                    return Evaluate(conversion.Operand, frame); // reference conversions of RASP expressions (SOp to RaspExpr, ...)

                case IDelegateCreationOperation _:
                case IAnonymousFunctionOperation _:
                    return Pending(operation, frame);

                case IBinaryOperation binary when binary.OperatorMethod != null && Symbols.IsFromCompiler(binary.OperatorMethod) && Symbols.IsRaspType(binary.OperatorMethod.ReturnType):
                    return AddStep(new RecipeStep(Symbols.MemberKey(binary.OperatorMethod), new[]
                    {
                        ToArg(Evaluate(binary.LeftOperand, frame), binary.OperatorMethod.Parameters[0].Type, binary.LeftOperand),
                        ToArg(Evaluate(binary.RightOperand, frame), binary.OperatorMethod.Parameters[1].Type, binary.RightOperand),
                    }.ToEquatableArray()), binary.Syntax);

                case IUnaryOperation unary when unary.OperatorMethod != null && Symbols.IsFromCompiler(unary.OperatorMethod) && Symbols.IsRaspType(unary.OperatorMethod.ReturnType):
                    return AddStep(new RecipeStep(Symbols.MemberKey(unary.OperatorMethod),
                        new[] { ToArg(Evaluate(unary.Operand, frame), unary.OperatorMethod.Parameters[0].Type, unary.Operand) }.ToEquatableArray()), unary.Syntax);

                case IConditionalOperation conditional when conditional.WhenFalse != null:
                    return EvaluateBool(conditional.Condition, frame) ? Evaluate(conditional.WhenTrue, frame) : Evaluate(conditional.WhenFalse, frame);

                case ICoalesceOperation coalesce:
                    return Evaluate(coalesce.Value, frame) ?? Evaluate(coalesce.WhenNull, frame);

                case IInvocationOperation invocation:
                    return EvaluateInvocation(invocation, frame);

                case ISimpleAssignmentOperation assignment:
                {
                    var value = Evaluate(assignment.Value, frame);
                    Assign(assignment.Target, value, frame);
                    return value;
                }

                case IArrayCreationOperation array when array.Initializer != null:
                    return new RaspList(array.Initializer.ElementValues.Select(e => Evaluate(e, frame)).ToList());

                case IArrayCreationOperation array when array.DimensionSizes.Length == 1:
                    return new RaspList(Enumerable.Repeat((object?)null, Index(array.DimensionSizes[0], frame, int.MaxValue)).ToList());

                case ICollectionExpressionOperation collection:
                {
                    var items = new List<object?>();
                    foreach (var element in collection.Elements)
                    {
                        if (element is ISpreadOperation spread)
                            items.AddRange(Evaluate(spread.Operand, frame) is RaspList inner ? inner.Items : throw NotConstant(spread.Operand, "only collections of RASP expressions can be spread here"));
                        else items.Add(Evaluate(element, frame));
                    }
                    return new RaspList(items);
                }

                case IObjectCreationOperation creation when creation.Type is INamedTypeSymbol { Name: "List" } list && list.ContainingNamespace?.ToDisplayString() == "System.Collections.Generic":
                {
                    var items = new List<object?>();
                    if (creation.Arguments.Length == 1 && creation.Arguments[0].Value.Type?.SpecialType != SpecialType.System_Int32)
                        items.AddRange(Evaluate(creation.Arguments[0].Value, frame) is RaspList source ? source.Items : throw NotConstant(creation.Arguments[0].Value, "not a collection of RASP expressions"));
                    foreach (var init in creation.Initializer?.Initializers ?? Enumerable.Empty<IOperation>())
                    {
                        if (init is IInvocationOperation add && add.TargetMethod.Name == "Add" && add.Arguments.Length == 1) items.Add(Evaluate(add.Arguments[0].Value, frame));
                        else throw Unsupported(init, Describe(init));
                    }
                    return new RaspList(items);
                }

                case IDefaultValueOperation _:
                    return null;

                default:
                    throw Unsupported(operation, Describe(operation));
            }
        }

        // ------------------------------------------------------------------ plain C#

        /// <summary>
        /// True for an expression that computes a plain value (no RASP expression anywhere in it, not a delegate):
        /// it runs as a lambda tree, with C#'s exact meaning.
        /// </summary>
        private bool IsPure(IOperation operation)
        {
            if (_pure.TryGetValue(operation, out bool pure)) return pure;
            pure = !IsRaspish(operation.Type) && !(operation.Type?.TypeKind == TypeKind.Delegate) &&
                   !(operation is IAnonymousFunctionOperation || operation is IDelegateCreationOperation) &&
                   !operation.Descendants().Any(d => IsRaspish(d.Type) || d is IInvalidOperation);
            _pure[operation] = pure;
            return pure;
        }

        /// <summary>A RASP expression, or a collection of them.</summary>
        private static bool IsRaspish(ITypeSymbol? type) => type switch
        {
            null => false,
            IArrayTypeSymbol array => IsRaspish(array.ElementType),
            INamedTypeSymbol named when named.IsGenericType => named.TypeArguments.Any(IsRaspish),
            _ => Symbols.IsRaspType(type),
        };

        private object? RunPure(IOperation operation, Frame frame)
        {
            if (!_translated.TryGetValue(operation, out var expression))
            {
                expression = LambdaTranslator.Expression(operation, this, frame);
                if (expression.Cacheable) _translated[operation] = expression;
            }
            try
            {
                return expression.Run(frame);
            }
            catch (OperationCanceledException)
            {
                throw;
            }
            catch (EvaluationError)
            {
                throw;
            }
            catch (LambdaLimitException e)
            {
                throw new EvaluationError(Descriptors.EvaluationLimit, operation.Syntax, e.Message);
            }
            catch (Exception e)
            {
                throw new EvaluationError(Descriptors.EvaluationFailed, operation.Syntax, e.GetType().Name + ": " + e.Message);
            }
        }

        private int Index(IOperation operation, Frame frame, int count)
        {
            var value = Evaluate(operation, frame);
            if (!(value is int i)) throw NotConstant(operation, "an index must be an int");
            if (i < 0 || i >= count && count != int.MaxValue)
                throw new EvaluationError(Descriptors.EvaluationFailed, operation.Syntax, $"index {i} is outside the collection of {count} items");
            if (count == int.MaxValue && i > MaxLoopIterations)
                throw new EvaluationError(Descriptors.EvaluationLimit, operation.Syntax, $"An array of {i:N0} RASP expressions is more than the build-time limit of {MaxLoopIterations:N0}");
            return i;
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
                case IArrayElementReferenceOperation element when element.Indices.Length == 1:
                {
                    var list = Evaluate(element.ArrayReference, frame) as RaspList ?? throw NotConstant(element.ArrayReference, "not an array known at build time");
                    list.Items[Index(element.Indices[0], frame, list.Items.Count)] = value;
                    return;
                }
                case IPropertyReferenceOperation indexer when indexer.Property.IsIndexer && indexer.Arguments.Length == 1:
                {
                    var list = Evaluate(indexer.Instance!, frame) as RaspList ?? throw NotConstant(indexer.Instance!, "not a list known at build time");
                    list.Items[Index(indexer.Arguments[0].Value, frame, list.Items.Count)] = value;
                    return;
                }
                default:
                    throw Unsupported(target, "assigning to " + Describe(target));
            }
        }

        // ------------------------------------------------------------------ members that build RASP expressions

        private object? EvaluateProperty(IPropertyReferenceOperation property, Frame frame)
        {
            var symbol = property.Property;
            if (Symbols.IsFromCompiler(symbol) && symbol.IsStatic && Symbols.IsRaspType(symbol.Type))
                return AddStep(new RecipeStep(Symbols.PropertyKey(symbol), EquatableArray<RecipeArg>.Empty), property.Syntax);

            if (property.Instance != null && !symbol.IsStatic && Evaluate(property.Instance, frame) is RaspList list)
            {
                if (symbol.Name == "Count" || symbol.Name == "Length") return list.Items.Count;
                if (symbol.IsIndexer && property.Arguments.Length == 1) return list.Items[Index(property.Arguments[0].Value, frame, list.Items.Count)];
            }

            if (symbol.IsStatic && symbol.GetMethod != null && symbol.GetMethod.DeclaringSyntaxReferences.Length > 0 && symbol.Parameters.Length == 0)
                return Call(symbol.GetMethod, Array.Empty<object?>(), property.Syntax);

            throw NotConstant(property, $"the property '{symbol.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat)}' cannot be evaluated at build time");
        }

        private object? EvaluateInvocation(IInvocationOperation invocation, Frame frame)
        {
            var method = invocation.TargetMethod;

            // The RASP DSL and the program library: record the call.
            if (Symbols.IsFromCompiler(method))
            {
                if (!Symbols.IsRaspType(method.ReturnType))
                    throw NotConstant(invocation, $"'{method.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat)}' does not build a RASP expression; only DSL and library calls that do are evaluated at build time");
                if (invocation.Instance != null)
                    throw Unsupported(invocation, "an instance method of the RASP API");
                var args = new List<RecipeArg>();
                foreach (var argument in invocation.Arguments.OrderBy(a => a.Parameter?.Ordinal ?? 0))
                    args.Add(ToArg(Evaluate(argument.Value, frame), argument.Parameter?.Type, argument.Value));
                return AddStep(new RecipeStep(Symbols.MemberKey(method), args.ToEquatableArray()), invocation.Syntax);
            }

            // A list or array of RASP expressions.
            if (invocation.Instance != null && !method.IsStatic && Evaluate(invocation.Instance, frame) is RaspList list)
            {
                switch (method.Name)
                {
                    case "Add" when invocation.Arguments.Length == 1:
                        list.Items.Add(Evaluate(invocation.Arguments[0].Value, frame));
                        return null;
                    case "ToArray":
                    case "ToList":
                        return new RaspList(list.Items.ToList());
                }
            }
            if (method.ContainingType?.ToDisplayString() == "System.Linq.Enumerable" && (method.Name == "ToArray" || method.Name == "ToList") &&
                invocation.Arguments.Length == 1 && Evaluate(invocation.Arguments[0].Value, frame) is RaspList source)
                return new RaspList(source.Items.ToList());

            if (method.DeclaringSyntaxReferences.Length > 0)
            {
                if (invocation.Instance != null && !(invocation.Instance is IInstanceReferenceOperation) && !method.IsExtensionMethod)
                    throw Unsupported(invocation, "calling an instance method (helpers must be static)");
                var args = new object?[method.Parameters.Length];
                foreach (var argument in invocation.Arguments)
                {
                    int index = argument.Parameter?.Ordinal ?? 0;
                    args[index] = Evaluate(argument.Value, frame);
                }
                return Call(method, args, invocation.Syntax);
            }

            throw NotConstant(invocation, $"'{method.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat)}' cannot be called at build time here (it works with RASP expressions; only the RASP DSL, Tracr.Library and methods written in this project can)");
        }
    }
}
