using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using Tracr.Lambdas;

namespace Tracr.Generators.Parsing
{
    /// <summary>
    /// Turns a C# lambda (or a method group naming a helper in this project) into a <see cref="LambdaFunction"/>:
    /// data that basis inference can evaluate over value sets, as Tracr calls the Python lambda. Captured
    /// locals become constants (their value when the lambda is created); operators keep the semantics C# bound
    /// (see <see cref="Operators"/>); local variables, if/else with returns, switch expressions and calls to small
    /// static helpers are inlined. Anything else is a TRACR103 at the offending syntax.
    /// </summary>
    internal sealed class LambdaTranslator
    {
        private const int MaxInlineDepth = 16;

        private readonly BodyInterpreter _interpreter;
        private readonly BodyInterpreter.Frame _captures;
        private int _depth;

        private LambdaTranslator(BodyInterpreter interpreter, BodyInterpreter.Frame captures)
        {
            _interpreter = interpreter;
            _captures = captures;
        }

        public static LambdaFunction Translate(IOperation target, BodyInterpreter interpreter, BodyInterpreter.Frame captures)
        {
            var translator = new LambdaTranslator(interpreter, captures);
            switch (target)
            {
                case IAnonymousFunctionOperation lambda:
                {
                    var scope = translator.Parameters(lambda.Symbol);
                    return new LambdaFunction(lambda.Symbol.Parameters.Select(p => p.Name).ToArray(), translator.Statements(lambda.Body.Operations, 0, scope));
                }
                case IMethodReferenceOperation reference when reference.Method.IsStatic:
                {
                    var body = interpreter.BodyOf(reference.Method, reference.Syntax) ?? throw Fail(reference, "the method has no body here");
                    var scope = translator.Parameters(reference.Method);
                    return new LambdaFunction(reference.Method.Parameters.Select(p => p.Name).ToArray(), translator.Body(body, scope));
                }
                default:
                    throw Fail(target, "only lambdas and static methods written in this project can become part of a model");
            }
        }

        private Dictionary<ISymbol, LambdaNode> Parameters(IMethodSymbol method)
        {
            var scope = new Dictionary<ISymbol, LambdaNode>(SymbolEqualityComparer.Default);
            foreach (var p in method.Parameters) scope[p] = new ParameterNode(p.Ordinal);
            return scope;
        }

        private LambdaNode Body(IOperation body, Dictionary<ISymbol, LambdaNode> scope) => body switch
        {
            IBlockOperation block => Statements(block.Operations, 0, scope),
            _ => Expression(body, scope),
        };

        /// <summary>Statements from <paramref name="index"/> on, ending in a return on every path.</summary>
        private LambdaNode Statements(IReadOnlyList<IOperation> statements, int index, Dictionary<ISymbol, LambdaNode> scope)
        {
            for (int i = index; i < statements.Count; i++)
            {
                var statement = statements[i];
                switch (statement)
                {
                    case IReturnOperation ret when ret.ReturnedValue != null:
                        return Expression(ret.ReturnedValue, scope);

                    case IVariableDeclarationGroupOperation group:
                        foreach (var declaration in group.Declarations)
                            foreach (var declarator in declaration.Declarators)
                            {
                                var init = declarator.GetVariableInitializer() ?? throw Fail(declarator, "a lambda's local variables need an initial value");
                                scope = new Dictionary<ISymbol, LambdaNode>(scope, SymbolEqualityComparer.Default) { [declarator.Symbol] = Expression(init.Value, scope) };
                            }
                        continue;

                    case IExpressionStatementOperation expr when expr.Operation is ISimpleAssignmentOperation assign && assign.Target is ILocalReferenceOperation local:
                        scope = new Dictionary<ISymbol, LambdaNode>(scope, SymbolEqualityComparer.Default) { [local.Local] = Expression(assign.Value, scope) };
                        continue;

                    case IBlockOperation block:
                        return Statements(block.Operations.Concat(statements.Skip(i + 1)).ToArray(), 0, scope);

                    case IConditionalOperation conditional:
                    {
                        var rest = statements.Skip(i + 1).ToArray();
                        var whenTrue = Flatten(conditional.WhenTrue).Concat(rest).ToArray();
                        var whenFalse = (conditional.WhenFalse is null ? Array.Empty<IOperation>() : Flatten(conditional.WhenFalse)).Concat(rest).ToArray();
                        return new ConditionalNode(Expression(conditional.Condition, scope), Statements(whenTrue, 0, scope), Statements(whenFalse, 0, scope));
                    }

                    default:
                        throw Fail(statement, $"the statement {BodyInterpreter.Describe(statement)} cannot be part of a lambda in a model");
                }
            }
            throw Fail(statements.Count > 0 ? statements[statements.Count - 1] : null, "not every path of this lambda returns a value");
        }

