// Talks to the nagare server: JSON requests with the optional bearer token,
// and run event streams that reconnect by themselves without losing or
// duplicating events.

const TOKEN_KEY = "nagare.token";
const FINAL = new Set(["done", "stopped", "failed"]);

/** The token saved for this tab, if the server needs one. */
export function token() {
  return sessionStorage.getItem(TOKEN_KEY) ?? "";
}

/** Saves (or clears) the token for this tab. */
export function setToken(value) {
  if (value) sessionStorage.setItem(TOKEN_KEY, value);
  else sessionStorage.removeItem(TOKEN_KEY);
}

/**
 * Moves a `?token=` of the address (the URL the server prints) into this
 * tab's storage and out of the address bar, so that it stays out of the
 * history; pages send no Referer (Referrer-Policy: no-referrer).
 */
export function adoptUrlToken() {
  const url = new URL(location.href);
  const given = url.searchParams.get("token");
  if (given === null) return;
  setToken(given);
  url.searchParams.delete("token");
  history.replaceState(history.state, "", `${url.pathname}${url.search}${url.hash}`);
}

/** An error from the API, with its JSON error object. */
export class ApiError extends Error {
  constructor(status, error) {
    super(error?.message ?? `HTTP ${status}`);
    this.status = status;
    this.error = error ?? {};
  }
}

/** Fetches JSON from the API; throws ApiError with the server's message. */
export async function api(path, { method = "GET", body } = {}) {
  const headers = { accept: "application/json" };
  if (token()) headers.authorization = `Bearer ${token()}`;
  if (body !== undefined) headers["content-type"] = "application/json";
  const res = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = res.headers.get("content-type")?.includes("json") ? await res.json() : null;
  if (!res.ok) throw new ApiError(res.status, data?.error);
  return data;
}

/**
 * Follows a run's events. EventSource reconnects by itself and sends
 * Last-Event-ID; when it gives up (readyState CLOSED) while the run is not
 * finished, a new one resumes from the last id seen. Ids only grow, so any
 * event at or below the last one seen is a duplicate and is skipped.
 *
 * handlers: { epoch, batch, window, status, end, error, connection(state) }.
 * Returns a function that closes the stream.
 */
export function followRun(id, handlers) {
  let lastId = 0;
  let source;
  let closed = false;
  let retryTimer;

  const url = () => {
    const params = new URLSearchParams();
    if (lastId > 0) params.set("lastEventId", String(lastId));
    if (token()) params.set("token", token()); // EventSource cannot send Authorization
    const query = params.toString();
    return `/api/runs/${encodeURIComponent(id)}/events${query ? `?${query}` : ""}`;
  };

  const close = () => {
    closed = true;
    clearTimeout(retryTimer);
    source?.close();
    handlers.connection?.("closed");
  };

  const on = (type) => (event) => {
    const eventId = Number(event.lastEventId);
    if (!(eventId > lastId)) return; // replayed twice: already have it
    lastId = eventId;
    const data = JSON.parse(event.data);
    handlers[type]?.(data, eventId);
    if (type === "status" && FINAL.has(data.status)) close();
  };

  const open = () => {
    if (closed) return;
    source = new EventSource(url());
    for (const type of ["epoch", "batch", "window", "status", "end"]) {
      source.addEventListener(type, on(type));
    }
    source.addEventListener("open", () => handlers.connection?.("live"));
    source.addEventListener("error", (event) => {
      if (event instanceof MessageEvent && event.data) return on("error")(event); // the run's own error event
      if (closed) return;
      handlers.connection?.("reconnecting");
      if (source.readyState === EventSource.CLOSED) retryTimer = setTimeout(resume, 2000);
      // otherwise EventSource retries by itself, sending Last-Event-ID
    });
  };

  // EventSource gave up (a 204 for a finished run, or an HTTP error): ask the
  // API whether the run is over before opening a new stream.
  const resume = async () => {
    try {
      const run = await api(`/api/runs/${encodeURIComponent(id)}`);
      if (FINAL.has(run.status)) {
        handlers.status?.({ status: run.status }, lastId);
        return close();
      }
    } catch (error) {
      if (error.status === 404) return close(); // the server forgot the run
      // otherwise the server is away: try again below
    }
    if (!closed) open();
  };

  open();
  return close;
}
