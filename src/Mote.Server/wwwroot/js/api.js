// The OpenAI API as the page uses it: the model list and streamed chat completions. Every failure becomes an
// ApiError whose message can be shown as it is: the server's own error message for an HTTP error, or a plain
// sentence for a network failure, a broken stream or a stream cut short. Stopping (abort) is left as the
// AbortError it is, so the caller can tell "stopped" from "failed".
import { readEvents } from './sse.js';

export class ApiError extends Error {
  constructor(message, { status = 0, type = '', code = '' } = {}) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.type = type;
    this.code = code;
  }
}

function headers(apiKey, json) {
  const result = { Accept: json ? 'text/event-stream' : 'application/json' };
  if (json) result['Content-Type'] = 'application/json';
  if (apiKey) result.Authorization = `Bearer ${apiKey}`;
  return result;
}

async function send(url, init) {
  try {
    return await fetch(url, init);
  } catch (e) {
    if (init.signal?.aborted) throw init.signal.reason ?? e;
    throw new ApiError('Could not reach the server (network error). Is mote serve still running?', { type: 'network' });
  }
}

/** The error of a non-2xx answer, from the OpenAI error object when there is one. */
async function failure(response) {
  let message = `The server answered ${response.status} ${response.statusText}`.trim();
  let type = '';
  let code = '';
  try {
    const body = await response.json();
    if (body?.error?.message) {
      message = String(body.error.message);
      type = body.error.type ?? '';
      code = body.error.code ?? '';
    }
  } catch {
    // Not JSON: the status line says enough.
  }
  return new ApiError(message, { status: response.status, type, code });
}

/** The ids of the models the server offers (`GET /v1/models`). */
export async function listModels({ apiKey, signal } = {}) {
  const response = await send('v1/models', { headers: headers(apiKey, false), signal });
  if (!response.ok) throw await failure(response);
  const body = await response.json();
  return (body.data ?? []).map((m) => m.id).filter((id) => typeof id === 'string');
}

/**
 * Streams one chat completion. Yields `{ content }` for each piece of text, `{ finishReason }` and `{ usage }`
 * as they come; returns after `data: [DONE]`.
 */
export async function* streamChat({ model, messages, maxTokens, apiKey, signal }) {
  const request = { model, messages, stream: true, stream_options: { include_usage: true } };
  if (maxTokens > 0) request.max_tokens = maxTokens;
  const body = JSON.stringify(request);
  const response = await send('v1/chat/completions', { method: 'POST', headers: headers(apiKey, true), body, signal });
  if (!response.ok) throw await failure(response);
  if (!response.body) throw new ApiError('The server answered without a body.', { status: response.status });

  let complete = false;
  try {
    for await (const data of readEvents(response.body)) {
      if (data === '[DONE]') {
        complete = true;
        break;
      }
      const chunk = parse(data);
      // An error after the stream began arrives as an event of its own (and no [DONE]).
      if (chunk.error) throw new ApiError(String(chunk.error.message ?? 'The reply failed.'), chunk.error);
      const choice = chunk.choices?.[0];
      if (typeof choice?.delta?.content === 'string' && choice.delta.content !== '') yield { content: choice.delta.content };
      if (choice?.finish_reason) yield { finishReason: choice.finish_reason };
      if (chunk.usage) yield { usage: chunk.usage };
    }
  } catch (e) {
    if (signal?.aborted) throw signal.reason ?? e;
    if (e instanceof ApiError) throw e;
    throw new ApiError('The connection broke while the reply was streaming.', { type: 'network' });
  }
  if (!complete) throw new ApiError('The reply ended before it was complete (the server never sent [DONE]).', { type: 'incomplete' });
}

function parse(data) {
  try {
    return JSON.parse(data);
  } catch {
    throw new ApiError('The server sent an event that is not JSON.', { type: 'stream' });
  }
}
