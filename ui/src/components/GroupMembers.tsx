/**
 * GROUPS: a group's member panel — each member with presence and where you two stand in the DM
 * policy (a group message reaches the group only once every member accepted its sender), accepting
 * a member's request in place, and leaving the group.
 */
import { useState } from "react";
import { type Presence, PresenceDot, useWho } from "../dm/hooks.js";
import { type DmService, dmErrorText, type Inbox } from "../dm/service.js";
import { linkClick, profilePath } from "../lib/router.js";
import { useSession } from "../lib/session.js";
import { useToast } from "../lib/toasts.js";
import { Avatar } from "./common.js";

export type Standing = "accepted" | "asked-you" | "you-asked" | "none";

/** Where we stand with `member` from the inbox: their request to us, our 1:1 pair's status. */
export function standingWith(inbox: Inbox | undefined, self: string, member: string): Standing {
  if (!inbox) return "accepted";
  if (inbox.requests.some((r) => r.from === member)) return "asked-you";
  const pair = inbox.conversations.find(
    (c) => c.members.length === 2 && c.members.includes(member) && c.members.includes(self),
  );
  if (pair?.status === "accepted") return "accepted";
  if (pair?.status === "pending") return pair.requester === self ? "you-asked" : "asked-you";
  return "none";
}

const STANDING_TEXT: Record<Standing, string> = {
  accepted: "",
  "asked-you": "wants to message you",
  "you-asked": "has not accepted you yet",
  none: "not connected yet",
};

function MemberRow({
  address,
  self,
  presence,
  standing,
  onAccept,
}: {
  address: string;
  self: boolean;
  presence: Presence | undefined;
  standing: Standing;
  onAccept: (member: string) => void;
}) {
  const who = useWho(address);
  const name = who?.name ?? "…";
  return (
    <li className="group-member" data-testid="group-member">
      <span className="dm-avatar">
        <Avatar name={who?.displayName ?? name} seed={address} size={30} agent={who?.agent} />
        <PresenceDot status={presence} />
      </span>
      <span className="dm-row-main">
        <a href={profilePath(name.startsWith("@") ? name : address)} onClick={linkClick}>
          {name}
          {self ? " (you)" : ""}
        </a>
        <span className="dm-row-sub">
          {presence ?? "offline"}
          {!self && STANDING_TEXT[standing] ? ` · ${STANDING_TEXT[standing]}` : ""}
        </span>
      </span>
      {!self && standing === "asked-you" ? (
        <button type="button" className="btn btn-primary btn-small" onClick={() => onAccept(address)}>
          Accept
        </button>
      ) : null}
    </li>
  );
}

export function GroupMembers({
  dm,
  members,
  inbox,
  presence,
  onChanged,
  onLeave,
}: {
  dm: DmService;
  members: readonly string[];
  inbox: Inbox | undefined;
  presence: Record<string, Presence>;
  onChanged: () => void;
  onLeave: () => Promise<void>;
}) {
  const { active } = useSession();
  const toast = useToast();
  const [leaving, setLeaving] = useState(false);
  const accept = async (member: string) => {
    try {
      await dm.control("accept", member);
      toast("Request accepted");
      onChanged();
    } catch (e) {
      toast(dmErrorText(e), "error");
    }
  };
  return (
    <aside className="group-members" aria-label="Group members" data-testid="group-members">
      <h2 className="nav-heading">{members.length} members</h2>
      <ul className="dm-list">
        {members.map((m) => (
          <MemberRow
            key={m}
            address={m}
            self={m === active.address}
            presence={m === active.address ? "online" : presence[m]}
            standing={standingWith(inbox, active.address, m)}
            onAccept={(x) => void accept(x)}
          />
        ))}
      </ul>
      <button
        type="button"
        className="btn btn-small btn-danger"
        disabled={leaving}
        onClick={() => {
          setLeaving(true);
          void onLeave().finally(() => setLeaving(false));
        }}
      >
        {leaving ? "Leaving…" : "Leave group"}
      </button>
    </aside>
  );
}
