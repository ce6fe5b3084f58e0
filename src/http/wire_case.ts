/**
 * @module
 * The public API's one naming convention: snake_case keys in every JSON body, request and
 * response, REST, SSE and WebSocket alike (the WebSocket protocol and the OpenAI-compatible
 * routes were snake_case from the start). The domain keeps camelCase; keys are converted here,
 * at the edge. Requests spelled the old way (camelCase) are still accepted for one version.
 */

const toSnakeKey = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const toCamelKey = (key: string) => key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

function mapKeys(value: unknown, rename: (key: string) => string): unknown {
  if (Array.isArray(value)) return value.map((v) => mapKeys(v, rename));
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) out[rename(key)] = mapKeys(v, rename);
  return out;
}

/** A response body as it goes out: every key snake_case. */
export function toWireCase(value: unknown): unknown {
  return mapKeys(value, toSnakeKey);
}

/**
 * A request body as the domain reads it: snake_case keys become camelCase; camelCase keys (the
 * spelling before 0.2) pass as they are. When a body has both spellings of a key, snake_case wins.
 */
export function fromWireCase(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(fromWireCase);
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  const entries = Object.entries(value);
  for (const [key, v] of entries) if (!key.includes("_")) out[key] = fromWireCase(v);
  for (const [key, v] of entries) if (key.includes("_")) out[toCamelKey(key)] = fromWireCase(v);
  return out;
}
