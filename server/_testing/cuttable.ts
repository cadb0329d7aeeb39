// Wraps a fetch handler so that a test can drop every open event stream, the
// way a flaky network would.
export interface Cuttable {
  fetch(request: Request): Promise<Response>;
  /** Ends every open event stream (the server side is released); returns how many. */
  cutAll(): number;
  /** Last-Event-ID headers seen on event-stream requests, in order. */
  readonly lastEventIds: string[];
}

export function cuttable(handler: (request: Request) => Response | Promise<Response>): Cuttable {
  const open = new Set<() => void>();
  const lastEventIds: string[] = [];
  return {
    lastEventIds,
    async fetch(request) {
      const response = await handler(request);
      if (!new URL(request.url).pathname.endsWith("/events") || !response.body) return response;
      lastEventIds.push(request.headers.get("last-event-id") ?? "");
      const reader = response.body.getReader();
      let cut = () => {};
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          cut = () => {
            open.delete(cut);
            reader.cancel().catch(() => {}); // the server releases the client
            try {
              controller.close(); // the browser sees the connection end
            } catch { /* already closed */ }
          };
          open.add(cut);
        },
        async pull(controller) {
          const { value, done } = await reader.read();
          try {
            if (done) {
              open.delete(cut);
              controller.close();
            } else controller.enqueue(value);
          } catch { /* cut meanwhile */ }
        },
        cancel: (reason) => {
          open.delete(cut);
          return reader.cancel(reason);
        },
      }, { highWaterMark: 0 });
      return new Response(body, { status: response.status, headers: response.headers });
    },
    cutAll() {
      const all = [...open];
      for (const cut of all) cut();
      return all.length;
    },
  };
}
