using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using Tracr.Lambdas;

namespace Tracr.Generators.Parsing
{
    /// <summary>Statements: blocks, locals, if/else, loops, switch, break/continue, return, throw.</summary>
    internal sealed partial class LambdaTranslator
    {
        private LambdaStatement Statement(IOperation operation)
        {
            if (operation is IInvalidOperation) throw new InvalidCodeException();
            switch (operation)
            {
                case IBlockOperation block:
                    return new BlockStatement(block.Operations.Select(Statement).ToArray());

                case IVariableDeclarationGroupOperation group:
                {
                    var statements = new List<LambdaStatement>();
                    foreach (var declaration in group.Declarations)
                        foreach (var declarator in declaration.Declarators)
                        {
                            var initializer = declarator.GetVariableInitializer();
                            var value = initializer is null ? Default(declarator.Symbol.Type, declarator) : Expr(initializer.Value);
                            statements.Add(new ExpressionStatement(new AssignNode(_scope.Add(declarator.Symbol, declarator.Symbol.Name), value)));
                        }
                    return statements.Count == 1 ? statements[0] : new BlockStatement(statements.ToArray());
                }

                case IExpressionStatementOperation expression:
                    return new ExpressionStatement(Expr(expression.Operation));

                case IReturnOperation ret:
                    return new ReturnStatement(ret.ReturnedValue is null ? null : Expr(ret.ReturnedValue));

                case IConditionalOperation conditional:
                    return new IfStatement(Expr(conditional.Condition), Statement(conditional.WhenTrue),
                        conditional.WhenFalse is null ? null : Statement(conditional.WhenFalse));

                case IWhileLoopOperation loop:
                {
                    var condition = loop.Condition is null ? null : Expr(loop.Condition);
                    if (condition != null && loop.ConditionIsUntil) condition = Not(condition);
                    return new LoopStatement(condition, loop.ConditionIsTop, Statement(loop.Body));
                }

                case IForLoopOperation loop:
                {
                    var before = loop.Before.Select(Statement).ToList();
                    var condition = loop.Condition is null ? null : Expr(loop.Condition);
                    before.Add(new LoopStatement(condition, true, Statement(loop.Body), loop.AtLoopBottom.Select(Statement).ToArray()));
                    return new BlockStatement(before.ToArray());
                }

                case IForEachLoopOperation loop:
                    return ForEach(loop);

                case IBranchOperation branch when branch.BranchKind == BranchKind.Break:
                    return new JumpStatement(isBreak: true);
                case IBranchOperation branch when branch.BranchKind == BranchKind.Continue:
                    return new JumpStatement(isBreak: false);

                case ISwitchOperation switchStatement:
                    return Switch(switchStatement);

                case ILocalFunctionOperation _:
                case IEmptyOperation _:
                    return new BlockStatement();

                default:
                    throw Fail(operation, $"the statement {BodyInterpreter.Describe(operation)} is not supported (locals, assignments, if/else, switch, for, foreach, while, do, break, continue, return and throw are)");
            }
        }

        private LambdaStatement ForEach(IForEachLoopOperation loop)
        {
            if (!(loop.LoopControlVariable is IVariableDeclaratorOperation variable))
                throw Fail(loop.LoopControlVariable, "a deconstructing foreach is not supported (use a variable and its Item1, Item2 or Key, Value)");
            // The collection as enumerated: without the conversion to IEnumerable that C# adds.
            var collection = loop.Collection is IConversionOperation { IsImplicit: true } c ? c.Operand : loop.Collection;
            var elementType = ElementType(collection.Type);
            int slot = _scope.Add(variable.Symbol, variable.Symbol.Name);
            var body = Statement(loop.Body);
            if (elementType is null || SymbolEqualityComparer.Default.Equals(elementType, variable.Symbol.Type) || !ClrNames.IsNumeric(variable.Symbol.Type))
                return new ForEachStatement(slot, Expr(collection), body);
            // foreach (int c in "abc"): each item is converted to the variable's type as by an explicit cast.
            int item = NewTemp("item");
            var convert = new ExpressionStatement(new AssignNode(slot, new ConvertNode(ClrNames.Of(variable.Symbol.Type)!, false, true, new LocalNode(item))));
            return new ForEachStatement(item, Expr(collection), new BlockStatement(convert, body));
        }

        private static ITypeSymbol? ElementType(ITypeSymbol? type)
        {
            if (type is IArrayTypeSymbol array) return array.ElementType;
            if (type?.SpecialType == SpecialType.System_String) return type.ContainingAssembly?.GetTypeByMetadataName("System.Char");
            if (type is INamedTypeSymbol named)
                foreach (var i in new[] { named }.Concat(named.AllInterfaces))
                    if (i.OriginalDefinition.SpecialType == SpecialType.System_Collections_Generic_IEnumerable_T) return i.TypeArguments[0];
            return null;
        }

        private LambdaStatement Switch(ISwitchOperation switchStatement)
        {
            int subject = NewTemp("switch");
            var subjectType = switchStatement.Value.Type;
            var tests = new List<LambdaNode?>();
            var sections = new List<LambdaStatement>();
            foreach (var section in switchStatement.Cases)
            {
                LambdaNode? test = null;
                bool isDefault = false;
                foreach (var clause in section.Clauses)
                {
                    LambdaNode? clauseTest = clause switch
                    {
                        IDefaultCaseClauseOperation _ => null,
                        ISingleValueCaseClauseOperation single => Equality(new LocalNode(subject), subjectType, Expr(single.Value), single),
                        IPatternCaseClauseOperation pattern => pattern.Guard is null
                            ? Pattern(pattern.Pattern, subject, subjectType)
                            : And(Pattern(pattern.Pattern, subject, subjectType), Expr(pattern.Guard)),
                        _ => throw Fail(clause, "this case label is not supported"),
                    };
                    if (clauseTest is null) isDefault = true;
                    else test = test is null ? clauseTest : Or(test, clauseTest);
                }
                tests.Add(isDefault ? null : test);
                sections.Add(new BlockStatement(section.Body.Select(Statement).ToArray()));
            }
            return new SwitchStatement(subject, Expr(switchStatement.Value), tests.ToArray(), sections.ToArray());
        }
    }
}
