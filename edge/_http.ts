// Small HTTP helpers of the edge handler: JSON replies, error replies and a
// body reader that stops at a byte limit. Web-standard APIs only.

/** A request problem that becomes a JSON error reply. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "HttpError";
  }
}

const JSON_HEADERS = { "content-type": "application/json; charset=utf-8" };

/** A JSON reply; `body` may be a ready JSON string. */
export function jsonResponse(
  body: unknown,
  status = 200,
  headers: Record<string, string> = {},
): Response {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  return new Response(text, { status, headers: { ...JSON_HEADERS, ...headers } });
}

/** `{ error: { code, message } }` with the error's status and headers. */
export function errorResponse(error: HttpError): Response {
  return jsonResponse(
    { error: { code: error.code, message: error.message } },
    error.status,
    error.headers,
  );
}

function tooLarge(limit: number): HttpError {
  return new HttpError(
    413,
    "body_too_large",
    `Request body is larger than ${limit} bytes: send fewer rows per request`,
  );
}

/** Reads the body as UTF-8 text, refusing more than `limit` bytes without reading them all. */
export async function readBodyText(req: Request, limit: number): Promise<string> {
  const declared = Number(req.headers.get("content-length") ?? "0");
  if (declared > limit) throw tooLarge(limit);
  if (!req.body) return "";
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      throw tooLarge(limit);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new HttpError(
      400,
      "invalid_json",
      "Request body is not UTF-8 text: send JSON encoded as UTF-8",
    );
  }
}
