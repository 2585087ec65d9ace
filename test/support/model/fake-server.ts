// A local OpenAI-compatible server for tests: POST .../chat/completions on 127.0.0.1 with
// usage in its answers, scripted failures (status codes with headers, hung connections,
// malformed bodies, resets, slow answers) and counters (requests, in flight, peak in flight).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

export interface ChatBody {
  model: string;
  messages: Array<{ role: string; content: string }>;
  temperature?: number;
  top_p?: number;
  max_tokens?: number;
  seed?: number;
  stop?: string[];
  n?: number;
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
}

export type FakeReply =
  | { kind: "ok"; text?: string; delayMs?: number; finishReason?: string }
  | { kind: "status"; status: number; body?: unknown; headers?: Record<string, string>; delayMs?: number }
  | { kind: "hang" } // accept the request, never answer
  | { kind: "malformed" } // 200, application/json, a body that is not JSON
  | { kind: "reset" }; // destroy the socket without an answer

export interface FakeServerOptions {
  /** Reply for requests not covered by queued replies; default: an "ok" echo. */
  handler?: (body: ChatBody, index: number) => FakeReply | Promise<FakeReply>;
  /** Delay of default "ok" replies, ms. */
  delayMs?: number;
  /** Served names GET /models lists (default: the names our tests use). */
  models?: string[];
}

const DEFAULT_MODELS = ["fake", "default", "local-test", "test-model"];

const tokens = (text: string): number => Math.ceil(text.length / 4);

export class FakeOpenAIServer {
  /** Bodies of every request received, in arrival order. */
  readonly bodies: ChatBody[] = [];
  /** Authorization header of every request. */
  readonly authHeaders: Array<string | undefined> = [];
  inFlight = 0;
  maxInFlight = 0;
  /** While true every request (chat and GET /models) gets a 503: a server that is down but listening. */
  down = false;
  /** GET /models requests received (health probes). */
  probes = 0;
  /** Chat requests received, those answered 503 while down included. */
  chatRequests = 0;
  private queued: FakeReply[] = [];
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private port = 0;

  constructor(private readonly opts: FakeServerOptions = {}) {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.on("connection", (s) => {
      this.sockets.add(s);
      s.on("close", () => this.sockets.delete(s));
    });
  }

  get requests(): number {
    return this.bodies.length;
  }
  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}/v1`;
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  /** Replies for the next requests, in order; later requests fall back to the handler. */
  queue(...replies: FakeReply[]): this {
    this.queued.push(...replies);
    return this;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    if (req.method === "GET" && req.url?.endsWith("/models")) {
      this.probes++;
      res.writeHead(this.down ? 503 : 200, { "content-type": "application/json" });
      res.end(
        JSON.stringify(
          this.down
            ? { error: { message: "down" } }
            : { object: "list", data: (this.opts.models ?? DEFAULT_MODELS).map((id) => ({ id, object: "model" })) },
        ),
      );
      return;
    }
    if (req.url?.endsWith("/chat/completions")) this.chatRequests++;
    if (this.down) {
      res.writeHead(503, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { message: "fake server down" } }));
      return;
    }
    if (req.method !== "POST" || !req.url?.endsWith("/chat/completions")) {
      res.writeHead(404, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { message: `no route ${req.method} ${req.url}` } }));
      return;
    }
    const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as ChatBody;
    const index = this.bodies.length;
    this.bodies.push(body);
    this.authHeaders.push(req.headers.authorization);
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    let finished = false;
    const done = () => {
      if (!finished) {
        finished = true;
        this.inFlight--;
      }
    };
    res.on("close", done);
    const reply = this.queued.shift() ??
      (await this.opts.handler?.(body, index)) ?? { kind: "ok", delayMs: this.opts.delayMs };
    await this.send(reply, body, index, res);
  }

  private async send(reply: FakeReply, body: ChatBody, index: number, res: ServerResponse): Promise<void> {
    const wait = (ms?: number) => (ms ? new Promise((r) => setTimeout(r, ms)) : Promise.resolve());
    switch (reply.kind) {
      case "hang":
        return; // the socket stays open until the client gives up or close()
      case "reset":
        res.socket?.destroy();
        return;
      case "malformed":
        res.writeHead(200, { "content-type": "application/json" });
        res.end('{"id": "cmpl-1", "choices": [');
        return;
      case "status":
        await wait(reply.delayMs);
        res.writeHead(reply.status, { "content-type": "application/json", ...reply.headers });
        res.end(JSON.stringify(reply.body ?? { error: { message: `fake status ${reply.status}`, type: "fake" } }));
        return;
      case "ok": {
        await wait(reply.delayMs);
        const last = body.messages[body.messages.length - 1]?.content ?? "";
        const text =
          reply.text ?? `echo(${last}) temperature=${body.temperature} seed=${body.seed ?? "none"} request=${index}`;
        const promptTokens = body.messages.reduce((s, m) => s + tokens(m.content), 0);
        const n = body.n ?? 1;
        const usage = {
          prompt_tokens: promptTokens,
          completion_tokens: n * tokens(text),
          total_tokens: promptTokens + n * tokens(text),
        };
        if (body.stream) {
          // server-sent events: per choice a role chunk, the text, a finish chunk; usage last
          res.writeHead(200, { "content-type": "text/event-stream" });
          const event = (choices: unknown[], extra: object = {}) =>
            res.write(
              `data: ${JSON.stringify({ id: `cmpl-${index}`, object: "chat.completion.chunk", model: body.model, choices, ...extra })}\n\n`,
            );
          for (let i = 0; i < n; i++) {
            event([{ index: i, delta: { role: "assistant", content: "" }, finish_reason: null }]);
            event([{ index: i, delta: { content: text }, finish_reason: null }]);
            event([{ index: i, delta: {}, finish_reason: reply.finishReason ?? "stop" }]);
          }
          if (body.stream_options?.include_usage) event([], { usage });
          res.end("data: [DONE]\n\n");
          return;
        }
        res.writeHead(200, { "content-type": "application/json" });
        res.end(
          JSON.stringify({
            id: `cmpl-${index}`,
            object: "chat.completion",
            created: Math.floor(Date.now() / 1000),
            model: body.model,
            // n choices of the same text (a request for n samples gets n answers)
            choices: Array.from({ length: body.n ?? 1 }, (_, i) => ({
              index: i,
              message: { role: "assistant", content: text },
              finish_reason: reply.finishReason ?? "stop",
            })),
            usage: {
              prompt_tokens: promptTokens,
              completion_tokens: (body.n ?? 1) * tokens(text),
              total_tokens: promptTokens + (body.n ?? 1) * tokens(text),
            },
          }),
        );
      }
    }
  }
}

/** A vLLM-style context-length error body (HTTP 400). */
export const contextLengthError = {
  object: "error",
  message:
    "This model's maximum context length is 32768 tokens. However, you requested 40000 tokens (39000 in the messages, 1000 in the completion). Please reduce the length of the messages or completion.",
  type: "BadRequestError",
  param: null,
  code: 400,
};
