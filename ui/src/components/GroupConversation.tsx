/**
 * GROUPS: one group chat — its name and members' faces, the members panel, messages opened in the
 * browser with the senders' keys (client/dm/group.ts through DmAccount), sending once for everyone,
 * who is typing, read marks (which clear the unread count), deleting my own message everywhere,
 * and the group's retention tier. Live over the `dm` and `presence` stream topics.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { MessageBubble, RetentionPicker, useForgetViewOnce, useRetention } from "../dm/bubbles.js";
import { ComposeBox, useScrollToEnd } from "../dm/compose.js";
import { LockIcon, usePresence, useWho } from "../dm/hooks.js";
import { type DmService, dmErrorText, type GroupInfo, type Inbox, type KeptMessage } from "../dm/service.js";
import { linkClick, messagesPath, navigate } from "../lib/router.js";
import { useSession } from "../lib/session.js";
import { useToast } from "../lib/toasts.js";
import { EmptyState, ErrorState, Spinner } from "./common.js";
import { withGroupEvents } from "./GroupEvents.js";
import { GroupMembers, standingWith } from "./GroupMembers.js";
import { GroupAvatars } from "./GroupRow.js";

/** How long a typing indicator stays after the member's last typing event. */
const TYPING_MS = 6000;

function TypingLine({ from }: { from: string[] }) {
  const first = useWho(from[0]);
  if (from.length === 0) return null;
  const who = first?.name ?? "Someone";
  return (
    <div className="dm-typing" data-testid="dm-typing">
      {from.length === 1 ? `${who} is typing…` : `${who} and ${from.length - 1} more are typing…`}
    </div>
  );
}

