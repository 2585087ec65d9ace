// The answer part of a model output as Agentless Mini reads it (parse_thinking_output,
// facebookresearch/swe-rl src/swerl/agentless_mini/utils/api.py:150-155): with THINKING on,
// the text after the first <solution> up to the next </solution>; always Python-stripped.
import { pyStrip } from "../reward/py-str.js";

export function thinkingAnswer(output: string, thinking: boolean): string {
  let text = output;
  if (thinking) {
    const open = text.indexOf("<solution>");
    if (open >= 0) text = text.slice(open + "<solution>".length);
    const close = text.indexOf("</solution>");
    if (close >= 0) text = text.slice(0, close);
  }
  return pyStrip(text);
}
