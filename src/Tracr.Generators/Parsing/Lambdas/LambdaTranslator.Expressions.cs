using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Operations;
using Tracr.Lambdas;

namespace Tracr.Generators.Parsing
{
    /// <summary>Expressions: constants, variables, operators, conversions, calls, members, creation, lambdas.</summary>
    internal sealed partial class LambdaTranslator
    {
        private LambdaNode Expr(IOperation operation)
        {
            if (operation is IInvalidOperation) throw new InvalidCodeException();
            _interpreter.Tick(operation);
            if (operation.ConstantValue.HasValue && !(operation is IAnonymousFunctionOperation))
                return ConstantValue(operation.ConstantValue.Value, operation.Type, operation);

            switch (operation)
            {
                case IParameterReferenceOperation parameter:
                    return Read(parameter.Parameter, operation);

                case ILocalReferenceOperation local:
                    return local.IsDeclaration ? new LocalNode(DeclareSlot(local.Local)) : Read(local.Local, operation);

                case IDeclarationExpressionOperation declaration:
                    return Expr(declaration.Expression);

                case IFieldReferenceOperation field:
                    return Field(field);

                case IPropertyReferenceOperation property:
                    return Property(property);

                case IArrayElementReferenceOperation element:
                    if (element.Indices.Length != 1) throw Fail(operation, "multi-dimensional arrays are not supported");
                    return new ElementNode(Expr(element.ArrayReference), Expr(element.Indices[0]));

                case IConversionOperation conversion:
                    return Conversion(conversion);

                case IBinaryOperation binary:
                    return Binary(binary);

                case IUnaryOperation unary:
                    return Unary(unary);

                case IConditionalOperation conditional when conditional.WhenFalse != null:
                    return new ConditionalNode(Expr(conditional.Condition), Expr(conditional.WhenTrue), Expr(conditional.WhenFalse));

                case ICoalesceOperation coalesce:
                    return new CoalesceNode(Expr(coalesce.Value), Expr(coalesce.WhenNull));

                case IInvocationOperation invocation:
                    return Invocation(invocation);

                case IObjectCreationOperation creation:
                    return Creation(creation);

                case IArrayCreationOperation array:
                {
                    var type = TypeOf(array.Type, array);
                    if (array.DimensionSizes.Length != 1) throw Fail(operation, "multi-dimensional arrays are not supported");
                    if (array.Initializer != null) return new CollectionNode(type, array.Initializer.ElementValues.Select(Expr).ToArray());
                    return new NewArrayNode(type.Arguments[0], Expr(array.DimensionSizes[0]));
                }

                case ICollectionExpressionOperation collection:
                {
                    var items = new List<LambdaNode>();
                    var spread = new List<bool>();
                    foreach (var element in collection.Elements)
                    {
                        bool isSpread = element is ISpreadOperation;
                        items.Add(Expr(element is ISpreadOperation s ? s.Operand : element));
                        spread.Add(isSpread);
                    }
                    return new CollectionNode(TypeOf(collection.Type, collection), items.ToArray(), spread.ToArray());
                }

                case ITupleOperation tuple:
                    if (tuple.Elements.Length > 7) throw Fail(operation, "tuples of more than 7 items are not supported");
                    return new TupleNode(TypeOf(tuple.Type ?? tuple.NaturalType, tuple), tuple.Elements.Select(Expr).ToArray());

                case IInterpolatedStringOperation interpolated:
                    return Interpolation(interpolated);

                case IDefaultValueOperation defaultValue:
                    return Default(defaultValue.Type, defaultValue);

                case IAnonymousFunctionOperation _:
                case IDelegateCreationOperation _:
                    return NestedLambda(operation);

                case ISwitchExpressionOperation switchExpression:
                    return SwitchExpression(switchExpression);

                case IIsPatternOperation isPattern:
                {
                    int subject = NewTemp("is");
                    return new SequenceNode(new AssignNode(subject, Expr(isPattern.Value)), Pattern(isPattern.Pattern, subject, isPattern.Value.Type));
                }

                case ISimpleAssignmentOperation assignment:
                    return Assign(assignment.Target, _ => Expr(assignment.Value));

                case ICompoundAssignmentOperation compound:
                    return CompoundAssignment(compound);

                case IIncrementOrDecrementOperation increment:
                    return Increment(increment);

                case IInstanceReferenceOperation instance when instance.ReferenceKind == InstanceReferenceKind.ImplicitReceiver:
                    return new ReceiverNode();

                case IThrowOperation thrown when thrown.Exception != null:
                    return new ThrowNode(Expr(thrown.Exception));

                default:
                    throw Fail(operation, $"{BodyInterpreter.Describe(operation)} is not supported");
            }
        }

