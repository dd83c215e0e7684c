namespace Mote.Engine.Hub;

/// <summary>A short name for a GGUF file on the Hugging Face Hub, e.g. <c>smollm2-135m-instruct</c>.</summary>
/// <param name="Name">What users type: <c>mote pull NAME</c>, <c>mote serve --model NAME</c>.</param>
/// <param name="Repository">The Hub repository, <c>owner/name</c>.</param>
/// <param name="File">The GGUF file in that repository.</param>
/// <param name="Description">One line for help and listings.</param>
public sealed record ModelAlias(string Name, string Repository, string File, string Description);
