import assert from "node:assert/strict";
import { startFakeLlm } from "../../../tests/helpers/fake_llm.ts";
import { waitUntil } from "../../../tests/helpers/wait.ts";
import { OllamaProvider } from "./ollama.ts";
import { OpenAiCompatibleProvider } from "./openai_compatible.ts";
import { providerFor } from "./llm_router.ts";
import type { LlmProvider } from "../../ports/llm_provider.ts";

const MESSAGES = [{ role: "system" as const, content: "Be brief." }, {
  role: "user" as const,
  content: "Hi",
}];

async function collect(stream: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const token of stream) out.push(token);
  return out;
}

async function withFake(
  fn: (fake: ReturnType<typeof startFakeLlm>, providers: [string, LlmProvider][]) => Promise<void>,
) {
  const fake = startFakeLlm();
  try {
    await fn(fake, [
      ["ollama", new OllamaProvider({ baseUrl: fake.url, firstByteTimeoutMs: 300 })],
      [
        "openai",
        new OpenAiCompatibleProvider({
          name: "OpenAI",
          baseUrl: `${fake.url}/v1`,
          apiKey: "sk-test",
          firstByteTimeoutMs: 300,
        }),
      ],
    ]);
  } finally {
    await fake.close();
  }
}

Deno.test("LLM providers stream tokens in order and send the request each API expects", () =>
  withFake(async (fake, providers) => {
    fake.reply({ text: "Hello there. How can I help?" });
    for (const [name, provider] of providers) {
      const out = await collect(provider.chat(MESSAGES, { model: "m1", temperature: 0.3 }));
      assert.equal(out.join(""), "Hello there. How can I help?", name);
      assert.ok(out.length >= 5, `${name} streamed ${out.length} pieces`);
    }
    const [ollama, openai] = fake.requests;
    assert.equal(ollama.path, "/api/chat");
    assert.deepEqual(ollama.body, {
      model: "m1",
      messages: MESSAGES,
      stream: true,
      options: { temperature: 0.3 },
    });
    assert.equal(ollama.authorization, null);
    assert.equal(openai.path, "/v1/chat/completions");
    assert.deepEqual(openai.body, {
      model: "m1",
      messages: MESSAGES,
      stream: true,
      temperature: 0.3,
    });
    assert.equal(openai.authorization, "Bearer sk-test");
  }));

Deno.test("LLM providers turn HTTP errors, timeouts and cut streams into clear errors", () =>
  withFake(async (fake, providers) => {
    for (const [name, provider] of providers) {
      fake.reply({ text: "", status: 404, errorMessage: "model 'm9' not found" });
      await assert.rejects(collect(provider.chat(MESSAGES, { model: "m9" })), {
        code: "invalid_request",
        message: /answered 404: model 'm9' not found/,
      }, name);
      fake.reply({ text: "", status: 503, errorMessage: "overloaded" });
      await assert.rejects(collect(provider.chat(MESSAGES, { model: "m" })), {
        code: "unavailable",
        message: /503: overloaded/,
      });
      // Review mutant: 429 no longer retryable. A rate limit is a wait-and-retry, not bad input.
      fake.reply({ text: "", status: 429, errorMessage: "rate limited" });
      await assert.rejects(collect(provider.chat(MESSAGES, { model: "m" })), {
        code: "unavailable",
        message: /429: rate limited/,
      }, name);
      fake.reply({ text: "never", hang: true });
      await assert.rejects(collect(provider.chat(MESSAGES, { model: "m" })), {
        code: "unavailable",
        message: /did not start answering within 300 ms/,
      });
      fake.reply({ text: "one two three four five", cutAfterTokens: 2 });
      const got: string[] = [];
      await assert.rejects(
        (async () => {
          for await (const t of provider.chat(MESSAGES, { model: "m" })) got.push(t);
        })(),
        { code: "unavailable", message: /broke off|ended the reply before it was complete/ },
      );
      assert.deepEqual(got.join(""), "one two ", `${name} delivered what came before the cut`);
    }
  }));

Deno.test("LLM providers stop at once when the caller aborts", () =>
  withFake(async (fake, providers) => {
    fake.reply({ text: "a b c d e f g h i j k l m n o p", tokenDelayMs: 20 });
    for (const [, provider] of providers) {
      const controller = new AbortController();
      const reason = new Error("barge-in");
      const got: string[] = [];
      await assert.rejects(
        (async () => {
          for await (
            const t of provider.chat(MESSAGES, { model: "m", signal: controller.signal })
          ) {
            got.push(t);
            if (got.length === 2) controller.abort(reason);
          }
        })(),
        (error) => error === reason,
      );
      assert.equal(got.length, 2);
    }
  }));

Deno.test("providerFor() needs keys for hosted providers and never for a local Ollama", async () => {
  const endpoints = {
    ollamaUrl: "http://127.0.0.1:11434",
    openaiBaseUrl: "https://api.openai.com/v1",
    openaiApiKey: null,
    redpillBaseUrl: "https://api.redpill.ai/v1",
    redpillApiKey: null,
  };
  const settings = { model: "m", baseUrl: null, temperature: null, think: null };
  assert.ok(providerFor({ ...settings, provider: "ollama" }, endpoints) instanceof OllamaProvider);
  assert.throws(
    () => providerFor({ ...settings, provider: "openai" }, endpoints),
    /OpenAI needs an API key: set OPENAI_API_KEY/,
  );
  assert.throws(
    () => providerFor({ ...settings, provider: "redpill" }, endpoints),
    /RedPill needs an API key/,
  );
  assert.ok(
    providerFor({ ...settings, provider: "redpill" }, {
      ...endpoints,
      redpillApiKey: "k",
    }) instanceof OpenAiCompatibleProvider,
  );
  const down = providerFor({
    ...settings,
    provider: "openai_compatible",
    baseUrl: "http://127.0.0.1:9",
  }, endpoints);
  await assert.rejects(collect(down.chat(MESSAGES, { model: "m" })), {
    code: "unavailable",
    message: /cannot reach/,
  });
});