        private int DeclareSlot(ILocalSymbol local) =>
            _scope.Slots.TryGetValue(local, out int slot) ? slot : _live && _scope.IsRoot ? LiveSlot(local) : _scope.Add(local, local.Name);

        private TypeRef TypeOf(ITypeSymbol? type, IOperation where) =>
            ClrNames.Of(type) ?? throw Fail(where, $"the type '{type?.ToDisplayString() ?? "?"}' cannot be used at build time");

        private LambdaNode ConstantValue(object? value, ITypeSymbol? type, IOperation where)
        {
            var underlying = ClrNames.EnumOrSelf(type);
            // An enum constant is its underlying number (boxed as that type, since the enum type is the user's).
            if (type?.TypeKind == TypeKind.Enum && value != null)
                value = CSharpSemantics.Convert(value, ClrNames.Of(underlying)!.Name, false);
            return new ConstantNode(value, ClrNames.Of(underlying) ?? TypeRef.Object);
        }

        private LambdaNode Default(ITypeSymbol? type, IOperation where) =>
            type is null || type.IsReferenceType ? new ConstantNode(null, ClrNames.Of(type) ?? TypeRef.Object) : new DefaultNode(TypeOf(ClrNames.EnumOrSelf(type), where));

        private static LambdaNode Not(LambdaNode condition) => new UnaryNode(LambdaUnaryOperator.Not, TypeRef.Boolean, false, condition);

        private static LambdaNode And(LambdaNode a, LambdaNode b) => new BinaryNode(LambdaOperator.ConditionalAnd, TypeRef.Boolean, false, a, b);

        private static LambdaNode Or(LambdaNode a, LambdaNode b) => new BinaryNode(LambdaOperator.ConditionalOr, TypeRef.Boolean, false, a, b);

        // ------------------------------------------------------------------ members

        private LambdaNode Field(IFieldReferenceOperation field)
        {
            var symbol = field.Field;
            if (IsFromSource(symbol))
            {
                if (symbol.IsStatic && symbol.IsReadOnly)
                    return Constant(_interpreter.EvaluateStaticField(field), symbol.Type, field, symbol.Name);
                if (field.Instance?.Type?.IsTupleType == true) return TupleField(field);
                throw Fail(field, _live
                    ? "a mutable or instance field has no value at build time (use a const or a static readonly field)"
                    : $"it reads '{symbol.Name}', a mutable or instance field, which has no value at build time (use a const or a static readonly field)");
            }
            if (field.Instance?.Type?.IsTupleType == true) return TupleField(field);
            var member = ClrNames.Of(symbol) ?? throw Fail(field, $"the field '{Display(symbol)}' cannot be read at build time");
            Allowed(ClrNames.DefinitionName(symbol.ContainingType), symbol.Name, field);
            return new CallNode(member, field.Instance is null ? null : Expr(field.Instance));
        }

        /// <summary><c>t.Item2</c> or a named element <c>t.count</c>: the ValueTuple field.</summary>
        private LambdaNode TupleField(IFieldReferenceOperation field)
        {
            var tupleType = (INamedTypeSymbol)field.Instance!.Type!;
            var element = field.Field.CorrespondingTupleField ?? field.Field;
            var member = new MemberRef(TypeOf(tupleType, field), element.Name, MemberKind.Field, Array.Empty<TypeRef>());
            return new CallNode(member, Expr(field.Instance));
        }

        private LambdaNode Property(IPropertyReferenceOperation property)
        {
            var symbol = property.Property;
            var getter = symbol.GetMethod ?? throw Fail(property, $"the property '{Display(symbol)}' has no getter");
            // C#'s order: the receiver, then the arguments, then the call (so an error names the innermost part first).
            var instance = property.Instance is null ? null : Expr(property.Instance);
            return Call(getter, property.Instance, instance, property.Arguments.Select(a => Expr(a.Value)).ToArray(), property);
        }

