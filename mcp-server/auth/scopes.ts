/**
 * What a bearer key may do. Every key can read; write tools each need one scope:
 *
 * - `read`: read-only tools, resources and prompts (implied by every other scope)
 * - `social`: posts, comments, votes, reactions, follows, communities, ratings, bounties, tips
 * - `governance`: DAO proposals and votes
 * - `moderation`: community rules and content labels (the chain still checks the moderator role)
 */
export const SCOPES = ["read", "social", "governance", "moderation"] as const;
export type Scope = (typeof SCOPES)[number];

export function isScope(value: string): value is Scope {
  return (SCOPES as readonly string[]).includes(value);
}

/** Parses "social,governance" (or "read-only", the documented alias of "read"). */
export function parseScopes(text: string): Scope[] {
  const out = new Set<Scope>(["read"]);
  for (const raw of text.split(",")) {
    const s = raw.trim().toLowerCase();
    if (s === "" || s === "read-only") continue;
    if (!isScope(s))
      throw new Error(`unknown scope "${raw.trim()}" (scopes: read-only, ${SCOPES.slice(1).join(", ")})`);
    out.add(s);
  }
  return SCOPES.filter((s) => out.has(s));
}

export function hasScope(granted: readonly Scope[], needed: Scope): boolean {
  return needed === "read" || granted.includes(needed);
}
