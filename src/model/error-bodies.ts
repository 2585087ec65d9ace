// Error bodies of OpenAI-compatible servers, made readable for the openai package.

/**
 * vLLM, SGLang and TGI send error bodies like {"object":"error","message":…} with no "error"
 * key; the openai package then drops the message ("400 status code (no body)"). Wrap such
 * bodies as {"error": body} so the message (e.g. a context-length error) survives.
 */
export function wrapErrorBodies(inner: typeof fetch): typeof fetch {
  return async (input, init) => {
    const res = await inner(input, init);
    if (res.status < 400) return res;
    const text = await res.text();
    let body = text;
    try {
      const json: unknown = JSON.parse(text);
      if (json && typeof json === "object" && !("error" in json)) body = JSON.stringify({ error: json });
    } catch {
      /* not JSON: the openai package keeps the text as the message */
    }
    const headers = new Headers(res.headers);
    headers.delete("content-length");
    headers.delete("content-encoding");
    return new Response(body, { status: res.status, statusText: res.statusText, headers });
  };
}
