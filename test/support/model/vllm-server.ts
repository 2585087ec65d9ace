// A local imitation of vLLM's OpenAI-compatible server (`vllm serve`) for tests and the serving
// benchmark, on 127.0.0.1 with an ephemeral port. Checked against vLLM's source (read, not
// copied): entrypoints/openai/api_server.py, serving_models.py (v0.8.x), serving_engine.py,
// serving_chat.py, protocol.py (v0.10.x). What it imitates:
// - GET /v1/models: {object:"list", data:[ModelCard…]}, one card per served name, each
//   {id, object:"model", created, owned_by:"vllm", root: the checkpoint path given to
//   `vllm serve`, parent:null, max_model_len, permission:[ModelPermission]}. vLLM fills
//   `created` with the time of the GET (pydantic default_factory), NOT a checkpoint time: by
//   default so does this (option `created` pins it). GET /health → 200, GET /version.
// - POST /v1/chat/completions, checked in vLLM's order: unknown model → 404 "The model `x`
//   does not exist." (NotFoundError); n < 1 → 400; prompt (+ max_completion_tokens ??
//   max_tokens) over max_model_len → 400 with vLLM's context-length message (vllm-protocol.ts;
//   max_tokens absent → max_model_len - prompt, as vLLM does). Error bodies flat (older vLLM)
//   or nested {error:{…}} (≥ 0.10.1): option `errorStyle`.
// - n choices with index 0..n-1; usage.completion_tokens summed over choices; finish_reason
//   "stop" or "length" (answer cut at max_tokens tokens, 4 characters a token: see
//   countTokens); `stop` strings cut the answer (stop_reason = the string).
// - Reasoning output (option `reasoning`): none | reasoning_content (older --reasoning-parser)
//   | reasoning (newer) | prefilled_think (template pre-fills "<think>", content starts inside).
// - stream: true → SSE chat.completion.chunk deltas, usage chunk with
//   stream_options.include_usage, then `data: [DONE]`. Headers go out at once (as vLLM's).
// - A client that disconnects aborts its sequences (vLLM aborts the request).
// Not vLLM, for tests: 429 + Retry-After when more than `maxQueue` sequences wait (what a
// gateway in front of vLLM does), scripted faults (status, reset, hang), `down` (503).
// The GPU side (slots, queue, latency, prefix cache, heavy tail) is in vllm-scheduler.ts.
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import {
  contextLengthMessage,
  countTokens,
  dropOpeningThink,
  errorBody,
  generatedText,
  padToTokens,
  promptTokens,
  promptText,
  truncateTokens,
  unknownModelMessage,
  type ErrorStyle,
  type MessageContent,
  type ReasoningMode,
} from "./vllm-protocol.js";
import {
  drawLength,
  seededRng,
  SlotScheduler,
  type LengthDistribution,
  type SchedulerCounters,
} from "./vllm-scheduler.js";
import { messageFields, SseWriter } from "./vllm-stream.js";

export interface VllmChatBody {
  model: string;
  messages: Array<{ role: string; content: MessageContent }>;
  n?: number;
  max_tokens?: number | null;
  max_completion_tokens?: number | null;
  temperature?: number;
  top_p?: number;
  seed?: number;
  stop?: string | string[];
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
  [extra: string]: unknown;
}

/** A scripted answer: `text` after the thought, `reasoning` the thought (optional). */
export interface VllmAnswer {
  text: string;
  reasoning?: string;
  /** Generate at least this many tokens (the thought is padded), overriding the length draw. */
  tokens?: number;
  /** Extra time this choice holds its slot, ms (e.g. a generation that takes 320 s). */
  extraMs?: number;
}
export type AnswerFn = (
  body: VllmChatBody,
  choiceIndex: number,
  requestIndex: number,
) => VllmAnswer | string | Promise<VllmAnswer | string>;

export type VllmFault =
  | { kind: "status"; status: number; retryAfterS?: number; message?: string; delayMs?: number }
  | { kind: "reset" } // destroy the socket without an answer
  | { kind: "hang" }; // never answer

