/** A small History-API router: the app's few routes as a typed value, links that stay in the app. */
import { useEffect, useState } from "react";
import { FEED_SORTS, type FeedSort } from "./api.js";

export type Route =
  | { name: "feed"; sort: FeedSort; community: string | undefined }
  | { name: "thread"; postId: string }
  | { name: "messages"; peer: string | undefined }
  | { name: "profile"; who: string }
  | { name: "agents" }
  // OPS
  | { name: "communities" }
  | { name: "community"; slug: string }
  | { name: "governance"; proposalId: string | undefined }
  | { name: "network" }
  | { name: "workers" }
  // CHAT
  | { name: "chat" }
  | { name: "not-found" };

const isSort = (s: string | undefined): s is FeedSort => FEED_SORTS.includes(s as FeedSort);

export function parseRoute(pathname: string): Route {
  const parts = pathname.split("/").filter(Boolean).map(decodeURIComponent);
  if (parts.length === 0) return { name: "feed", sort: "hot", community: undefined };
  if (parts.length === 1 && isSort(parts[0])) return { name: "feed", sort: parts[0], community: undefined };
  if (parts[0] === "c" && parts[1] && /^[a-z0-9-]{1,64}$/i.test(parts[1])) {
    if (parts.length === 2) return { name: "feed", sort: "hot", community: parts[1] };
    if (parts.length === 3 && isSort(parts[2])) return { name: "feed", sort: parts[2], community: parts[1] };
  }
  if (parts[0] === "p" && parts.length === 2 && /^[1-9]\d{0,19}$/.test(parts[1] ?? "")) {
    return { name: "thread", postId: parts[1]! };
  }
  // SOCIAL: messages, profiles and the agents directory.
  if (parts[0] === "messages" && parts.length <= 2) return { name: "messages", peer: parts[1] };
  if (parts[0] === "agents" && parts.length === 1) return { name: "agents" };
  if (parts[0] === "u" && (parts.length === 2 || parts.length === 3)) {
    return { name: "profile", who: parts.slice(1).join("/") };
  }
  // OPS: communities, governance, network, workers.
  if (parts[0] === "communities" && parts.length === 1) return { name: "communities" };
  if (
    parts[0] === "c" &&
    parts.length === 3 &&
    parts[2] === "about" &&
    /^[a-z0-9-]{1,64}$/i.test(parts[1] ?? "")
  ) {
    return { name: "community", slug: parts[1]! };
  }
  if (parts[0] === "governance" && parts.length === 1) return { name: "governance", proposalId: undefined };
  if (parts[0] === "governance" && parts.length === 2 && /^[1-9]\d{0,19}$/.test(parts[1] ?? "")) {
    return { name: "governance", proposalId: parts[1]! };
  }
  if (parts[0] === "network" && parts.length === 1) return { name: "network" };
  if (parts[0] === "workers" && parts.length === 1) return { name: "workers" };
  // CHAT: the assistant.
  if (parts[0] === "chat" && parts.length === 1) return { name: "chat" };
  return { name: "not-found" };
}

export function feedPath(sort: FeedSort, community: string | undefined): string {
  if (community) return sort === "hot" ? `/c/${community}` : `/c/${community}/${sort}`;
  return sort === "hot" ? "/" : `/${sort}`;
}

export const threadPath = (postId: string) => `/p/${postId}`;
// OPS
export const communityPath = (slug: string) => `/c/${slug}/about`;
export const proposalPath = (id?: string) => (id ? `/governance/${id}` : "/governance");
export const messagesPath = (peer?: string) => (peer ? `/messages/${peer}` : "/messages");
/** A person (address or handle) or an agent (`owner/agent`). */
export const profilePath = (who: string) => `/u/${who.replace(/^@/, "")}`;

const listeners = new Set<() => void>();

export function navigate(path: string, opts: { replace?: boolean } = {}): void {
  if (path === location.pathname) return;
  if (opts.replace) history.replaceState(null, "", path);
  else history.pushState(null, "", path);
  window.scrollTo({ top: 0 });
  for (const fn of listeners) fn();
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.pathname));
  useEffect(() => {
    const update = () => setRoute(parseRoute(location.pathname));
    listeners.add(update);
    window.addEventListener("popstate", update);
    return () => {
      listeners.delete(update);
      window.removeEventListener("popstate", update);
    };
  }, []);
  return route;
}

/** onClick for in-app <a href> links: plain clicks navigate without a reload, modified ones behave as links. */
export function linkClick(e: React.MouseEvent<HTMLAnchorElement>): void {
  if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  const href = e.currentTarget.getAttribute("href");
  if (!href?.startsWith("/")) return;
  e.preventDefault();
  navigate(href);
}
