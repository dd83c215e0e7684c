namespace Mote.Numerics.Kernels;

/// <summary>
/// One weight matrix of a product that shares its input with others (the <see cref="MatMul"/> overload that takes
/// two or three outputs): its address (row 0, stored in the call's type), its rows and where the n × rows results go.
/// </summary>
public readonly record struct MatMulOutput(nint Weights, int Rows, float[] Y);
