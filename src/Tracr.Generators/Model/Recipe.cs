using Tracr.Lambdas;

namespace Tracr.Generators.Model
{
    internal enum RecipeArgKind
    {
        Null,

        /// <summary>A constant (int, double, bool, string, or a RASP <see cref="Tracr.Value"/>); converted to the parameter's type on replay.</summary>
        Scalar,

        /// <summary>The RASP expression built by an earlier step.</summary>
        Step,

        /// <summary>A lambda, as data.</summary>
        Lambda,

        /// <summary>An enum member (e.g. <c>Comparison.LT</c>), by its numeric value.</summary>
        Enum,

        /// <summary>An array or list of arguments.</summary>
        Array,
    }

    /// <summary>One argument of a recipe step. Only the fields of its <see cref="Kind"/> are meaningful.</summary>
    internal sealed record RecipeArg(RecipeArgKind Kind, ValueData Scalar, int Step, LambdaFunction? Lambda, EquatableArray<RecipeArg> Items)
    {
        public static RecipeArg Null { get; } = new RecipeArg(RecipeArgKind.Null, default, -1, null, EquatableArray<RecipeArg>.Empty);

        public static RecipeArg FromScalar(Value v) => new RecipeArg(RecipeArgKind.Scalar, new ValueData(v), -1, null, EquatableArray<RecipeArg>.Empty);

        public static RecipeArg FromStep(int step) => new RecipeArg(RecipeArgKind.Step, default, step, null, EquatableArray<RecipeArg>.Empty);

        public static RecipeArg FromLambda(LambdaFunction f) => new RecipeArg(RecipeArgKind.Lambda, default, -1, f, EquatableArray<RecipeArg>.Empty);

        public static RecipeArg FromEnum(long value) => new RecipeArg(RecipeArgKind.Enum, new ValueData(Value.FromInt(value)), -1, null, EquatableArray<RecipeArg>.Empty);

        public static RecipeArg FromItems(EquatableArray<RecipeArg> items) => new RecipeArg(RecipeArgKind.Array, default, -1, null, items);
    }

    /// <summary>
    /// One call of the RASP DSL or program library, recorded while evaluating a program body at build time:
    /// <see cref="Member"/> names the method, property or operator (see <c>RecipeReplay</c>), and the arguments are data.
    /// Replaying the steps in order rebuilds the program; the last step is the program.
    /// </summary>
    internal sealed record RecipeStep(string Member, EquatableArray<RecipeArg> Args);

    /// <summary>The C# declaration the generated model is added to: namespace and containing types, outermost first.</summary>
    internal sealed record TypeChain(string? Namespace, EquatableArray<string> TypeDeclarations);

    /// <summary>
    /// Everything the expensive compile step needs, and nothing else (no locations, no symbols): equal
    /// inputs give the same generated source, so edits that do not change the program leave it cached.
    /// </summary>
    internal sealed record CompileInput(
        string ProgramName,
        TypeChain Type,
        string ModelName,
        Parsing.ProgramOptions Options,
        EquatableArray<RecipeStep> Steps)
    {
        /// <summary>True when a base type already has a member named <see cref="ModelName"/>: the model hides it with <c>new</c>.</summary>
        public bool HidesBaseMember { get; init; }

        /// <summary>Non-zero weights the model's forward code may unroll (MSBuild property <c>TracrUnrollBudget</c>; 0: the smallest code).</summary>
        public int UnrollBudget { get; init; } = Tracr.Transformer.ForwardCode.DefaultModelBudget;
    }

    /// <summary>
    /// What the attribute transform extracts from one [RaspProgram] method: the compile input (null when the
    /// body could not be evaluated), the location of every step for error reporting, and the diagnostics found so far.
    /// </summary>
    internal sealed record ProgramSpec(
        CompileInput? Input,
        EquatableArray<LocationOrNone> StepLocations,
        LocationInfo? ProgramLocation,
        EquatableArray<DiagnosticInfo> Diagnostics)
    {
        /// <summary>For a program whose body could not be evaluated: the input without steps, to write its placeholder model member from.</summary>
        public CompileInput? Failed { get; init; }
    }

    /// <summary>An optional location that can live in an <see cref="EquatableArray{T}"/>.</summary>
    internal sealed record LocationOrNone(LocationInfo? Location);
}