        private static IEnumerable<IOperation> Flatten(IOperation statement) =>
            statement is IBlockOperation block ? block.Operations : new[] { statement };

        private LambdaNode Expression(IOperation operation, Dictionary<ISymbol, LambdaNode> scope)
        {
            if (operation is IInvalidOperation) throw new InvalidCodeException();
            if (operation.ConstantValue.HasValue)
                return new ConstantNode(_interpreter.AsScalar(ConstantOf(operation), operation));

            switch (operation)
            {
                case IParameterReferenceOperation parameter:
                    return Lookup(parameter.Parameter, operation, scope);

                case ILocalReferenceOperation local:
                    return Lookup(local.Local, operation, scope);

                case IFieldReferenceOperation field when field.Field.IsStatic:
                    return new ConstantNode(_interpreter.AsScalar(_interpreter.EvaluateStaticField(field), operation));

                case IBinaryOperation binary:
                {
                    var op = Operators.Binary(binary.OperatorKind, binary.OperatorMethod, binary.LeftOperand.Type)
                             ?? throw Fail(binary, $"the operator {binary.OperatorKind} on '{binary.LeftOperand.Type?.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat)}' is not supported");
                    return new BinaryNode(op, Expression(binary.LeftOperand, scope), Expression(binary.RightOperand, scope));
                }

                case IUnaryOperation unary:
                {
                    if (unary.OperatorKind == UnaryOperatorKind.Plus) return Expression(unary.Operand, scope);
                    var op = Operators.Unary(unary.OperatorKind, unary.OperatorMethod)
                             ?? throw Fail(unary, $"the operator {unary.OperatorKind} is not supported");
                    return new UnaryNode(op, Expression(unary.Operand, scope));
                }

                case IConversionOperation conversion:
                    return Conversion(conversion, scope);

                case IConditionalOperation conditional when conditional.WhenFalse != null:
                    return new ConditionalNode(Expression(conditional.Condition, scope), Expression(conditional.WhenTrue, scope), Expression(conditional.WhenFalse, scope));

                case ITupleOperation tuple:
                    return new CallNode(KnownFunctions.Tuple, tuple.Elements.Select(e => Expression(e, scope)).ToArray());

                case IInvocationOperation invocation:
                    return Invocation(invocation, scope);

                case IPropertyReferenceOperation property:
                    return Property(property, scope);

                case IInterpolatedStringOperation interpolated:
                {
                    LambdaNode result = new ConstantNode(Value.FromString(""));
                    foreach (var part in interpolated.Parts)
                    {
                        LambdaNode piece = part switch
                        {
                            IInterpolatedStringTextOperation text => new ConstantNode(Value.FromString((string)text.Text.ConstantValue.Value!)),
                            IInterpolationOperation hole when hole.FormatString is null && hole.Alignment is null => Expression(hole.Expression, scope),
                            _ => throw Fail(part, "format strings and alignment in an interpolated string are not supported"),
                        };
                        result = new BinaryNode(BinaryOperator.Concat, result, piece);
                    }
                    return result;
                }

                case ISwitchExpressionOperation switchExpression:
                    return Switch(switchExpression, scope);

                default:
                    throw Fail(operation, $"{BodyInterpreter.Describe(operation)} is not supported");
            }
        }

