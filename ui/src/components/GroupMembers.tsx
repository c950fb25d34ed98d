/**
 * GROUPS: a group's member panel — each member with presence and where you two stand in the DM
 * policy (a group message reaches the group only once every member accepted its sender), accepting
 * a member's request in place, the admin (the creator) adding a member by handle and removing one
 * (client/dm: the change is announced to everyone and the admin's key replaced), and leaving.
 */
import { useState } from "react";
import { DmError } from "../../../client/dm/errors.js";
import { type Presence, PresenceDot, resolveWho, useWho } from "../dm/hooks.js";
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

/** A membership change refused by the DM client, in words (other failures: dmErrorText). */
function membershipErrorText(e: unknown): string {
  if (e instanceof DmError && e.code === "NOT_ADMIN") return "Only the group's admin can change its members.";
  if (e instanceof DmError && e.code === "TOO_LARGE") return "A group has at most 32 members.";
  if (e instanceof DmError && e.code === "BAD_MEMBER")
    return "That change does not fit this group's members.";
  return dmErrorText(e);
}

function MemberRow({
  address,
  self,
  admin,
  presence,
  standing,
  onAccept,
  onRemove,
}: {
  address: string;
  self: boolean;
  admin: boolean;
  presence: Presence | undefined;
  standing: Standing;
  onAccept: (member: string) => void;
  /** Present when we may remove this member (we are the admin). */
  onRemove: ((member: string, name: string) => Promise<void>) | undefined;
}) {
  const who = useWho(address);
  const name = who?.name ?? "…";
  const [confirming, setConfirming] = useState(false);
  const [removing, setRemoving] = useState(false);
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
        {admin ? <span className="badge-agent group-admin">admin</span> : null}
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
      {onRemove && !confirming ? (
        <button
          type="button"
          className="btn btn-small"
          aria-label={`Remove ${name} from the group`}
          onClick={() => setConfirming(true)}
        >
          Remove
        </button>
      ) : null}
      {onRemove && confirming ? (
        <span className="group-member-confirm">
          <button
            type="button"
            className="btn btn-small btn-danger"
            disabled={removing}
            onClick={() => {
              setRemoving(true);
              void onRemove(address, name).finally(() => {
                setRemoving(false);
                setConfirming(false);
              });
            }}
          >
            {removing ? "Removing…" : `Remove ${name}`}
          </button>
          <button
            type="button"
            className="btn btn-small"
            disabled={removing}
            onClick={() => setConfirming(false)}
          >
            Cancel
          </button>
        </span>
      ) : null}
    </li>
  );
}

/** The admin's "add a member by handle" form. */
function AddMember({
  members,
  onAdd,
}: {
  members: readonly string[];
  onAdd: (address: string, name: string) => Promise<void>;
}) {
  const { api } = useSession();
  const [handle, setHandle] = useState("");
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    const who = handle.trim().replace(/^@/, "");
    if (!who || busy) return;
    setError("");
    setBusy(true);
    try {
      const w = await resolveWho(api, who).catch(() => undefined);
      if (!w) setError(`No one called @${who} on this network.`);
      else if (members.includes(w.address)) setError(`${w.name} is in the group already.`);
      else if (members.length >= MAX_MEMBERS) setError(`A group has at most ${MAX_MEMBERS} members.`);
      else {
        await onAdd(w.address, w.name);
        setHandle("");
      }
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="group-add" onSubmit={(e) => void submit(e)}>
      <label className="field-label" htmlFor="group-add-handle">
        Add a member
      </label>
      <div className="group-add-row">
        <input
          id="group-add-handle"
          value={handle}
          placeholder="@handle"
          autoComplete="off"
          maxLength={80}
          aria-invalid={!!error}
          aria-describedby={error ? "group-add-error" : undefined}
          onChange={(e) => setHandle(e.target.value)}
        />
        <button type="submit" className="btn btn-small btn-primary" disabled={busy || !handle.trim()}>
          {busy ? "Adding…" : "Add"}
        </button>
      </div>
      {error ? (
        <p className="field-error" id="group-add-error" role="alert">
          {error}
        </p>
      ) : null}
    </form>
  );
}

/** client/dm MAX_GROUP_MEMBERS. */
const MAX_MEMBERS = 32;

export function GroupMembers({
  dm,
  id,
  admin,
  members,
  inbox,
  presence,
  onChanged,
  onLeave,
}: {
  dm: DmService;
  id: string;
  /** Who may add and remove members (the creator). */
  admin: string | undefined;
  members: readonly string[];
  inbox: Inbox | undefined;
  presence: Record<string, Presence>;
  onChanged: () => void;
  onLeave: () => Promise<void>;
}) {
  const { active } = useSession();
  const toast = useToast();
  const [leaving, setLeaving] = useState(false);
  const isAdmin = admin === active.address;
  const unreachedText = (n: number) =>
    n > 0
      ? ` ${n === 1 ? "One member has" : `${n} members have`} not received the change yet; it is retried.`
      : "";
  const add = async (member: string, name: string) => {
    try {
      const unreached = await dm.addGroupMember(id, member);
      toast(`${name} added. They read messages from now on.${unreachedText(unreached.length)}`, "success");
      onChanged();
    } catch (e) {
      toast(membershipErrorText(e), "error");
    }
  };
  const remove = async (member: string, name: string) => {
    try {
      const unreached = await dm.removeGroupMember(id, member);
      toast(
        `${name} removed. New messages are sealed with a fresh key.${unreachedText(unreached.length)}`,
        "success",
      );
      onChanged();
    } catch (e) {
      toast(membershipErrorText(e), "error");
    }
  };
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
            admin={m === admin}
            presence={m === active.address ? "online" : presence[m]}
            standing={standingWith(inbox, active.address, m)}
            onAccept={(x) => void accept(x)}
            onRemove={isAdmin && m !== active.address ? remove : undefined}
          />
        ))}
      </ul>
      {isAdmin ? <AddMember members={members} onAdd={add} /> : null}
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