export interface VllmServerOptions {
  /** --served-model-name (several allowed); default ["vllm-model"]. */
  servedModelNames?: string[];
  /** The checkpoint path (`vllm serve <path>`), reported as `root`; default "/models/checkpoint-a". */
  root?: string;
  /** `created` of the model cards: "now" (vLLM: the time of each GET /v1/models) or a fixed value. */
  created?: "now" | number;
  /** --max-model-len; default 32768. */
  maxModelLen?: number;
  reasoning?: ReasoningMode;
  errorStyle?: ErrorStyle;
  /** Sequence slots (--max-num-seqs); default 256. */
  slots?: number;
  /** ms per generated token; default 0. */
  tokenLatencyMs?: number;
  /** Prefill of a new / a prefix-cached prompt, ms; default 0 / 0. */
  prefillMs?: number;
  cachedPrefillMs?: number;
  /** Heavy-tailed generation lengths (the thought is padded up to the drawn length); default none. */
  lengths?: LengthDistribution;
  /** Seed of the length draws; default "vllm". */
  seed?: string;
  /** Scripted answers; default a well-formed `<think>…</think><solution>…</solution>` echo. */
  answer?: AnswerFn;
  /** Faults by request (checked after queued ones); undefined → serve normally. */
  fault?: (body: VllmChatBody, requestIndex: number) => VllmFault | undefined;
  /** 429 (with Retry-After: retryAfterS) when more sequences would wait than this. */
  maxQueue?: number;
  retryAfterS?: number;
  /** stream: emit a piece of the answer every this many ms while generating (0: all at the end). */
  streamIntervalMs?: number;
}

/** One chat request as the server saw it. */
export interface VllmRequestRecord {
  index: number;
  model: string;
  n: number;
  stream: boolean;
  promptTokens: number;
  /** max_tokens in effect (after vLLM's default), null when rejected before. */
  maxTokens: number | null;
  seed: number | null;
  status: number | "reset" | "hang" | "aborted";
  arrivedAt: number;
  doneAt: number | null;
  completionTokens: number;
  finishReasons: string[];
}

export interface VllmStats extends SchedulerCounters {
  /** Chat requests received (all outcomes). */
  requests: number;
  /** Choices answered (sum of n over 200s). */
  choices: number;
  /** GET /v1/models received. */
  modelsRequests: number;
  statuses: Record<string, number>;
  /** Requests whose client went away before the answer. */
  aborted: number;
  /** Choices cut at max_tokens. */
  truncated: number;
  completionTokens: number;
  inFlight: number;
  maxInFlight: number;
  slots: number;
  /** lastDoneAt - firstSubmitAt, ms (0 before any answer). */
  elapsedMs: number;
  /** busySlotMs / (slots × elapsedMs). */
  occupancy: number;
}

export const defaultAnswer: AnswerFn = (body, choice, index) => {
  const last = body.messages[body.messages.length - 1];
  const text = typeof last?.content === "string" ? last.content : "";
  return {
    reasoning: `\nRequest ${index}, choice ${choice}.\n`,
    text: `\n<solution>\n${text.slice(0, 80)}\n</solution>`,
  };
};

export class VllmServer {
  servedModelNames: string[];
  root: string;
  maxModelLen: number;
  reasoning: ReasoningMode;
  errorStyle: ErrorStyle;
  answer: AnswerFn;
  /** While true every route answers 503. */
  down = false;
  readonly bodies: VllmChatBody[] = [];
  readonly records: VllmRequestRecord[] = [];
  readonly scheduler: SlotScheduler;
  private readonly queuedFaults: VllmFault[] = [];
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private port = 0;
  private s = {
    modelsRequests: 0,
    choices: 0,
    aborted: 0,
    truncated: 0,
    completionTokens: 0,
    inFlight: 0,
    maxInFlight: 0,
    statuses: {} as Record<string, number>,
  };

