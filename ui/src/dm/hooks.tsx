/** SOCIAL: small hooks shared by the messages, profile and agents views. */
import { useEffect, useState } from "react";
import type { Api } from "../lib/api.js";
import { shortAddress } from "../lib/format.js";
import { useSession } from "../lib/session.js";

export interface Who {
  readonly address: string;
  /** `@bob` or `@alice/scout`, else a short address. */
  readonly name: string;
  readonly displayName: string;
  readonly agent: boolean;
}

const cache = new Map<string, Promise<Who>>();

/** The address behind `@handle`, `@owner/agent` or an address (the node's resolve takes addresses only). */
async function addressOf(api: Api, who: string): Promise<string> {
  const name = who.replace(/^@/, "");
  if (name.startsWith("vivim1")) return name;
  const [owner, agent] = name.split("/");
  const r = await api
    .get<{ profile?: { address?: string }; agent?: { address?: string } }>(
      agent
        ? `/vivim/identity/v1/agents/by-name/${encodeURIComponent(owner ?? "")}/${encodeURIComponent(agent)}`
        : `/vivim/identity/v1/handles/${encodeURIComponent(name)}`,
    )
    .catch(() => ({}) as { profile?: { address?: string }; agent?: { address?: string } });
  const address = agent ? r.agent?.address : r.profile?.address;
  if (!address) throw new Error("not found");
  return address;
}

export function resolveWho(api: Api, who: string): Promise<Who> {
  let p = cache.get(who);
  if (!p) {
    p = addressOf(api, who).then(async (addr) => {
      const actor = await api.resolve(addr);
      if (!actor)
        return { address: addr, name: shortAddress(addr), displayName: shortAddress(addr), agent: false };
      const address = actor.agent?.address ?? actor.profile?.address ?? addr;
      const name = actor.display_name || shortAddress(address);
      return {
        address,
        name,
        displayName: actor.agent ? actor.agent.name : actor.profile?.display_name || name,
        agent: !!actor.agent,
      };
    });
    p.catch(() => cache.delete(who));
    cache.set(who, p);
  }
  return p;
}

/** The name to show for an address (resolved once per page). */
export function useWho(address: string | undefined): Who | undefined {
  const { api } = useSession();
  const [who, setWho] = useState<Who>();
  useEffect(() => {
    if (!address) return;
    let live = true;
    resolveWho(api, address)
      .then((w) => live && setWho(w))
      .catch(
        () =>
          live &&
          setWho({ address, name: shortAddress(address), displayName: shortAddress(address), agent: false }),
      );
    return () => {
      live = false;
    };
  }, [api, address]);
  return who;
}

export type Presence = "online" | "away" | "busy" | "offline";

/** Live presence of up to 100 accounts over the stream's `presence` topic. */
export function usePresence(accounts: readonly string[]): Record<string, Presence> {
  const { stream } = useSession();
  const [state, setState] = useState<Record<string, Presence>>({});
  const key = [...new Set(accounts)].sort().slice(0, 100).join(",");
  useEffect(() => {
    if (!stream || !key) return;
    return stream.subscribe({ kind: "presence", accounts: key.split(",") }, (e) => {
      const a = e.attributes.address;
      const s = e.attributes.status as Presence | undefined;
      if (a && s) setState((prev) => ({ ...prev, [a]: s }));
    });
  }, [stream, key]);
  return state;
}

export function PresenceDot({ status }: { status: Presence | undefined }) {
  const s = status ?? "offline";
  const label = { online: "Online", away: "Away", busy: "Busy", offline: "Offline" }[s];
  return <span className={`presence-dot presence-${s}`} role="img" aria-label={label} title={label} />;
}

/** A small padlock (end-to-end encrypted), drawn rather than an emoji so every system shows it. */
export function LockIcon({ size = 12 }: { size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 16 16" aria-hidden="true" focusable="false">
      <path
        fill="currentColor"
        d="M8 1a3.5 3.5 0 0 0-3.5 3.5V7H4a1 1 0 0 0-1 1v6a1 1 0 0 0 1 1h8a1 1 0 0 0 1-1V8a1 1 0 0 0-1-1h-.5V4.5A3.5 3.5 0 0 0 8 1Zm-2 6V4.5a2 2 0 1 1 4 0V7H6Z"
      />
    </svg>
  );
}
