export async function runPipelineBench(_o: (n: string, f: string) => string, rss: () => string): Promise<void> { console.log(rss()); }
