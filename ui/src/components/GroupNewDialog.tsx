/**
 * GROUPS: "New group" — a name and 2–31 members picked by handle. Creating it makes our sender key
 * and hands it to each member inside a 1:1 encrypted message (a DM request to anyone who has not
 * accepted us yet), then opens the group.
 */
import { useState } from "react";
import { ModalForm, useDialog } from "../dm/dialog.js";
import { resolveWho, type Who } from "../dm/hooks.js";
import { type DmService, dmErrorText } from "../dm/service.js";
import { messagesPath, navigate } from "../lib/router.js";
import { useSession } from "../lib/session.js";
import { useToast } from "../lib/toasts.js";
import { Avatar } from "./common.js";

/** Others besides us: a group has 3–32 members in all (client/dm MAX_GROUP_MEMBERS). */
const MIN_OTHERS = 2;
const MAX_OTHERS = 31;
const MAX_NAME = 64;

export function GroupNewDialog({ dm, onClose }: { dm: DmService | undefined; onClose: () => void }) {
  const { api, active } = useSession();
  const toast = useToast();
  const [name, setName] = useState("");
  const [handle, setHandle] = useState("");
  const [members, setMembers] = useState<Who[]>([]);
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);
  const first = useDialog(onClose);

  const add = async () => {
    const who = handle.trim().replace(/^@/, "");
    if (!who) return;
    setError("");
    try {
      const w = await resolveWho(api, who);
      if (w.address === active.address) setError("You are in the group already.");
      else if (members.some((m) => m.address === w.address)) setError(`${w.name} is already added.`);
      else if (members.length >= MAX_OTHERS) setError(`A group has at most ${MAX_OTHERS + 1} members.`);
      else {
        setMembers([...members, w]);
        setHandle("");
      }
    } catch {
      setError(`No one called @${who} on this network.`);
    }
  };

  const valid = name.trim().length > 0 && members.length >= MIN_OTHERS && !busy;

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!valid || !dm) return;
    setBusy(true);
    setError("");
    try {
      const r = await dm.createGroup(
        name,
        members.map((m) => m.address),
      );
      if (r.unreached.length > 0) {
        const names = r.unreached.map((u) => members.find((m) => m.address === u.member)?.name ?? u.member);
        toast(`Group created. Not reached yet: ${names.join(", ")} — tried again with your next message.`);
      } else toast("Group created");
      onClose();
      navigate(messagesPath(r.group));
    } catch (err) {
      setError(dmErrorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <ModalForm
      titleId="group-new-title"
      title="New group"
      testId="group-new"
      error={error}
      submitLabel={busy ? "Creating…" : `Create group · ${members.length + 1} members`}
      canSubmit={valid}
      onSubmit={submit}
      onClose={onClose}
    >
      <p className="muted">
        End-to-end encrypted for its members only. Everyone in a group must have accepted messages from
        whoever writes; people you have not talked to yet get a message request.
      </p>
      <label className="field">
        <span>Group name</span>
        <input
          ref={first}
          className="input"
          value={name}
          maxLength={MAX_NAME}
          onChange={(e) => setName(e.target.value)}
        />
      </label>
      <div className="field">
        <label htmlFor="group-member">Add members (2–31, by handle)</label>
        <div className="dm-new">
          <input
            id="group-member"
            className="input"
            placeholder="@handle"
            value={handle}
            autoComplete="off"
            onChange={(e) => setHandle(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === "Enter") {
                e.preventDefault();
                void add();
              }
            }}
          />
          <button type="button" className="btn" disabled={!handle.trim()} onClick={() => void add()}>
            Add
          </button>
        </div>
      </div>
      {members.length > 0 ? (
        <ul className="group-chips" aria-label="Members to add">
          {members.map((m) => (
            <li key={m.address} className="group-chip">
              <Avatar name={m.displayName} seed={m.address} size={20} agent={m.agent} />
              <span>{m.name}</span>
              <button
                type="button"
                className="group-chip-remove"
                aria-label={`Remove ${m.name}`}
                onClick={() => setMembers(members.filter((x) => x.address !== m.address))}
              >
                ✕
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </ModalForm>
  );
}
