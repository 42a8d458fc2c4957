using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using Tracr.Generators.Model;
using Tracr.Lambdas;

namespace Tracr.Generators.Parsing
{
    /// <summary>The recipe: the DSL calls of a body as data, and the lambdas they take (translated once the method has returned).</summary>
    internal sealed partial class BodyInterpreter
    {
        private readonly List<RecipeStep> _steps = new List<RecipeStep>();
        private readonly List<LocationOrNone> _locations = new List<LocationOrNone>();
        private readonly List<PendingLambda> _pending = new List<PendingLambda>();

        public IReadOnlyList<RecipeStep> Steps => _steps;
        public IReadOnlyList<LocationOrNone> Locations => _locations;

        private object AddStep(RecipeStep step, SyntaxNode? syntax)
        {
            if (_steps.Count >= MaxSteps)
                throw new EvaluationError(Descriptors.EvaluationLimit, syntax, $"The program builds more than {MaxSteps:N0} RASP expressions");
            _steps.Add(step);
            _locations.Add(new LocationOrNone(LocationInfo.From(syntax)));
            return new StepRef(_steps.Count - 1);
        }

        private PendingLambda Pending(IOperation target, Frame frame)
        {
            var lambda = new PendingLambda(target, frame.Capture(), _pending.Count);
            _pending.Add(lambda);
            return lambda;
        }

        /// <summary>Turns every lambda the recipe holds into data and puts it in place of its placeholder.</summary>
        private void TranslateLambdas()
        {
            if (_pending.Count == 0) return;
            var translated = new LambdaFunction?[_pending.Count];
            for (int i = 0; i < _steps.Count; i++)
            {
                var step = _steps[i];
                if (!step.Args.Any(NeedsLambda)) continue;
                _steps[i] = step with { Args = step.Args.Select(Fill).ToEquatableArray() };
            }

            bool NeedsLambda(RecipeArg arg) => (arg.Kind == RecipeArgKind.Lambda && arg.Lambda is null) || (arg.Kind == RecipeArgKind.Array && arg.Items.Any(NeedsLambda));

            RecipeArg Fill(RecipeArg arg)
            {
                if (arg.Kind == RecipeArgKind.Array) return arg with { Items = arg.Items.Select(Fill).ToEquatableArray() };
                if (arg.Kind != RecipeArgKind.Lambda || arg.Lambda != null) return arg;
                var pending = _pending[arg.Step];
                var lambda = translated[arg.Step] ??= LambdaTranslator.Lambda(pending.Target, this, pending.Captured);
                return RecipeArg.FromLambda(lambda);
            }
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
                case PendingLambda lambda:
                    // A placeholder until the method has returned (TranslateLambdas).
                    return new RecipeArg(RecipeArgKind.Lambda, default, lambda.Index, null, EquatableArray<RecipeArg>.Empty);
                case RaspList list:
                {
                    var element = ElementType(type);
                    return RecipeArg.FromItems(list.Items.Select(i => ToArg(i, element, where)).ToEquatableArray());
                }
                case Value v:
                    return RecipeArg.FromScalar(v);
                case Delegate _:
                    throw NotConstant(where, "a delegate computed at build time cannot be passed to the RASP DSL (pass the lambda itself)");
            }
            if (type?.TypeKind == TypeKind.Enum) return RecipeArg.FromEnum(Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture));
            if (value is string || value is bool || value is char || value.GetType().IsPrimitive || value is decimal)
            {
                try
                {
                    return RecipeArg.FromScalar(Value.From(value));
                }
                catch (ArgumentException e)
                {
                    throw NotConstant(where, e.Message);
                }
            }
            if (value is IEnumerable sequence && !(value is string))
            {
                var element = ElementType(type);
                return RecipeArg.FromItems(sequence.Cast<object?>().Select(i => ToArg(i, element, where)).ToEquatableArray());
            }
            throw NotConstant(where, $"a {value.GetType().Name} cannot be passed to the RASP DSL");
        }

        internal static ITypeSymbol? ElementType(ITypeSymbol? type) => type switch
        {
            IArrayTypeSymbol array => array.ElementType,
            INamedTypeSymbol named when named.TypeArguments.Length == 1 => named.TypeArguments[0],
            _ => null,
        };
    }
}
