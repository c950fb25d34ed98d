/**
 * GROUPS: membership changes in a group's conversation ("@alice added @dave", "@bob left"), placed
 * among the messages by time. They come from the group notices members send each other
 * (client/dm group-state.ts), never from the node, so they count for no unread mark.
 */
import { Fragment, type ReactNode } from "react";
import type { GroupEvent } from "../../../client/dm/group-state.js";
import { useWho } from "../dm/hooks.js";
import type { KeptMessage } from "../dm/service.js";
import { useSession } from "../lib/session.js";

function GroupEventLine({ e }: { e: GroupEvent }) {
  const { active } = useSession();
  const member = useWho(e.member);
  const by = useWho(e.by);
  const name = (address: string, who: typeof member) =>
    address === active.address ? "you" : (who?.name ?? "…");
  const text =
    e.kind === "left"
      ? `${name(e.member, member)} left`
      : `${name(e.by, by)} ${e.kind} ${name(e.member, member)}`;
  return (
    <p className="group-event" data-testid="group-event">
      {text.charAt(0).toUpperCase() + text.slice(1)}
    </p>
  );
}

/** Messages and membership changes in time order; at the same second the change comes first. */
export function withGroupEvents(
  messages: readonly KeptMessage[],
  events: readonly GroupEvent[],
  bubble: (m: KeptMessage) => ReactNode,
): ReactNode[] {
  const items = [
    ...events.map((e, i) => ({ at: e.at, rank: 0, key: `event-${i}`, node: <GroupEventLine e={e} /> })),
    ...messages.map((m) => ({ at: m.sentAt, rank: 1, key: m.id, node: bubble(m) })),
  ];
  items.sort((a, b) => a.at - b.at || a.rank - b.rank);
  return items.map((it) => <Fragment key={it.key}>{it.node}</Fragment>);
}
