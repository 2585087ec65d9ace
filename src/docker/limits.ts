// Container resource limits from config strings ("8g", "512m").
export function parseMemory(text: string): number {
  const m = /^(\d+(?:\.\d+)?)([kmg]?)$/i.exec(text.trim());
  if (!m) throw new Error(`memory limit must look like 4g or 512m (got "${text}")`);
  const scale = { "": 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[m[2]!.toLowerCase() as "" | "k" | "m" | "g"];
  return Math.round(Number(m[1]) * scale);
}
