using System.Collections;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Tracr.Generators.Parsing
{
    /// <summary>Statements of a program body: blocks, declarations, if, loops, switch, return.</summary>
    internal sealed partial class BodyInterpreter
    {
        private enum Flow { Normal, Return, Break, Continue }

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
                            frame.Declare(declarator.Symbol, initializer is null ? null : Evaluate(initializer.Value, frame));
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
                    bool first = true;
                    while (true)
                    {
                        if ((loop.ConditionIsTop || !first) && loop.Condition != null && EvaluateBool(loop.Condition, frame) == loop.ConditionIsUntil) break;
                        first = false;
                        CountIteration(loop, ref iterations);
                        var flow = Execute(loop.Body, frame);
                        if (flow == Flow.Return) return flow;
                        if (flow == Flow.Break) break;
                    }
                    return Flow.Normal;
                }

                case IForEachLoopOperation loop:
                {
                    if (!(loop.LoopControlVariable is IVariableDeclaratorOperation variable))
                        throw Unsupported(loop.LoopControlVariable, "a deconstructing foreach");
                    var collection = loop.Collection is IConversionOperation { IsImplicit: true } c ? c.Operand : loop.Collection;
                    var items = Evaluate(collection, frame) switch
                    {
                        RaspList list => list.Items.ToArray(),
                        IEnumerable sequence => sequence.Cast<object?>().ToArray(),
                        _ => throw NotConstant(collection, "only collections known at build time can be iterated"),
                    };
                    int iterations = 0;
                    foreach (var item in items)
                    {
                        CountIteration(loop, ref iterations);
                        // Each iteration has its own variable (C# 5+), which lambdas created in the body capture.
                        frame.Declare(variable.Symbol, ConvertItem(item, variable.Symbol.Type));
                        var flow = Execute(loop.Body, frame);
                        if (flow == Flow.Return) return flow;
                        if (flow == Flow.Break) break;
                    }
                    return Flow.Normal;
                }

                case ISwitchOperation switchStatement when IsPure(switchStatement.Value):
                {
                    // The section is chosen by the same pattern semantics as in lambdas: evaluated as `value is pattern`.
                    var value = Evaluate(switchStatement.Value, frame);
                    foreach (var section in switchStatement.Cases)
                    {
                        bool match = section.Clauses.Any(clause => Matches(clause, value, switchStatement.Value.Type, frame));
                        if (!match) continue;
                        foreach (var statement in section.Body)
                        {
                            var flow = Execute(statement, frame);
                            if (flow == Flow.Break) return Flow.Normal;
                            if (flow != Flow.Normal) return flow;
                        }
                        return Flow.Normal;
                    }
                    var fallback = switchStatement.Cases.FirstOrDefault(s => s.Clauses.Any(cl => cl is IDefaultCaseClauseOperation));
                    if (fallback is null) return Flow.Normal;
                    foreach (var statement in fallback.Body)
                    {
                        var flow = Execute(statement, frame);
                        if (flow == Flow.Break) return Flow.Normal;
                        if (flow != Flow.Normal) return flow;
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

        private bool Matches(ICaseClauseOperation clause, object? value, ITypeSymbol? type, Frame frame)
        {
            switch (clause)
            {
                case IDefaultCaseClauseOperation _:
                    return false;
                case ISingleValueCaseClauseOperation single:
                    return Equals(value, Evaluate(single.Value, frame));
                case IPatternCaseClauseOperation pattern when pattern.Pattern is IConstantPatternOperation constant && pattern.Guard is null:
                    return Equals(value, Evaluate(constant.Value, frame));
                default:
                    throw Unsupported(clause, "this case label in a program body (constants and default are supported; use if/else or a switch expression for patterns)");
            }
        }

        private static void CountIteration(IOperation loop, ref int iterations)
        {
            if (++iterations > MaxLoopIterations)
                throw new EvaluationError(Descriptors.EvaluationLimit, loop.Syntax, $"This loop ran more than {MaxLoopIterations:N0} times at build time; loops in a RASP program need small constant bounds");
        }

        private bool EvaluateBool(IOperation operation, Frame frame) =>
            Evaluate(operation, frame) is bool b ? b : throw NotConstant(operation, "a condition must be a bool known at build time");

        /// <summary>A foreach item as the loop variable's type (<c>foreach (int c in "abc")</c> converts each char).</summary>
        private static object? ConvertItem(object? item, ITypeSymbol type) =>
            ClrNames.IsNumeric(type) && ClrNames.Of(ClrNames.EnumOrSelf(type)) is { } target ? Tracr.Lambdas.CSharpSemantics.Convert(item, target.Name, false) : item;
    }
}
