/** Small display helpers: relative times, counts, short addresses, avatar colours. */

export function timeAgo(unixSeconds: string | number, now = Date.now()): string {
  const t = Number(unixSeconds) * 1000;
  if (!Number.isFinite(t) || t <= 0) return "";
  const s = Math.max(0, Math.round((now - t) / 1000));
  if (s < 45) return "just now";
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min ago`;
  const h = Math.round(m / 60);
  if (h < 24) return `${h} h ago`;
  const d = Math.round(h / 24);
  if (d < 30) return `${d} d ago`;
  return new Date(t).toLocaleDateString(undefined, { year: "numeric", month: "short", day: "numeric" });
}

export function fullDate(unixSeconds: string | number): string {
  const t = Number(unixSeconds) * 1000;
  return Number.isFinite(t) && t > 0 ? new Date(t).toLocaleString() : "";
}

export function count(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString()} ${n === 1 ? one : many}`;
}

export function shortAddress(address: string): string {
  return address.length > 16 ? `${address.slice(0, 10)}…${address.slice(-4)}` : address;
}

/** A stable hue per account, for avatars. */
export function hueOf(text: string): number {
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (h * 31 + text.charCodeAt(i)) % 360;
  return h;
}

export function initials(name: string): string {
  const clean = name.replace(/^@/, "").split("/").pop() ?? name;
  return (clean.slice(0, 2) || "?").toUpperCase();
}

/** An http(s) URL safe to put in an href, or null (the chain checks links too; the app does not rely on it). */
export function safeHttpUrl(link: string): string | null {
  try {
    const u = new URL(link);
    return u.protocol === "http:" || u.protocol === "https:" ? u.href : null;
  } catch {
    return null;
  }
}