export function GroupConversation({ dm, id }: { dm: DmService; id: string }) {
  const { active } = useSession();
  const toast = useToast();
  const [group, setGroup] = useState<GroupInfo | undefined>();
  const [messages, setMessages] = useState<KeptMessage[] | null>(null);
  const [inbox, setInbox] = useState<Inbox>();
  const [error, setError] = useState("");
  const [nonce, setNonce] = useState(0);
  const [text, setText] = useState("");
  const [sending, setSending] = useState(false);
  const [showMembers, setShowMembers] = useState(false);
  const [typing, setTyping] = useState<Record<string, number>>({});
  const [, tick] = useState(0);
  const lastReceipt = useRef("");
  const lastTyping = useRef(0);
  const [retention, setRetention] = useRetention(dm, id);

  useEffect(() => {
    void nonce;
    let live = true;
    dm.openGroup(id)
      .then((o) => {
        if (!live) return;
        setGroup(o.group);
        setMessages(o.messages);
        setError("");
      })
      .catch((e) => live && setError(dmErrorText(e)));
    dm.inbox()
      .then((i) => live && setInbox(i))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [dm, id, nonce]);

  useEffect(
    () =>
      dm.onChange((e) => {
        if (e.type === "typing") {
          if (e.conversation === id && e.from) {
            const from = e.from;
            setTyping((t) => ({ ...t, [from]: Date.now() + TYPING_MS }));
          }
          return;
        }
        if (e.type === "message" && e.conversation === id && e.from) {
          const from = e.from;
          setTyping(({ [from]: _gone, ...rest }) => rest);
        }
        // Any DM event may carry a member's key or notice (1:1) or a group message: read again.
        setNonce((n) => n + 1);
      }),
    [dm, id],
  );

  const typingNow = Object.entries(typing)
    .filter(([, until]) => until > Date.now())
    .map(([from]) => from);
  const nextFade = Math.min(...Object.values(typing).filter((u) => u > Date.now()));
  useEffect(() => {
    if (!Number.isFinite(nextFade)) return;
    const t = setTimeout(() => tick((n) => n + 1), nextFade - Date.now() + 50);
    return () => clearTimeout(t);
  }, [nextFade]);

  // Read mark: the newest incoming message shown (clears this group's unread count everywhere).
  useEffect(() => {
    const newest = messages?.filter((m) => m.dir === "in").at(-1);
    if (!newest || newest.id === lastReceipt.current || document.visibilityState === "hidden") return;
    lastReceipt.current = newest.id;
    void dm.receipt(id, newest.id).catch(() => {
      lastReceipt.current = "";
    });
  }, [dm, id, messages]);

  const endRef = useScrollToEnd(messages?.length ?? 0);

  const shown = useMemo(() => messages ?? [], [messages]);
  useForgetViewOnce(dm, id, shown);

  const members = group?.members ?? [];
  const others = members.filter((m) => m !== active.address);
  const presence = usePresence(others);
  const online = others.filter((m) => presence[m] === "online").length;
  const notYet = inbox ? others.filter((m) => standingWith(inbox, active.address, m) !== "accepted") : [];

  const send = useCallback(async () => {
    const body = text.trim();
    if (!body || sending) return;
    setSending(true);
    try {
      const r = await dm.sendGroup(id, body);
      setText("");
      lastTyping.current = 0;
      if (r.unreached.length > 0) toast("Sent. Some members have not received your key yet; it is retried.");
      setNonce((n) => n + 1);
    } catch (e) {
      toast(dmErrorText(e), "error");
    } finally {
      setSending(false);
    }
  }, [dm, id, text, sending, toast]);

  const onType = (value: string) => {
    setText(value);
    if (!value || others.length === 0 || Date.now() - lastTyping.current < 3000) return;
    lastTyping.current = Date.now();
    dm.typing(id, others);
  };

  const remove = useCallback(
    async (m: KeptMessage) => {
      try {
        await dm.deleteMessage(id, m.id);
        toast("Deleted for everyone");
        setNonce((n) => n + 1);
      } catch (e) {
        toast(dmErrorText(e), "error");
      }
    },
    [dm, id, toast],
  );

  const leave = async () => {
    try {
      await dm.leaveGroup(id);
      toast(`You left ${group?.name ?? "the group"}`);
      navigate(messagesPath());
    } catch (e) {
      toast(dmErrorText(e), "error");
    }
  };

  if (error && !group) return <ErrorState message={error} onRetry={() => setNonce((n) => n + 1)} />;
  if (!messages) {
    return (
      <div className="dm-loading">
        <Spinner label="Opening the group" />
      </div>
    );
  }
  if (!group) {
    return (
      <EmptyState title="Waiting for the invitation">
        This group’s key has not reached you yet. It arrives in a message from the member who added you —
        accept their message request if you have one.
      </EmptyState>
    );
  }

  const name = group.name;
  return (
    <div className="dm-conversation group-conversation" data-testid="group-conversation">
      <header className="dm-conv-head">
        <a href={messagesPath()} onClick={linkClick} className="dm-back" aria-label="Back to the inbox">
          ←
        </a>
        <GroupAvatars members={others} size={26} />
        <div className="dm-conv-title">
          <strong data-testid="group-name">{name}</strong>
          <span className="muted">
            {typingNow.length > 0
              ? "typing…"
              : group.removed
                ? "You were removed from this group"
                : group.left
                  ? "You left this group"
                  : `${members.length} members${online ? ` · ${online} online` : ""}`}
          </span>
        </div>
        <div className="dm-conv-tools">
          <RetentionPicker value={retention} onChange={setRetention} direct={false} />
          <button
            type="button"
            className="btn btn-small"
            aria-expanded={showMembers}
            aria-controls="group-members-panel"
            onClick={() => setShowMembers((v) => !v)}
          >
            Members
          </button>
          <span className="dm-lock" title="Only the members can read these messages">
            <LockIcon size={14} />
            <span className="sr-only">End-to-end encrypted</span>
          </span>
        </div>
      </header>
      {notYet.length > 0 && !group.left ? (
        <section className="dm-banner" aria-label="Who has not accepted you yet">
          <p>
            Your messages reach the group once every member has accepted you. Waiting on {notYet.length}{" "}
            {notYet.length === 1 ? "member" : "members"} — see Members.
          </p>
        </section>
      ) : null}
      <div className="group-body">
        <div className="dm-messages" aria-live="polite" data-testid="dm-messages">
          {error ? <ErrorState message={error} onRetry={() => setNonce((n) => n + 1)} /> : null}
          {messages.length === 0 && group.events.length === 0 ? (
            <EmptyState title={`Welcome to ${name}`}>
              Messages here are encrypted once for all {members.length} members and readable by them only.
            </EmptyState>
          ) : (
            withGroupEvents(messages, group.events, (m) => (
              <MessageBubble m={m} showSender onDelete={remove} />
            ))
          )}
          <TypingLine from={typingNow} />
          <div ref={endRef} />
        </div>
        {showMembers ? (
          <div id="group-members-panel">
            <GroupMembers
              dm={dm}
              id={id}
              admin={group.left ? undefined : group.admin}
              members={members.length ? members : group.members}
              inbox={inbox}
              presence={presence}
              onChanged={() => setNonce((n) => n + 1)}
              onLeave={leave}
            />
          </div>
        ) : null}
      </div>
      {group.left ? (
        <p className="dm-empty group-left" data-testid="group-left">
          {group.removed ? "You were removed from this group." : "You left this group."} Its messages stay
          here until they expire.
        </p>
      ) : (
        <ComposeBox
          id="group-text"
          to={name}
          value={text}
          sending={sending}
          onChange={onType}
          onSend={() => void send()}
        />
      )}
    </div>
  );
}
