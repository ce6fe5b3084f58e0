/**
 * @module
 * Conversation history and the rule that trims it to what fits in a prompt.
 */

export type ChatRole = "user" | "assistant";

export interface ChatMessage {
  readonly role: ChatRole;
  readonly content: string;
  readonly at: number;
  /** A reply cut short by the user: `content` is what they heard of it. */
  readonly interrupted?: boolean;
  /** The session it was said in: one conversation. */
  readonly sessionId?: string | null;
  /** The voice that spoke a reply (null: the default voice), so it can be heard again. */
  readonly voiceId?: string | null;
}

/** One persona's conversation, oldest message first. */
export interface ConversationHistory {
  readonly personaId: string;
  readonly messages: readonly ChatMessage[];
}

/**
 * Keeps the newest messages whose contents fit in `budgetChars`, oldest first. It never starts
 * with an assistant message, because chat models expect a user turn before a reply.
 */
export function trimHistory(
  messages: readonly ChatMessage[],
  budgetChars: number,
): ChatMessage[] {
  let used = 0;
  let start = messages.length;
  while (start > 0 && used + messages[start - 1].content.length <= budgetChars) {
    used += messages[start - 1].content.length;
    start--;
  }
  while (start < messages.length && messages[start].role === "assistant") start++;
  return messages.slice(start);
}