        private LambdaNode Invocation(IInvocationOperation invocation)
        {
            var method = invocation.TargetMethod;
            // `this` of a helper call is no value; the implicit receiver of an initializer (new List<int> { 1 }) is the new object.
            var instance = invocation.Instance is null || invocation.Instance is IInstanceReferenceOperation { ReferenceKind: not InstanceReferenceKind.ImplicitReceiver } ? null : Expr(invocation.Instance);
            // Arguments in parameter order (Roslyn lists them in evaluation order); out/ref arguments write back.
            var arguments = invocation.Arguments.OrderBy(a => a.Parameter?.Ordinal ?? 0).ToArray();
            var args = new LambdaNode[arguments.Length];
            var outSlots = new int[arguments.Length];
            bool anyOut = false;
            for (int i = 0; i < arguments.Length; i++)
            {
                outSlots[i] = -1;
                var refKind = arguments[i].Parameter?.RefKind ?? RefKind.None;
                if (refKind == RefKind.Out || refKind == RefKind.Ref)
                {
                    var target = arguments[i].Value is IDeclarationExpressionOperation d ? d.Expression : arguments[i].Value;
                    if (!(target is ILocalReferenceOperation local)) throw Fail(arguments[i], "out and ref arguments must be local variables");
                    outSlots[i] = local.IsDeclaration ? DeclareSlot(local.Local) : WriteSlot(local.Local, local);
                    args[i] = refKind == RefKind.Out ? Default(local.Local.Type, local) : new LocalNode(outSlots[i]);
                    anyOut = true;
                }
                else args[i] = Expr(arguments[i].Value);
            }
            if (anyOut)
            {
                if (IsFromSource(method)) throw Fail(invocation, "helper methods with out or ref parameters are not supported");
                var member = Member(method, invocation);
                return new CallNode(member, instance, args, outSlots);
            }
            return Call(method, invocation.Instance, instance, args, invocation);
        }

        /// <summary>A call of a method of this project (a helper), of a delegate, or of an admitted base-library member.</summary>
        private LambdaNode Call(IMethodSymbol method, IOperation? instance, LambdaNode? instanceNode, LambdaNode[] args, IOperation where)
        {
            if (IsFromSource(method))
            {
                if (instance != null && !(instance is IInstanceReferenceOperation) && method.MethodKind != MethodKind.LocalFunction)
                    throw Fail(where, $"'{Display(method)}' is an instance method; helpers of lambdas must be static methods or local functions");
                if (!method.IsStatic && method.MethodKind != MethodKind.LocalFunction)
                    throw Fail(where, $"'{Display(method)}' is an instance method; helpers of lambdas must be static methods or local functions");
                if (Symbols.IsRaspType(method.ReturnType))
                    throw Fail(where, $"'{method.Name}' builds a RASP expression; a lambda computes with values");
                if (method.AssociatedSymbol is IPropertySymbol { IsStatic: true } p && p.DeclaringSyntaxReferences.Length > 0 && args.Length == 0)
                    return new HelperCallNode(HelperFor(method, where), p.Name);
                return new HelperCallNode(HelperFor(method, where), method.Name, args);
            }
            var member = Member(method, where);
            return new CallNode(member, instanceNode, args);
        }

        private MemberRef Member(IMethodSymbol method, IOperation where)
        {
            if (Symbols.IsFromCompiler(method) && !Symbols.IsTracrType(method.ContainingType, "Value"))
                throw Fail(where, $"'{Display(method)}' is part of the RASP API; inside a lambda only values are computed (Value's members are available)");
            Allowed(ClrNames.DefinitionName(method.ContainingType), method.MetadataName, where);
            return ClrNames.Of(method) ?? throw Fail(where, $"'{Display(method)}' has a parameter type that cannot be used at build time");
        }

        private void Allowed(string typeDefinition, string member, IOperation where)
        {
            var why = BaseLibrary.WhyNot(typeDefinition, member);
            if (why is null) return;
            string what = member == ".ctor" ? $"creating a '{typeDefinition}'"
                : member.StartsWith("get_", StringComparison.Ordinal) ? $"'{typeDefinition}.{member.Substring(4)}'"
                : $"'{typeDefinition}.{member}'";
            throw Fail(where, $"{what} cannot be evaluated at build time: {why}");
        }

        private static bool IsFromSource(ISymbol symbol) => symbol.DeclaringSyntaxReferences.Length > 0 && !Symbols.IsFromCompiler(symbol);

