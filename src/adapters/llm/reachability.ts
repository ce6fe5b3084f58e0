/**
 * @module
 * Whether the local Ollama answers, and which models it has: the status page's LLM line.
 */

export interface LlmReachability {
  readonly ollama: {
    readonly url: string;
    readonly reachable: boolean;
    readonly models: string[];
    readonly error: string | null;
  };
}

const TIMEOUT_MS = 1_500;

export async function llmReachability(ollamaUrl: string): Promise<LlmReachability> {
  try {
    const response = await fetch(new URL("/api/tags", ollamaUrl), {
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    if (!response.ok) {
      await response.body?.cancel();
      return { ollama: down(ollamaUrl, `HTTP ${response.status}`) };
    }
    const body = await response.json() as { models?: { name?: string }[] };
    const models = (body.models ?? []).flatMap((m) => typeof m.name === "string" ? [m.name] : []);
    return { ollama: { url: ollamaUrl, reachable: true, models, error: null } };
  } catch (error) {
    const reason = error instanceof DOMException && error.name === "TimeoutError"
      ? `no answer within ${TIMEOUT_MS} ms`
      : error instanceof Error
      ? error.message
      : String(error);
    return { ollama: down(ollamaUrl, `${reason}; start it with \`ollama serve\``) };
  }
}

const down = (url: string, error: string) => ({ url, reachable: false, models: [], error });