// Defect: the OpenAI and RedPill keys went to whatever baseUrl a persona named, plain http too,
// so anything holding the API token could harvest the user's paid keys.
Deno.test("providerFor() sends a configured key only to its configured base URL", async () => {
  const fake = startFakeLlm();
  try {
    const endpoints = {
      ollamaUrl: "http://127.0.0.1:11434",
      openaiBaseUrl: `${fake.url}/v1`,
      openaiApiKey: "sk-openai-secret",
      redpillBaseUrl: `${fake.url}/redpill/v1`,
      redpillApiKey: "sk-redpill-secret",
    };
    const harvester = `${fake.url}/harvest/v1`;
    for (const provider of ["openai", "redpill"] as const) {
      await collect(
        providerFor(
          { provider, model: "m", baseUrl: harvester, temperature: null, think: null },
          endpoints,
        )
          .chat(MESSAGES, { model: "m" }),
      );
      const sent = fake.requests.at(-1)!;
      assert.equal(sent.path, "/harvest/v1/chat/completions");
      assert.equal(sent.authorization, null, `${provider}'s key stays home`);
    }
    await collect(
      providerFor(
        { provider: "openai", model: "m", baseUrl: null, temperature: null, think: null },
        endpoints,
      )
        .chat(MESSAGES, { model: "m" }),
    );
    assert.equal(fake.requests.at(-1)!.authorization, "Bearer sk-openai-secret");
    // The configured URL spelled with a trailing slash is still the configured URL.
    await collect(
      providerFor({
        provider: "redpill",
        model: "m",
        baseUrl: `${fake.url}/redpill/v1/`,
        temperature: null,
        think: null,
      }, endpoints).chat(MESSAGES, { model: "m" }),
    );
    assert.equal(fake.requests.at(-1)!.authorization, "Bearer sk-redpill-secret");
  } finally {
    await fake.close();
  }
});

// Defect: the "first byte" limit was an AbortSignal.timeout on the whole fetch, so a reply longer
// than the limit was cut mid-sentence, and a stalled stream was never noticed apart from it.
Deno.test("providers: the first-data limit never cuts a long reply; a stall mid-reply is an error", () =>
  withFake(async (fake, providers) => {
    for (const [name, provider] of providers) {
      // 12 tokens 100 ms apart: 1.2 s in all, four times the 300 ms first-data limit.
      fake.reply({
        text: "one two three four five six seven eight nine ten eleven twelve",
        tokenDelayMs: 100,
      });
      const out = await collect(provider.chat(MESSAGES, { model: "m" }));
      assert.equal(
        out.join(""),
        "one two three four five six seven eight nine ten eleven twelve",
        name,
      );
    }
    const stalling: [string, LlmProvider][] = [
      [
        "ollama",
        new OllamaProvider({ baseUrl: fake.url, firstByteTimeoutMs: 5_000, idleTimeoutMs: 300 }),
      ],
      [
        "openai",
        new OpenAiCompatibleProvider({
          name: "OpenAI",
          baseUrl: `${fake.url}/v1`,
          apiKey: "sk-test",
          firstByteTimeoutMs: 5_000,
          idleTimeoutMs: 300,
        }),
      ],
    ];
    for (const [name, provider] of stalling) {
      // The first token comes after 2 s (within 5 s), the next 2 s later: far past a 300 ms stall.
      fake.reply({ text: "slow slow slow", tokenDelayMs: 2_000 });
      const tokens: string[] = [];
      await assert.rejects(
        (async () => {
          for await (const t of provider.chat(MESSAGES, { model: "m" })) tokens.push(t);
        })(),
        { code: "unavailable", message: /stopped sending its reply for 300 ms/ },
        name,
      );
      assert.deepEqual(tokens, ["slow "], `${name}: what came before the stall`);
    }
  }));

// Ollama's switch for reasoning models goes with the request only when the persona sets it.
Deno.test("providers: Ollama gets think: false when the persona turns thinking off", () =>
  withFake(async (fake, providers) => {
    const ollama = providers.find(([name]) => name === "ollama")![1];
    fake.reply({ text: "Hi." });
    await collect(ollama.chat(MESSAGES, { model: "qwen3", think: false }));
    assert.equal(fake.requests.at(-1)!.body.think, false);
    await collect(ollama.chat(MESSAGES, { model: "qwen3" }));
    assert.equal("think" in fake.requests.at(-1)!.body, false);
  }));

// Defect: cancel or barge-in did not close the LLM request; the service read it to the end.
Deno.test("providers: aborting a reply closes the model server's connection at once", () =>
  withFake(async (fake, providers) => {
    for (const [name, provider] of providers) {
      fake.reply({ text: "word ".repeat(200), tokenDelayMs: 10 });
      const stop = new AbortController();
      const received: string[] = [];
      const reading = (async () => {
        for await (const token of provider.chat(MESSAGES, { model: "m", signal: stop.signal })) {
          received.push(token);
          if (received.length === 3) stop.abort(new DOMException("cancelled", "AbortError"));
        }
      })();
      await assert.rejects(reading, { name: "AbortError" }, name);
      const aborted = performance.now();
      const request = fake.requests.at(-1)!;
      await waitUntil(`${name}: the server to see the connection close`, () => request.closedAt);
      assert.ok(request.closedAt! - aborted < 1_000, `${name}: closed within a second`);
      assert.ok(request.tokensSent < 20, `${name}: ${request.tokensSent} of 200 tokens were sent`);
    }
  }));
