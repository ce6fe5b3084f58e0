/**
 * @module
 * Persisted conversation history per persona.
 */
import type { ChatMessage, ConversationHistory } from "../domain/conversation.ts";

export interface HistoryRepository {
  append(personaId: string, messages: readonly ChatMessage[]): void;
  /** The newest `limit` messages, oldest first. */
  recent(personaId: string, limit: number): ConversationHistory;
  clear(personaId: string): number;
}
