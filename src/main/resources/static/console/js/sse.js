// Server-Sent Events over fetch(), so that the request can carry the bearer token
// (EventSource cannot send an Authorization header). Reconnects with Last-Event-ID.

import { token, ApiError, problemOf, notifyUnauthorized } from './api.js';

/** Parses an SSE byte stream into { id, event, data } messages; comments are skipped. */
export function createParser(onMessage) {
  let buffer = '';
  let message = { data: [] };
  return (chunk) => {
    buffer += chunk;
    let newline;
    while ((newline = buffer.search(/\r\n|\r|\n/)) >= 0) {
      // A CR at the end of a chunk may be the first half of a CRLF: wait for the next chunk.
      if (buffer[newline] === '\r' && newline === buffer.length - 1) break;
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + (buffer.startsWith('\r\n', newline) ? 2 : 1));
      if (line === '') {
        if (message.data.length) onMessage({ id: message.id, event: message.event || 'message', data: message.data.join('\n') });
        message = { data: [] };
      } else if (!line.startsWith(':')) {
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'data') message.data.push(value);
        else if (field === 'event') message.event = value;
        else if (field === 'id') message.id = value;
      }
    }
  };
}

/**
 * Keeps a stream open until signal aborts. onOpen(response) runs on each connection; a 401 or 403
 * stops; other failures retry after a pause (onError is told).
 */
export async function stream(path, { signal, onMessage, onOpen = () => {}, onError = () => {}, lastEventId }) {
  let lastId = lastEventId;
  while (!signal.aborted) {
    try {
      const headers = { Accept: 'text/event-stream', Authorization: `Bearer ${token()}` };
      if (lastId) headers['Last-Event-ID'] = lastId;
      const response = await fetch(path, { headers, signal });
      if (!response.ok) throw new ApiError(response.status, await problemOf(response));
      onOpen(response);
      const parse = createParser((message) => {
        if (message.id) lastId = message.id;
        onMessage(message);
      });
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        parse(value);
      }
    } catch (error) {
      if (signal.aborted) return;
      if (error instanceof ApiError && error.status === 401) {
        notifyUnauthorized();
        return;
      }
      if (error instanceof ApiError && error.status === 400 && lastId) lastId = undefined;
      onError(error);
      // Without the permission, retrying cannot help.
      if (error instanceof ApiError && error.status === 403) return;
    }
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
}
