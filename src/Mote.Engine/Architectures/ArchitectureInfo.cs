namespace Mote.Engine.Architectures;

/// <summary>
/// The facts that distinguish a model family, as one row of <see cref="ArchitectureRegistry"/>. Every family
/// in the registry shares the pre-norm decoder block (RMSNorm → attention → residual → RMSNorm → SwiGLU →
/// residual); what differs is data, not code.
/// </summary>
/// <param name="Name">The <c>general.architecture</c> value, also the prefix of its hyper-parameter keys.</param>
/// <param name="Rope">How RoPE rotates pairs of dimensions.</param>
/// <param name="AttentionBiases">Q, K and V projections carry bias vectors (<c>attn_q.bias</c>, ...).</param>
public sealed record ArchitectureInfo(string Name, RopeStyle Rope, bool AttentionBiases);
