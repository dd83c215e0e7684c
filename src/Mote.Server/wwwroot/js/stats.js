// Speed of one reply: tokens, tokens per second and time to the first token. The token count comes from the
// server's usage when it sends one (stream_options.include_usage), otherwise from the number of content chunks
// (one token per chunk is what llama.cpp-style servers send).

export class ReplyTimer {
  constructor(now = () => performance.now()) {
    this.now = now;
    this.started = now();
    this.firstAt = 0;
    this.lastAt = 0;
    this.chunks = 0;
  }

  /** Called for every content chunk as it arrives. */
  chunk() {
    const t = this.now();
    if (this.chunks === 0) this.firstAt = t;
    this.lastAt = t;
    this.chunks++;
  }

  /** The figures so far; `usage` is the server's usage object when it sent one. */
  result(usage) {
    const fromUsage = Number.isInteger(usage?.completion_tokens);
    const tokens = fromUsage ? usage.completion_tokens : this.chunks;
    // Decoding speed: the tokens after the first over the time they took (the first one waits for the prompt).
    const span = (this.lastAt - this.firstAt) / 1000;
    let perSecond = 0;
    if (tokens > 1 && span > 0) perSecond = (tokens - 1) / span;
    else if (tokens > 0 && this.lastAt > this.started) perSecond = tokens / ((this.lastAt - this.started) / 1000);
    return {
      tokens,
      tokensPerSecond: perSecond,
      firstTokenMs: this.chunks > 0 ? this.firstAt - this.started : null,
      fromUsage,
    };
  }
}
