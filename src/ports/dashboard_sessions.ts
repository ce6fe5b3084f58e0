/**
 * @module
 * The dashboard's signed-in browsers. A browser holds a random session id in an HttpOnly cookie;
 * the store keeps only a hash of it, so a copy of the database signs nobody in.
 */

export interface DashboardSessionStore {
  add(id: string, at: number): void;
  has(id: string): boolean;
  remove(id: string): void;
}