        private object? ConstantOf(IOperation operation)
        {
            var c = operation.ConstantValue.Value;
            if (operation.Type?.TypeKind == TypeKind.Enum && c != null) return Value.FromInt(System.Convert.ToInt64(c, System.Globalization.CultureInfo.InvariantCulture));
            return c switch
            {
                null => (object?)null,
                bool b => Value.FromBool(b),
                int i => Value.FromInt(i),
                long l => Value.FromInt(l),
                double d => Value.FromFloat(d),
                float f => Value.FromFloat(f),
                string s => Value.FromString(s),
                char ch => Value.FromString(ch.ToString()),
                _ => throw Fail(operation, $"constants of type {c.GetType().Name} are not supported"),
            };
        }

        private LambdaNode Lookup(ISymbol symbol, IOperation operation, Dictionary<ISymbol, LambdaNode> scope)
        {
            if (scope.TryGetValue(symbol, out var node)) return node;
            if (_interpreter.TryLookup(symbol, _captures, out var captured))
            {
                if (captured is Value || captured is TupleValue || captured is EnumValue || captured is null)
                    return new ConstantNode(_interpreter.AsScalar(captured, operation));
                throw Fail(operation, $"it captures '{symbol.Name}', which is not a constant value (lambdas may capture numbers, bools, strings and tuples)");
            }
            throw Fail(operation, $"'{symbol.Name}' has no value when the lambda is created");
        }

        private LambdaNode Conversion(IConversionOperation conversion, Dictionary<ISymbol, LambdaNode> scope)
        {
            var method = conversion.OperatorMethod;
            var inner = Expression(conversion.Operand, scope);
            if (method != null)
            {
                if (!Symbols.IsTracrType(method.ContainingType, "Value"))
                    throw Fail(conversion, $"the conversion '{method.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat)}' is not supported");
                // Into Value: the operand already is a value. Out of Value: a cast with C# semantics.
                if (Symbols.IsTracrType(conversion.Type, "Value")) return inner;
                var cast = Operators.Conversion(conversion.Type, true, null) ?? throw Fail(conversion, $"converting a Value to '{conversion.Type}' is not supported");
                return new CallNode(cast, inner);
            }
            var fn = Operators.Conversion(conversion.Type, !conversion.IsImplicit, conversion.Operand.Type);
            return fn is null ? inner : new CallNode(fn, inner);
        }

        private LambdaNode Invocation(IInvocationOperation invocation, Dictionary<ISymbol, LambdaNode> scope)
        {
            var method = invocation.TargetMethod;
            string type = method.ContainingType?.ToDisplayString() ?? "";
            var args = invocation.Arguments.Select(a => Expression(a.Value, scope)).ToArray();

            string? known = null;
            if (type == "System.Math") known = "Math." + method.Name;
            else if (Symbols.IsTracrType(method.ContainingType, "Value") && method.IsStatic && (method.Name == "Abs" || method.Name == "Min" || method.Name == "Max")) known = "Math." + method.Name;
            if (known != null && KnownFunctions.Arity.TryGetValue(known, out int arity) && arity == args.Length)
                return new CallNode(known, args);

            if (method.Name == "ToString" && args.Length == 0 && invocation.Instance != null)
                return new CallNode("ToString", Expression(invocation.Instance, scope));

            if (method.IsStatic && method.DeclaringSyntaxReferences.Length > 0)
            {
                if (++_depth > MaxInlineDepth) throw Fail(invocation, $"helper calls inside a lambda nest deeper than {MaxInlineDepth} levels");
                try
                {
                    var body = _interpreter.BodyOf(method, invocation.Syntax) ?? throw Fail(invocation, "the method has no body");
                    var inner = new Dictionary<ISymbol, LambdaNode>(SymbolEqualityComparer.Default);
                    for (int i = 0; i < invocation.Arguments.Length; i++)
                        inner[invocation.Arguments[i].Parameter ?? method.Parameters[i]] = args[i];
                    return Body(body, inner);
                }
                finally
                {
                    _depth--;
                }
            }
            throw Fail(invocation, $"calling '{method.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat)}' is not supported in a lambda (System.Math functions, ToString and static helpers written in this project are)");
        }