  constructor(private readonly opts: VllmServerOptions = {}) {
    this.servedModelNames = opts.servedModelNames ?? ["vllm-model"];
    this.root = opts.root ?? "/models/checkpoint-a";
    this.maxModelLen = opts.maxModelLen ?? 32768;
    this.reasoning = opts.reasoning ?? "none";
    this.errorStyle = opts.errorStyle ?? "flat";
    this.answer = opts.answer ?? defaultAnswer;
    this.scheduler = new SlotScheduler({
      slots: opts.slots ?? 256,
      tokenLatencyMs: opts.tokenLatencyMs ?? 0,
      prefillMs: opts.prefillMs ?? 0,
      cachedPrefillMs: opts.cachedPrefillMs ?? 0,
    });
    this.server = createServer(
      (req, res) =>
        void this.handle(req, res).catch((err: Error) => {
          if (!res.headersSent)
            this.json(
              res,
              500,
              errorBody(this.errorStyle, `imitation failed: ${err.message}`, "InternalServerError", 500),
            );
          else res.destroy();
        }),
    );
    this.server.on("connection", (s) => {
      this.sockets.add(s);
      s.on("close", () => this.sockets.delete(s));
    });
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}/v1`;
  }
  get requests(): number {
    return this.bodies.length;
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async close(): Promise<void> {
    this.scheduler.clear();
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Faults for the next chat requests, in order. */
  queueFaults(...faults: VllmFault[]): this {
    this.queuedFaults.push(...faults);
    return this;
  }

  stats(): VllmStats {
    const c = this.scheduler.counters();
    const elapsedMs =
      c.firstSubmitAt !== null && c.lastDoneAt !== null ? Math.max(0, c.lastDoneAt - c.firstSubmitAt) : 0;
    const slots = this.scheduler.opts.slots;
    return {
      ...c,
      ...this.s,
      statuses: { ...this.s.statuses },
      requests: this.bodies.length,
      slots,
      elapsedMs,
      occupancy: elapsedMs > 0 ? c.busySlotMs / (slots * elapsedMs) : 0,
    };
  }

  /** Zero every counter and record (the prefix cache stays warm). */
  resetStats(): void {
    this.bodies.length = 0;
    this.records.length = 0;
    this.scheduler.reset();
    this.s = {
      modelsRequests: 0,
      choices: 0,
      aborted: 0,
      truncated: 0,
      completionTokens: 0,
      inFlight: 0,
      maxInFlight: 0,
      statuses: {},
    };
  }

  private json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    res.writeHead(status, { "content-type": "application/json", ...headers });
    res.end(JSON.stringify(body));
  }

  private error(
    res: ServerResponse,
    rec: VllmRequestRecord | undefined,
    status: number,
    message: string,
    type: string,
    param: string | null = null,
    headers: Record<string, string> = {},
  ): void {
    if (rec) {
      rec.status = status;
      rec.doneAt = performance.now();
    }
    this.s.statuses[status] = (this.s.statuses[status] ?? 0) + 1;
    this.json(res, status, errorBody(this.errorStyle, message, type, status, param), headers);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const path = (req.url ?? "").split("?")[0];
    if (this.down) return this.error(res, undefined, 503, "Service Unavailable", "ServiceUnavailableError");
    if (req.method === "GET" && path === "/v1/models") {
      this.s.modelsRequests++;
      return this.json(res, 200, { object: "list", data: this.servedModelNames.map((id) => this.modelCard(id)) });
    }
    if (req.method === "GET" && path === "/health") {
      res.writeHead(200);
      res.end();
      return;
    }
    if (req.method === "GET" && path === "/version") return this.json(res, 200, { version: "0.10.1-imitation" });
    if (req.method !== "POST" || path !== "/v1/chat/completions") return this.json(res, 404, { detail: "Not Found" }); // FastAPI's
    await this.chat(Buffer.concat(chunks).toString("utf8"), res);
  }

  private modelCard(id: string) {
    const created =
      this.opts.created === undefined || this.opts.created === "now"
        ? Math.floor(Date.now() / 1000)
        : this.opts.created;
    return {
      id,
      object: "model",
      created,
      owned_by: "vllm",
      root: this.root,
      parent: null,
      max_model_len: this.maxModelLen,
      permission: [
        {
          id: `modelperm-${randomBytes(16).toString("hex")}`,
          object: "model_permission",
          created,
          allow_create_engine: false,
          allow_sampling: true,
          allow_logprobs: true,
          allow_search_indices: false,
          allow_view: true,
          allow_fine_tuning: false,
          organization: "*",
          group: null,
          is_blocking: false,
        },
      ],
    };
  }

  private async chat(raw: string, res: ServerResponse): Promise<void> {
    const index = this.bodies.length;
    let body: VllmChatBody;
    try {
      body = JSON.parse(raw) as VllmChatBody;
    } catch {
      body = { model: "", messages: [] };
    }
    this.bodies.push(body);
    const rec: VllmRequestRecord = {
      index,
      model: String(body.model),
      n: body.n ?? 1,
      stream: body.stream === true,
      promptTokens: 0,
      maxTokens: null,
      seed: typeof body.seed === "number" ? body.seed : null,
      status: 0,
      arrivedAt: performance.now(),
      doneAt: null,
      completionTokens: 0,
      finishReasons: [],
    };
    this.records.push(rec);
    if (!Array.isArray(body.messages) || body.messages.length === 0)
      return this.error(res, rec, 400, "Invalid request body: `messages` is required", "BadRequestError");
    const fault = this.queuedFaults.shift() ?? this.opts.fault?.(body, index);
    if (fault) return this.fail(fault, res, rec);
    if (!this.servedModelNames.includes(body.model)) {
      return this.error(
        res,
        rec,
        404,
        unknownModelMessage(String(body.model)),
        "NotFoundError",
        this.errorStyle === "nested" ? "model" : null,
      );
    }
    const n = body.n ?? 1;
    if (!Number.isInteger(n) || n < 1)
      return this.error(res, rec, 400, `n must be at least 1, got ${n}.`, "BadRequestError");
    const prompt = promptTokens(body.messages);
    rec.promptTokens = prompt;
    const asked = body.max_completion_tokens ?? body.max_tokens ?? undefined;
    if (prompt >= this.maxModelLen && (asked === undefined || this.errorStyle === "nested")) {
      return this.error(
        res,
        rec,
        400,
        contextLengthMessage(this.errorStyle, this.maxModelLen, prompt),
        "BadRequestError",
      );
    }
    if (asked !== undefined && prompt + asked > this.maxModelLen) {
      return this.error(
        res,
        rec,
        400,
        contextLengthMessage(this.errorStyle, this.maxModelLen, prompt, asked),
        "BadRequestError",
      );
    }
    const maxTokens = asked ?? this.maxModelLen - prompt;
    rec.maxTokens = maxTokens;
    if (
      this.opts.maxQueue !== undefined &&
      this.scheduler.queued + Math.max(0, this.scheduler.active + n - this.scheduler.opts.slots) > this.opts.maxQueue
    ) {
      const after = String(this.opts.retryAfterS ?? 1);
      return this.error(res, rec, 429, "Too Many Requests: the server queue is full", "RateLimitError", null, {
        "retry-after": after,
      });
    }
    await this.generate(body, n, maxTokens, res, rec);
  }

  private async fail(fault: VllmFault, res: ServerResponse, rec: VllmRequestRecord): Promise<void> {
    if (fault.kind === "reset") {
      rec.status = "reset";
      res.socket?.destroy();
      return;
    }
    if (fault.kind === "hang") {
      rec.status = "hang";
      return;
    }
    if (fault.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
    const headers: Record<string, string> =
      fault.retryAfterS !== undefined ? { "retry-after": String(fault.retryAfterS) } : {};
    const type =
      fault.status === 429
        ? "RateLimitError"
        : fault.status === 503
          ? "ServiceUnavailableError"
          : fault.status >= 500
            ? "InternalServerError"
            : "BadRequestError";
    this.error(res, rec, fault.status, fault.message ?? `scripted ${fault.status}`, type, null, headers);
  }

  private async generate(
    body: VllmChatBody,
    n: number,
    maxTokens: number,
    res: ServerResponse,
    rec: VllmRequestRecord,
  ): Promise<void> {
    const key = promptText(body.messages);
    let finished = false;
    let abort = (): void => {};
    let stream: SseWriter | undefined;
    res.on("close", () => {
      if (finished) return;
      finished = true;
      abort();
      stream?.stop();
      this.s.inFlight--;
      this.s.aborted++;
      this.s.statuses.aborted = (this.s.statuses.aborted ?? 0) + 1;
      Object.assign(rec, { status: "aborted", doneAt: performance.now() });
    });
    this.s.inFlight++;
    this.s.maxInFlight = Math.max(this.s.maxInFlight, this.s.inFlight);
    const stops = body.stop === undefined ? [] : Array.isArray(body.stop) ? body.stop : [body.stop];
    const choices = await Promise.all(
      Array.from({ length: n }, async (_, i) => {
        const got = await this.answer(body, i, rec.index);
        const a: VllmAnswer = typeof got === "string" ? { text: got } : got;
        let gen = generatedText(a.text, a.reasoning);
        if (this.reasoning === "prefilled_think") gen = dropOpeningThink(gen);
        const drawn = this.opts.lengths
          ? drawLength(
              this.opts.lengths,
              seededRng(`${this.opts.seed ?? "vllm"}|${key}|${body.seed ?? rec.index}|${i}`),
            )
          : 0;
        gen = padToTokens(gen, Math.max(a.tokens ?? drawn, 0));
        let { text, finishReason } = truncateTokens(gen, maxTokens);
        let stopReason: string | null = null;
        for (const s of stops) {
          const at = s === "" ? -1 : text.indexOf(s);
          if (at >= 0) {
            text = text.slice(0, at);
            finishReason = "stop";
            stopReason = s;
          }
        }
        return { index: i, text, finishReason, stopReason, tokens: countTokens(text), extraMs: a.extraMs ?? 0 };
      }),
    );
    if (finished) return; // the client left while the answers were scripted
    if (body.stream === true) stream = new SseWriter(res, body.model, this.reasoning);
    let left = n;
    abort = this.scheduler.submit(
      choices.map((c) => ({
        prefixKey: key,
        tokens: c.tokens,
        extraMs: c.extraMs,
        onStart: (holdMs: number) => stream?.begin(c.index, c.text, holdMs, this.opts.streamIntervalMs ?? 0),
        onDone: () => {
          stream?.finish(c.index, c.finishReason, c.stopReason);
          if (--left > 0) return;
          finished = true;
          this.s.inFlight--;
          const completion = choices.reduce((t, ch) => t + ch.tokens, 0);
          const usage = {
            prompt_tokens: rec.promptTokens,
            total_tokens: rec.promptTokens + completion,
            completion_tokens: completion,
            prompt_tokens_details: null,
          };
          Object.assign(rec, {
            status: 200,
            doneAt: performance.now(),
            completionTokens: completion,
            finishReasons: choices.map((ch) => ch.finishReason),
          });
          this.s.statuses[200] = (this.s.statuses[200] ?? 0) + 1;
          this.s.choices += n;
          this.s.completionTokens += completion;
          this.s.truncated += choices.filter((ch) => ch.finishReason === "length").length;
          if (stream) return stream.end(body.stream_options?.include_usage === true ? usage : undefined);
          this.json(res, 200, {
            id: `chatcmpl-${randomBytes(16).toString("hex")}`,
            object: "chat.completion",
            created: Math.floor(Date.now() / 1000),
            model: body.model,
            choices: choices.map((ch) => ({
              index: ch.index,
              message: { role: "assistant", ...this.messageFields(ch.text), tool_calls: [] },
              logprobs: null,
              finish_reason: ch.finishReason,
              stop_reason: ch.stopReason,
            })),
            usage,
            prompt_logprobs: null,
          });
        },
      })),
    );
  }

  private messageFields(text: string): Record<string, string | null> {
    return messageFields(this.reasoning, text);
  }
}
