// The public types of Tracr.Compiler.dll, declared in one place.
//
// The compiler's sources are compiled twice: into Tracr.Compiler.dll (net10.0 and netstandard2.0), where these
// types are the public API, and into the source generator (src/Tracr.Generators links every file), where they must
// be internal: a generator assembly that exposed them would give a project referencing it a second copy of every
// DSL type. So the type declarations carry no access modifier (internal by default) and are `partial`; this file,
// compiled only where TRACR_PUBLIC_API is defined (Tracr.Compiler.csproj), adds the `public` part. Enums cannot be
// partial: they write `#if TRACR_PUBLIC_API public #endif` in front of `enum`, as the Regex generator does for
// RegexOptions. Every other type is written `internal` explicitly.
// PublicAPI.Unshipped.txt (PublicApiAnalyzers, RS0016/RS0017 errors) lists the members; docs/architecture.md#public-api.
#if TRACR_PUBLIC_API
using System.ComponentModel;

namespace Tracr
{
    // The RASP DSL (Rasp/): expressions, values, the library of programs and the evaluator.
    public partial class RaspExpr;
    public partial class RaspExprExtensions;
    // SOp's == and != build expressions (RaspExpr.cs): Equals and GetHashCode keep reference semantics.
#pragma warning disable CS0660, CS0661
    public partial class SOp;
#pragma warning restore CS0660, CS0661
    public partial class TokensType;
    public partial class IndicesType;
    public partial class LengthType;
    public partial class Map;
    public partial class SequenceMap;
    public partial class LinearSequenceMap;
    public partial class Full;
    public partial class ConstantSOp;
    public partial class SelectorWidth;
    public partial class Aggregate;
    public partial class Selector;
    public partial class Predicate;
    public partial class Select;
    public partial class ConstantSelector;
    public partial class SelectorAnd;
    public partial class SelectorOr;
    public partial class SelectorNot;
    public partial struct Value;
    public partial class Rasp;
    public partial class Library;

    // The compiler (Compiler/): entry point, options, errors and the compiled model with every stage.
    public partial class RaspCompiler;
    public partial class CompilerOptions;
    public partial class CompiledModel;
    public partial class UnsupportedExpression;
    public partial class RaspCompilationException;

    // Runs (Transformer/Runs/): what one forward pass computed, on every path.
    public partial class ModelRun<TOutput>;
    public partial class AttentionPattern;
}

namespace Tracr.Compiler
{
    // Inspection: the program graph (rasp_to_graph).
    public partial class ProgramGraph;
    public partial class GraphNode;
}

namespace Tracr.Craft
{
    // Inspection: the craft blocks and model (expr_to_craft, craft_graph_to_model).
    public partial class BasisDirection;
    public partial class VectorSpace;
    public partial class Linear;
    public partial class ScalarBilinear;
    public partial class CraftBlock;
    public partial class AttentionHead;
    public partial class Mlp;
    public partial class AttentionThenMlp;
    public partial class CraftLayer;
    public partial class AttentionLayer;
    public partial class MlpLayer;
    public partial class CraftModel;
}

namespace Tracr.Transformer
{
    // Inspection: the assembled transformer's weights.
    public partial class AssembledTransformer;
    public partial class TransformerLayer;
    public partial class HeadWeights;
    public partial class MlpWeights;
}

namespace Tracr.Generated
{
    // Called by generated code, not by people: public so that the user's assembly can call them, hidden from
    // IntelliSense as the Regex generator hides RegexRunner. The runtime's part of this namespace is in Tracr.dll.
    [EditorBrowsable(EditorBrowsableState.Never)] public partial class PackedModel;
    [EditorBrowsable(EditorBrowsableState.Never)] public partial class PackedBlock;
    [EditorBrowsable(EditorBrowsableState.Never)] public partial class PackedAttention;
    [EditorBrowsable(EditorBrowsableState.Never)] public partial class PackedHead;
    [EditorBrowsable(EditorBrowsableState.Never)] public partial class PackedMlp;
    [EditorBrowsable(EditorBrowsableState.Never)] public partial class RunMatrix;
}
#endif