        private LambdaNode Property(IPropertyReferenceOperation property, Dictionary<ISymbol, LambdaNode> scope)
        {
            var symbol = property.Property;
            // value.AsTuple[i]
            if (symbol.IsIndexer && property.Instance is IPropertyReferenceOperation asTuple && asTuple.Property.Name == "AsTuple" && property.Arguments.Length == 1)
                return new CallNode("Item", Expression(asTuple.Instance!, scope), Expression(property.Arguments[0].Value, scope));
            // args[i] on a list parameter (MakeNarySequenceMap's lambda): the list arrives as a tuple.
            if (symbol.IsIndexer && property.Arguments.Length == 1 && property.Instance is IParameterReferenceOperation list && scope.ContainsKey(list.Parameter))
                return new CallNode("Item", Expression(list, scope), Expression(property.Arguments[0].Value, scope));
            if (!symbol.IsStatic && property.Instance != null)
            {
                bool onString = property.Instance.Type?.SpecialType == SpecialType.System_String;
                if ((symbol.Name == "Length" && onString) || (symbol.Name == "Count" && property.Instance is IPropertyReferenceOperation p && p.Property.Name == "AsTuple"))
                    return new CallNode("Length", Expression(property.Instance is IPropertyReferenceOperation t && t.Property.Name == "AsTuple" ? t.Instance! : property.Instance, scope));
                if (symbol.Name.StartsWith("Item", StringComparison.Ordinal) && property.Instance.Type?.IsTupleType == true)
                    return new CallNode("Item", Expression(property.Instance, scope), new ConstantNode(Value.FromInt(int.Parse(symbol.Name.Substring(4), System.Globalization.CultureInfo.InvariantCulture) - 1)));
            }
            throw Fail(property, $"the property '{symbol.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat)}' is not supported in a lambda");
        }

        private LambdaNode Switch(ISwitchExpressionOperation switchExpression, Dictionary<ISymbol, LambdaNode> scope)
        {
            var subject = Expression(switchExpression.Value, scope);
            LambdaNode? result = null;
            foreach (var arm in switchExpression.Arms.Reverse())
            {
                if (arm.Guard != null) throw Fail(arm.Guard, "switch arms with 'when' guards are not supported");
                var value = Expression(arm.Value, scope);
                var test = Pattern(arm.Pattern, subject, scope);
                if (test is null) result = value;
                else if (result is null) throw Fail(switchExpression, "a switch expression in a lambda needs a discard arm (_ => ...)");
                else result = new ConditionalNode(test, value, result);
            }
            return result ?? throw Fail(switchExpression, "an empty switch expression");
        }

        /// <summary>The test a pattern makes on <paramref name="subject"/>, or null for a discard.</summary>
        private LambdaNode? Pattern(IPatternOperation pattern, LambdaNode subject, Dictionary<ISymbol, LambdaNode> scope)
        {
            switch (pattern)
            {
                case IDiscardPatternOperation _:
                    return null;
                case IConstantPatternOperation constant:
                    return new BinaryNode(BinaryOperator.Equal, subject, Expression(constant.Value, scope));
                case IRelationalPatternOperation relational:
                {
                    var op = Operators.Binary(relational.OperatorKind, null, relational.Value.Type) ?? throw Fail(pattern, "unsupported relational pattern");
                    return new BinaryNode(op, subject, Expression(relational.Value, scope));
                }
                case IBinaryPatternOperation binary:
                {
                    var left = Pattern(binary.LeftPattern, subject, scope);
                    var right = Pattern(binary.RightPattern, subject, scope);
                    if (left is null || right is null) throw Fail(pattern, "a discard inside and/or patterns is not supported");
                    return new BinaryNode(binary.OperatorKind == BinaryOperatorKind.Or ? BinaryOperator.OrElse : BinaryOperator.AndAlso, left, right);
                }
                case INegatedPatternOperation negated:
                {
                    var inner = Pattern(negated.Pattern, subject, scope) ?? throw Fail(pattern, "'not _' never matches");
                    return new UnaryNode(UnaryOperator.Not, inner);
                }
                default:
                    throw Fail(pattern, $"the pattern '{pattern.Syntax}' is not supported (constants, relational, and/or/not and _ are)");
            }
        }

        private static EvaluationError Fail(IOperation? operation, string why) =>
            new EvaluationError(Descriptors.UnsupportedLambda, operation?.Syntax, why);
    }
}
