/**
 * The chat's thread list, kept in localStorage per account (conversation text and tool results
 * only: no keys, no secrets). Each thread's messages are stored as assistant-ui ThreadMessageLike
 * values under their own key so the list stays small.
 */
import type { ThreadMessageLike } from "@assistant-ui/react";

export interface ThreadMeta {
  readonly id: string;
  readonly title: string;
  readonly updatedAt: number;
}

const MAX_THREADS = 50;
const listKey = (account: string) => `vivim.chat.v1.${account}.threads`;
const msgKey = (account: string, id: string) => `vivim.chat.v1.${account}.t.${id}`;

function read<T>(key: string, fallback: T): T {
  try {
    const raw = localStorage.getItem(key);
    return raw ? (JSON.parse(raw) as T) : fallback;
  } catch {
    return fallback;
  }
}

function write(key: string, value: unknown): void {
  try {
    localStorage.setItem(
      key,
      JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? v.toString() : v)),
    );
  } catch {
    // Storage full or disabled: the chat still works, it just is not kept.
  }
}

export function listThreads(account: string): ThreadMeta[] {
  const list = read<ThreadMeta[]>(listKey(account), []);
  return Array.isArray(list) ? list.filter((t) => typeof t?.id === "string") : [];
}

export function newThreadId(): string {
  return `t${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
}

export function loadMessages(account: string, id: string): ThreadMessageLike[] {
  const raw = read<unknown[]>(msgKey(account, id), []);
  if (!Array.isArray(raw)) return [];
  return raw.map((m) => {
    const msg = m as ThreadMessageLike & { createdAt?: string | Date };
    return { ...msg, ...(msg.createdAt ? { createdAt: new Date(msg.createdAt) } : {}) };
  });
}

export function saveThread(
  account: string,
  id: string,
  title: string,
  messages: readonly unknown[],
): ThreadMeta[] {
  write(msgKey(account, id), messages);
  const others = listThreads(account).filter((t) => t.id !== id);
  const next = [{ id, title: title.slice(0, 80) || "New chat", updatedAt: Date.now() }, ...others];
  for (const dropped of next.slice(MAX_THREADS)) {
    try {
      localStorage.removeItem(msgKey(account, dropped.id));
    } catch {
      // ignore
    }
  }
  const kept = next.slice(0, MAX_THREADS);
  write(listKey(account), kept);
  return kept;
}

export function deleteThread(account: string, id: string): ThreadMeta[] {
  try {
    localStorage.removeItem(msgKey(account, id));
  } catch {
    // ignore
  }
  const kept = listThreads(account).filter((t) => t.id !== id);
  write(listKey(account), kept);
  return kept;
}