        private LambdaNode Creation(IObjectCreationOperation creation)
        {
            var ctor = creation.Constructor ?? throw Fail(creation, "this object creation has no constructor");
            if (IsFromSource(ctor)) throw Fail(creation, $"it creates a '{creation.Type?.Name}', a type of this project; only base-library collections, strings and tuples can be created at build time");
            var args = creation.Arguments.OrderBy(a => a.Parameter?.Ordinal ?? 0).Select(a => Expr(a.Value)).ToArray();
            if (_live && BaseLibrary.WhyNot(ClrNames.DefinitionName(ctor.ContainingType), ctor.MetadataName) is { } why)
                throw BodyInterpreter.Unsupported(creation, $"creating a '{creation.Type?.Name}' ({why})");
            var call = new CallNode(Member(ctor, creation), null, args);
            var initializers = creation.Initializer?.Initializers.Select(Expr).ToArray() ?? Array.Empty<LambdaNode>();
            return new NewNode(call, initializers);
        }

        private LambdaNode Interpolation(IInterpolatedStringOperation interpolated)
        {
            var format = new System.Text.StringBuilder();
            var args = new List<LambdaNode>();
            foreach (var part in interpolated.Parts)
            {
                switch (part)
                {
                    case IInterpolatedStringTextOperation text:
                        format.Append(((string?)text.Text.ConstantValue.Value ?? "").Replace("{", "{{").Replace("}", "}}"));
                        break;
                    case IInterpolationOperation hole:
                        format.Append('{').Append(args.Count.ToString(CultureInfo.InvariantCulture));
                        if (hole.Alignment != null) format.Append(',').Append(Convert.ToString(hole.Alignment.ConstantValue.Value, CultureInfo.InvariantCulture));
                        if (hole.FormatString != null) format.Append(':').Append((string?)hole.FormatString.ConstantValue.Value);
                        format.Append('}');
                        var value = Expr(hole.Expression);
                        args.Add(hole.Expression.Type?.IsValueType == true ? new ConvertNode(TypeRef.Object, false, false, value) : value);
                        break;
                    default:
                        throw Fail(part, "this part of an interpolated string is not supported");
                }
            }
            // string.Format(format, object[]) is what an interpolated string computes (under the invariant culture at build time).
            var member = new MemberRef(TypeRef.String, "Format", MemberKind.Method, new[] { TypeRef.String, TypeRef.ArrayOf(TypeRef.Object) });
            return new CallNode(member, null, new ConstantNode(format.ToString(), TypeRef.String), new CollectionNode(TypeRef.ArrayOf(TypeRef.Object), args.ToArray()));
        }

        private LambdaNode NestedLambda(IOperation operation)
        {
            var delegateType = TypeOf(operation.Type, operation);
            var target = operation is IDelegateCreationOperation creation ? creation.Target : operation;
            switch (target)
            {
                case IAnonymousFunctionOperation lambda:
                {
                    var slots = lambda.Symbol.Parameters.Select(p => _scope.Add(p, p.Name)).ToArray();
                    return new NestedLambdaNode(delegateType, slots, Statement(lambda.Body));
                }
                case IMethodReferenceOperation reference when reference.Instance is null:
                {
                    var method = reference.Method;
                    var slots = method.Parameters.Select(p => _scope.Add(null, p.Name)).ToArray();
                    var call = Call(method, null, null, slots.Select(s => (LambdaNode)new LocalNode(s)).ToArray(), reference);
                    return new NestedLambdaNode(delegateType, slots, new ReturnStatement(call));
                }
                default:
                    throw Fail(operation, "only lambdas and static method groups can be used as delegates at build time");
            }
        }

        // ------------------------------------------------------------------ operators and conversions

        private LambdaNode Binary(IBinaryOperation binary)
        {
            if (binary.IsLifted) throw Fail(binary, "operators on nullable values are not supported");
            var left = Expr(binary.LeftOperand);
            var right = Expr(binary.RightOperand);
            var op = OperatorOf(binary.OperatorKind) ?? throw Fail(binary, $"the operator {binary.OperatorKind} is not supported");
            var method = binary.OperatorMethod;
            if (method != null)
            {
                var member = Member(method, binary);
                return new BinaryNode(op, member.ParameterTypes[0], binary.IsChecked, left, right, member);
            }
            var leftType = ClrNames.EnumOrSelf(binary.LeftOperand.Type);
            var rightType = ClrNames.EnumOrSelf(binary.RightOperand.Type);
            TypeRef operandType =
                op == LambdaOperator.Add && (leftType?.SpecialType == SpecialType.System_String || rightType?.SpecialType == SpecialType.System_String) ? TypeRef.String
                : (leftType?.SpecialType == SpecialType.System_String && rightType?.SpecialType == SpecialType.System_String) ? TypeRef.String
                : leftType?.IsReferenceType == true || leftType is null ? TypeRef.Object
                : TypeOf(leftType, binary);
            return new BinaryNode(op, operandType, binary.IsChecked, left, right);
        }

