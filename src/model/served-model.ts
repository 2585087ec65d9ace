// Preflight of an OpenAI-compatible server: GET {base_url}/models must answer and list the
// served name. Its entry tells which checkpoint answers (vLLM and SGLang: `root`, the path or
// hub id the server loaded) and the context length (`max_model_len`, vLLM and SGLang).
// `created` is left out of the identity: vLLM sets it to the time of the /models answer
// (ModelCard's default factory), so it changes on every call.
import { ConfigError } from "../config/load.js";

export interface ServedModel {
  /** The served name (`model.name`). */
  id: string;
  /** The checkpoint behind the name, where the server says (vLLM/SGLang `root`). */
  root: string | null;
  /** The server's context length, where it says. */
  maxModelLen: number | null;
}

type FetchLike = (url: string, init?: RequestInit) => Promise<Response>;

/** The entry of `model` at `baseUrl`; a ConfigError when the server does not answer or does not serve it. */
export async function fetchServedModel(
  baseUrl: string,
  model: string,
  apiKey: string,
  doFetch: FetchLike,
  timeoutMs = 10_000,
): Promise<ServedModel> {
  const url = `${baseUrl.replace(/\/$/, "")}/models`;
  let res: Response;
  try {
    res = await doFetch(url, {
      headers: { authorization: `Bearer ${apiKey}` },
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    const cause = (err as { cause?: { message?: string } }).cause?.message;
    throw new ConfigError(
      `model.base_urls: ${url} does not answer (${(err as Error).message}${cause ? `: ${cause}` : ""}); is the server up?`,
    );
  }
  const text = await res.text();
  if (!res.ok) throw new ConfigError(`model.base_urls: GET ${url} answered HTTP ${res.status}: ${text.slice(0, 300)}`);
  let entries: unknown[];
  try {
    const body = JSON.parse(text) as { data?: unknown };
    if (!Array.isArray(body.data)) throw new Error("no data list");
    entries = body.data;
  } catch (err) {
    throw new ConfigError(
      `model.base_urls: GET ${url} is not a model list (${(err as Error).message}): ${text.slice(0, 200)}`,
    );
  }
  const cards = entries.filter((e): e is Record<string, unknown> => !!e && typeof e === "object");
  const card = cards.find((c) => c.id === model);
  if (!card) {
    const names = cards.map((c) => String(c.id)).join(", ") || "none";
    throw new ConfigError(`model.name "${model}" is not served at ${baseUrl} (it serves: ${names})`);
  }
  const len = card.max_model_len;
  return {
    id: model,
    root: typeof card.root === "string" && card.root !== "" ? card.root : null,
    maxModelLen: typeof len === "number" && Number.isInteger(len) && len > 0 ? len : null,
  };
}

/** One identity for all replicas: they must serve the same checkpoint; the context is the smallest. */
export function mergeServed(urls: readonly string[], served: readonly ServedModel[]): ServedModel {
  const roots = new Set(served.map((s) => s.root));
  if (roots.size > 1) {
    const which = served.map((s, i) => `${urls[i]} → ${s.root ?? "(no root)"}`).join(", ");
    throw new ConfigError(`model.base_urls serve different checkpoints under "${served[0]!.id}": ${which}`);
  }
  const lens = served.map((s) => s.maxModelLen).filter((n): n is number => n !== null);
  return { id: served[0]!.id, root: served[0]!.root, maxModelLen: lens.length > 0 ? Math.min(...lens) : null };
}
