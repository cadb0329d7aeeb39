// Reads SSE frames from a byte stream, for the tests of server/ and cli/.

export interface ParsedFrame {
  event?: string;
  id?: string;
  data?: unknown;
  retry?: number;
  comment?: string;
}

/** Parses complete SSE frames ("...\n\n") from text. */
export function parseFrames(text: string): ParsedFrame[] {
  return text.split("\n\n").filter((b) => b !== "").map((block) => {
    const frame: ParsedFrame = {};
    for (const line of block.split("\n")) {
      const i = line.indexOf(":");
      const field = line.slice(0, i), value = line.slice(i + 1).replace(/^ /, "");
      if (field === "") frame.comment = value;
      else if (field === "event") frame.event = value;
      else if (field === "id") frame.id = value;
      else if (field === "retry") frame.retry = Number(value);
      else if (field === "data") frame.data = JSON.parse(value);
    }
    return frame;
  });
}

export interface SseReader {
  readonly frames: ParsedFrame[];
  readonly ended: boolean;
  /** Reads until `done` holds for the frames so far (or the stream ends). */
  until(done: (frames: ParsedFrame[]) => boolean): Promise<ParsedFrame[]>;
  /** Reads everything to the end. */
  all(): Promise<ParsedFrame[]>;
  cancel(): Promise<void>;
}

/** Reads frames from a stream until `done(frames)` is true or the stream ends. */
export function sseReader(stream: ReadableStream<Uint8Array>): SseReader {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  const frames: ParsedFrame[] = [];
  let ended = false;
  return {
    frames,
    get ended() {
      return ended;
    },
    /** Reads until `done` holds for the frames so far (or the stream ends). */
    async until(done: (frames: ParsedFrame[]) => boolean): Promise<ParsedFrame[]> {
      while (!done(frames) && !ended) {
        const { value, done: end } = await reader.read();
        if (end) {
          ended = true;
          break;
        }
        buffer += decoder.decode(value, { stream: true });
        const cut = buffer.lastIndexOf("\n\n");
        if (cut >= 0) {
          frames.push(...parseFrames(buffer.slice(0, cut + 2)));
          buffer = buffer.slice(cut + 2);
        }
      }
      return frames;
    },
    /** Reads everything to the end. */
    all(): Promise<ParsedFrame[]> {
      return this.until(() => false);
    },
    cancel: () => reader.cancel(),
  };
}

/** Events (not comments or bare retry hints) of these frames. */
export const eventsOf = (frames: ParsedFrame[]): ParsedFrame[] =>
  frames.filter((f) => f.event !== undefined);
