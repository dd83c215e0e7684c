// Server-Sent Events from a fetch() body: yields the data of each event as a string. EventSource cannot POST or be
// aborted mid-stream with a body, so the page reads the ReadableStream itself. Follows the SSE framing rules that
// matter here: fields per line (LF or CRLF), "data" lines joined with "\n", comments (":") ignored, an event ends at
// a blank line.

/** Reads `body` (a ReadableStream of bytes) and yields each event's data. Cancels the stream when the caller stops. */
export async function* readEvents(body) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  let data = [];
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      let end;
      while ((end = buffer.indexOf('\n')) >= 0) {
        const line = buffer.charCodeAt(end - 1) === 13 ? buffer.slice(0, end - 1) : buffer.slice(0, end);
        buffer = buffer.slice(end + 1);
        if (line === '') {
          if (data.length > 0) yield data.join('\n');
          data = [];
        } else if (line.startsWith('data:')) {
          data.push(line.startsWith('data: ') ? line.slice(6) : line.slice(5));
        }
        // Other fields (event, id, retry) and comments carry nothing the chat needs.
      }
    }
    // A last event without its blank line still counts (the stream ended right after it).
    if (buffer.startsWith('data:')) data.push(buffer.startsWith('data: ') ? buffer.slice(6) : buffer.slice(5));
    if (data.length > 0) yield data.join('\n');
  } finally {
    // Ends the HTTP response when the consumer stops early (Stop button, error) instead of leaving it open.
    reader.cancel().catch(() => {});
  }
}
