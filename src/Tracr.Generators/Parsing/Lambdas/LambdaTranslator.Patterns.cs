using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using Tracr.Lambdas;

namespace Tracr.Generators.Parsing
{
    /// <summary>Patterns (<c>is</c>, switch arms and case labels) and switch expressions.</summary>
    internal sealed partial class LambdaTranslator
    {
        /// <summary>The test a pattern makes on the value in <paramref name="subject"/> (a bool expression).</summary>
        private LambdaNode Pattern(IPatternOperation pattern, int subject, ITypeSymbol? subjectType)
        {
            var value = new LocalNode(subject);
            switch (pattern)
            {
                case IDiscardPatternOperation _:
                    return new ConstantNode(true, TypeRef.Boolean);
                case IConstantPatternOperation constant:
                    return Equality(value, subjectType, Expr(constant.Value), pattern);
                case IRelationalPatternOperation relational:
                {
                    var op = OperatorOf(relational.OperatorKind) ?? throw Fail(pattern, "this relational pattern is not supported");
                    return new BinaryNode(op, TypeOf(ClrNames.EnumOrSelf(subjectType), pattern), false, value, Expr(relational.Value));
                }
                case IBinaryPatternOperation binary:
                {
                    var left = Pattern(binary.LeftPattern, subject, subjectType);
                    var right = Pattern(binary.RightPattern, subject, subjectType);
                    return binary.OperatorKind == BinaryOperatorKind.Or ? Or(left, right) : And(left, right);
                }
                case INegatedPatternOperation negated:
                    return Not(Pattern(negated.Pattern, subject, subjectType));
                case IDeclarationPatternOperation declaration:
                {
                    int slot = declaration.DeclaredSymbol is ILocalSymbol local ? DeclareSlot(local) : -1;
                    if (declaration.MatchesNull)
                        return new SequenceNode(slot >= 0 ? new AssignNode(slot, value) : (LambdaNode)value, new ConstantNode(true, TypeRef.Boolean));
                    return new IsTypeNode(value, TypeOf(declaration.MatchedType, pattern), slot);
                }
                case ITypePatternOperation type:
                    return new IsTypeNode(value, TypeOf(type.MatchedType, pattern));
                default:
                    throw Fail(pattern, $"the pattern '{pattern.Syntax}' is not supported (constants, relational, and/or/not, type and var patterns and _ are)");
            }
        }

        /// <summary><c>subject == constant</c> with C#'s pattern meaning: null tests for null, numbers compare in the subject's type, strings ordinally.</summary>
        private LambdaNode Equality(LambdaNode subject, ITypeSymbol? subjectType, LambdaNode constant, IOperation where)
        {
            if (constant is ConstantNode { Value: null }) return new BinaryNode(LambdaOperator.Equals, TypeRef.Object, false, subject, constant);
            var type = ClrNames.EnumOrSelf(subjectType);
            if (type is null || type.SpecialType == SpecialType.System_Object)
                throw Fail(where, "constant patterns on an object are not supported (match a typed value)");
            if (Symbols.IsTracrType(type, "Value")) throw Fail(where, "a Value cannot be matched against a constant pattern (compare with ==)");
            return new BinaryNode(LambdaOperator.Equals, TypeOf(type, where), false, subject, constant);
        }

        private LambdaNode SwitchExpression(ISwitchExpressionOperation switchExpression)
        {
            int subject = NewTemp("switch");
            var subjectType = switchExpression.Value.Type;
            // No arm matching throws, as C# does (SwitchExpressionException is an InvalidOperationException).
            var noMatch = new MemberRef(new TypeRef("System.InvalidOperationException"), ".ctor", MemberKind.Constructor, new[] { TypeRef.String });
            LambdaNode result = new ThrowNode(new CallNode(noMatch, null, new ConstantNode("The switch expression does not handle this value.", TypeRef.String)));
            foreach (var arm in switchExpression.Arms.Reverse())
            {
                var test = Pattern(arm.Pattern, subject, subjectType);
                if (arm.Guard != null) test = And(test, Expr(arm.Guard));
                result = test is ConstantNode { Value: true } ? Expr(arm.Value) : new ConditionalNode(test, Expr(arm.Value), result);
            }
            return new SequenceNode(new AssignNode(subject, Expr(switchExpression.Value)), result);
        }
    }
}
