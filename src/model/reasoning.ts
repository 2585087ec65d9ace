// Answers of reasoning models rebuilt into SWE-RL's `<think>…</think>` + rest form before any
// parsing: vLLM with --reasoning-parser (and SGLang) move the thought out of `content` into
// `message.reasoning_content` (older vLLM, SGLang) or `message.reasoning` (newer vLLM);
// DeepSeek-R1-style chat templates pre-fill "<think>\n" in the prompt, so the answer starts
// inside the thought and only its closing tag is in `content`.

export type ThoughtSource = "content" | "reasoning_content" | "reasoning" | "prefilled";

export interface AssembledAnswer {
  text: string;
  /** Where the thought was found ("content": in the text as sent, or no thought at all). */
  thoughtSource: ThoughtSource;
}

const OPEN = "<think>";
const CLOSE = "</think>";

/** The answer text from a chat message (`content` plus the reasoning fields, if any). */
export function assembleAnswer(message: {
  content?: unknown;
  reasoning_content?: unknown;
  reasoning?: unknown;
}): AssembledAnswer {
  const content = typeof message.content === "string" ? message.content : "";
  for (const field of ["reasoning_content", "reasoning"] as const) {
    const thought = message[field];
    if (typeof thought === "string" && thought !== "") {
      // A server that split the thought off may still leave a stray closing tag at the start.
      const rest = content.replace(/^\s*<\/think>/, "");
      return { text: `${OPEN}${thought}${CLOSE}${rest}`, thoughtSource: field };
    }
  }
  const close = content.indexOf(CLOSE);
  if (close >= 0 && !content.slice(0, close).includes(OPEN)) {
    return { text: `${OPEN}${content}`, thoughtSource: "prefilled" };
  }
  return { text: content, thoughtSource: "content" };
}