        private static LambdaOperator? OperatorOf(BinaryOperatorKind kind) => kind switch
        {
            BinaryOperatorKind.Add => LambdaOperator.Add,
            BinaryOperatorKind.Subtract => LambdaOperator.Subtract,
            BinaryOperatorKind.Multiply => LambdaOperator.Multiply,
            BinaryOperatorKind.Divide => LambdaOperator.Divide,
            BinaryOperatorKind.Remainder => LambdaOperator.Remainder,
            BinaryOperatorKind.LeftShift => LambdaOperator.LeftShift,
            BinaryOperatorKind.RightShift => LambdaOperator.RightShift,
            BinaryOperatorKind.UnsignedRightShift => LambdaOperator.UnsignedRightShift,
            BinaryOperatorKind.And => LambdaOperator.And,
            BinaryOperatorKind.Or => LambdaOperator.Or,
            BinaryOperatorKind.ExclusiveOr => LambdaOperator.ExclusiveOr,
            BinaryOperatorKind.Equals => LambdaOperator.Equals,
            BinaryOperatorKind.NotEquals => LambdaOperator.NotEquals,
            BinaryOperatorKind.LessThan => LambdaOperator.LessThan,
            BinaryOperatorKind.LessThanOrEqual => LambdaOperator.LessThanOrEqual,
            BinaryOperatorKind.GreaterThan => LambdaOperator.GreaterThan,
            BinaryOperatorKind.GreaterThanOrEqual => LambdaOperator.GreaterThanOrEqual,
            BinaryOperatorKind.ConditionalAnd => LambdaOperator.ConditionalAnd,
            BinaryOperatorKind.ConditionalOr => LambdaOperator.ConditionalOr,
            _ => null,
        };

        private LambdaNode Unary(IUnaryOperation unary)
        {
            if (unary.IsLifted) throw Fail(unary, "operators on nullable values are not supported");
            var operand = Expr(unary.Operand);
            LambdaUnaryOperator op = unary.OperatorKind switch
            {
                UnaryOperatorKind.Plus => LambdaUnaryOperator.Plus,
                UnaryOperatorKind.Minus => LambdaUnaryOperator.Minus,
                UnaryOperatorKind.BitwiseNegation => LambdaUnaryOperator.BitwiseNegation,
                UnaryOperatorKind.Not => LambdaUnaryOperator.Not,
                UnaryOperatorKind.True => LambdaUnaryOperator.True,
                UnaryOperatorKind.False => LambdaUnaryOperator.False,
                _ => throw Fail(unary, $"the operator {unary.OperatorKind} is not supported"),
            };
            if (unary.OperatorMethod != null)
            {
                var member = Member(unary.OperatorMethod, unary);
                return new UnaryNode(op, member.ParameterTypes[0], unary.IsChecked, operand, member);
            }
            return new UnaryNode(op, TypeOf(ClrNames.EnumOrSelf(unary.Operand.Type), unary), unary.IsChecked, operand);
        }

        private LambdaNode Conversion(IConversionOperation conversion)
        {
            var operand = conversion.Operand;
            if (operand is IAnonymousFunctionOperation || operand is IDelegateCreationOperation)
                return NestedLambda(operand is IAnonymousFunctionOperation ? conversion : operand);
            var inner = Expr(operand);
            var target = ClrNames.EnumOrSelf(conversion.Type);
            if (conversion.OperatorMethod != null)
            {
                var member = Member(conversion.OperatorMethod, conversion);
                return new ConvertNode(TypeOf(target, conversion), conversion.IsChecked, !conversion.IsImplicit, inner, member);
            }
            var kind = conversion.GetConversion();
            if (kind.IsNullable) throw Fail(conversion, "nullable value types are not supported at build time");
            if (kind.IsNumeric || kind.IsEnumeration || kind.IsConstantExpression || kind.IsUnboxing || kind.IsIdentity)
            {
                if (ClrNames.IsNumeric(target)) return new ConvertNode(TypeOf(target, conversion), conversion.IsChecked, !conversion.IsImplicit, inner);
                return inner;
            }
            // Boxing, reference, tuple, span and collection-expression conversions keep the value (a span is its array here).
            if (target is INamedTypeSymbol { Name: "ReadOnlySpan" or "Span" } && operand.Type?.SpecialType == SpecialType.System_String)
                throw Fail(conversion, "strings as spans are not supported at build time (call a string overload)");
            return inner;
        }
    }
}
