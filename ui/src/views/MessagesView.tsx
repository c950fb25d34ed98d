/**
 * Direct messages and group chats, end-to-end encrypted in the browser: the inbox (conversations
 * and groups with unread counts, requests to accept, decline or block, "New group"), a
 * conversation (opened envelopes, send, "Seen" from the peer's read receipt, typing, delete my
 * message everywhere, the conversation's retention), presence dots, all live over /v1/stream.
 * A group's conversation is at /messages/<64-hex group id> (components/GroupConversation.tsx).
 */
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { Avatar, EmptyState, ErrorState, Spinner } from "../components/common.js";
import { GroupConversation } from "../components/GroupConversation.js";
import { GroupNewDialog } from "../components/GroupNewDialog.js";
import { GroupRow } from "../components/GroupRow.js";
import { MessageBubble, RetentionPicker, useForgetViewOnce, useRetention } from "../dm/bubbles.js";
import { ComposeBox, useScrollToEnd } from "../dm/compose.js";
import { LockIcon, PresenceDot, resolveWho, usePresence, useWho } from "../dm/hooks.js";
import { type DmService, dmErrorText, type GroupInfo, type Inbox, type KeptMessage } from "../dm/service.js";
import { timeAgo } from "../lib/format.js";
import { linkClick, messagesPath, navigate, profilePath } from "../lib/router.js";
import { useSession } from "../lib/session.js";
import { useToast } from "../lib/toasts.js";

function useDm(): DmService | undefined {
  const session = useSession();
  const [svc, setSvc] = useState<DmService>();
  useEffect(() => {
    let live = true;
    void import("../dm/service.js").then((m) => live && setSvc(m.dmServiceFor(session)));
    return () => {
      live = false;
    };
  }, [session]);
  return svc;
}

/** A group's route segment is its 64-hex id; anything else names a person. */
const isGroupId = (s: string | undefined): boolean => !!s && /^[0-9a-f]{64}$/.test(s);

export default function MessagesView({ peer }: { peer: string | undefined }) {
  const { active, api } = useSession();
  const dm = useDm();
  const [peerAddress, setPeerAddress] = useState<string | undefined>();
  const [peerError, setPeerError] = useState("");
  const groupId = peer && isGroupId(peer) ? peer : undefined;

  useEffect(() => {
    setPeerError("");
    if (!peer || isGroupId(peer)) {
      setPeerAddress(undefined);
      return;
    }
    if (peer.startsWith("vivim1")) {
      setPeerAddress(peer);
      return;
    }
    let live = true;
    resolveWho(api, peer)
      .then((w) => live && setPeerAddress(w.address))
      .catch(() => live && setPeerError(`No one called @${peer.replace(/^@/, "")} on this network.`));
    return () => {
      live = false;
    };
  }, [api, peer]);

  if (!active.hasKey) {
    return (
      <EmptyState title="Messages need this account's key">
        Switch to an account whose key is on this device.
      </EmptyState>
    );
  }
  return (
    <div className={`dm-layout${peer ? " dm-has-peer" : ""}`} data-testid="messages">
      <InboxPane dm={dm} current={groupId ?? peerAddress} />
      <section className="dm-pane" aria-label="Conversation">
        {groupId && dm ? (
          <GroupConversation key={groupId} dm={dm} id={groupId} />
        ) : peerError ? (
          <ErrorState message={peerError} />
        ) : peerAddress && dm ? (
          <Conversation key={peerAddress} dm={dm} peer={peerAddress} />
        ) : peer ? (
          <Spinner label="Opening the conversation" />
        ) : (
          <EmptyState title="Your messages">
            End-to-end encrypted: only you and the people you write to can read them. Pick a conversation,
            start one, or make a group.
          </EmptyState>
        )}
      </section>
    </div>
  );
}

function InboxPane({ dm, current }: { dm: DmService | undefined; current: string | undefined }) {
  const { active, api } = useSession();
  const toast = useToast();
  const [inbox, setInbox] = useState<Inbox | null>(null);
  const [groups, setGroups] = useState<Record<string, GroupInfo>>({});
  const [error, setError] = useState("");
  const [nonce, setNonce] = useState(0);
  const [to, setTo] = useState("");
  const [busy, setBusy] = useState("");
  const [creating, setCreating] = useState(false);

  useEffect(() => {
    if (!dm) return;
    void nonce;
    let live = true;
    dm.inbox()
      .then(async (i) => {
        const g = await dm.groups();
        if (!live) return;
        setInbox(i);
        setGroups(g);
        setError("");
      })
      .catch((e) => live && setError(dmErrorText(e)));
    return () => {
      live = false;
    };
  }, [dm, nonce]);

  useEffect(() => dm?.onChange((e) => e.type !== "typing" && setNonce((n) => n + 1)), [dm]);

  const peers = useMemo(
    () =>
      (inbox?.conversations ?? [])
        .filter((c) => c.members.length === 2)
        .map((c) => c.members.find((m) => m !== active.address))
        .filter((x): x is string => !!x),
    [inbox, active.address],
  );
  const presence = usePresence(peers);

  const answer = async (kind: "accept" | "decline" | "block", from: string) => {
    if (!dm) return;
    setBusy(`${kind}:${from}`);
    try {
      await dm.control(kind, from);
      toast(kind === "accept" ? "Request accepted" : kind === "decline" ? "Request declined" : "Blocked");
      setNonce((n) => n + 1);
      if (kind === "accept") navigate(messagesPath(from));
    } catch (e) {
      toast(dmErrorText(e), "error");
    } finally {
      setBusy("");
    }
  };

  const start = async (e: React.FormEvent) => {
    e.preventDefault();
    const who = to.trim().replace(/^@/, "");
    if (!who) return;
    try {
      const w = await resolveWho(api, who);
      setTo("");
      navigate(messagesPath(w.address));
    } catch {
      toast(`No one called @${who} on this network.`, "error");
    }
  };

  const requests = inbox?.requests ?? [];
  const conversations = (inbox?.conversations ?? []).filter(
    (c) => !(c.status === "pending" && c.requester && c.requester !== active.address),
  );
  // Groups made here (or joined) that have no message on the node yet come first.
  const listed = new Set(conversations.map((c) => c.conversation));
  const quietGroups = Object.values(groups).filter((g) => !listed.has(g.id) && !g.left);
  return (
    <aside className="dm-inbox" aria-label="Inbox">
      <div className="dm-inbox-head">
        <h1 className="dm-title">Messages</h1>
        <span className="dm-lock" title="End-to-end encrypted">
          <LockIcon /> Encrypted
        </span>
      </div>
      <form className="dm-new" onSubmit={start}>
        <label htmlFor="dm-to" className="sr-only">
          Message someone (handle or address)
        </label>
        <input
          id="dm-to"
          className="input"
          placeholder="Message @handle…"
          value={to}
          onChange={(e) => setTo(e.target.value)}
          autoComplete="off"
        />
        <button type="submit" className="btn" disabled={!to.trim()}>
          Start
        </button>
      </form>
      {error ? (
        <ErrorState message={error} onRetry={() => setNonce((n) => n + 1)} />
      ) : !inbox ? (
        <div className="dm-loading">
          <Spinner label="Loading your inbox" />
        </div>
      ) : (
        <>
          {requests.length > 0 ? (
            <section aria-label="Message requests" className="dm-requests" data-testid="dm-requests">
              <h2 className="nav-heading">Requests</h2>
              {requests.map((r) => (
                <RequestRow key={r.from} from={r.from} at={r.at} busy={busy} onAnswer={answer} />
              ))}
            </section>
          ) : null}
          <div className="dm-list-head">
            <h2 className="nav-heading">Conversations</h2>
            <button type="button" className="btn btn-small" onClick={() => setCreating(true)}>
              + New group
            </button>
          </div>
          {conversations.length === 0 && quietGroups.length === 0 ? (
            <p className="dm-empty">No conversations yet. Start one above, or from someone’s profile.</p>
          ) : (
            <ul className="dm-list">
              {quietGroups.map((g) => (
                <GroupRow
                  key={g.id}
                  id={g.id}
                  group={g}
                  members={g.members}
                  unread={0}
                  current={current === g.id}
                />
              ))}
              {conversations.map((c) => {
                if (c.members.length > 2 || groups[c.conversation]) {
                  return (
                    <GroupRow
                      key={c.conversation}
                      id={c.conversation}
                      group={groups[c.conversation]}
                      members={c.members}
                      unread={current === c.conversation ? 0 : c.unread}
                      at={c.lastSentAt}
                      current={current === c.conversation}
                    />
                  );
                }
                const peer = c.members.find((m) => m !== active.address) ?? active.address;
                return (
                  <ConversationRow
                    key={c.conversation}
                    peer={peer}
                    unread={current === peer ? 0 : c.unread}
                    at={c.lastSentAt}
                    status={c.status}
                    current={current === peer}
                    presence={presence[peer]}
                  />
                );
              })}
            </ul>
          )}
        </>
      )}
      {creating ? <GroupNewDialog dm={dm} onClose={() => setCreating(false)} /> : null}
    </aside>
  );
}

function RequestRow({
  from,
  at,
  busy,
  onAnswer,
}: {
  from: string;
  at: number;
  busy: string;
  onAnswer: (kind: "accept" | "decline" | "block", from: string) => void;
}) {
  const who = useWho(from);
  const name = who?.name ?? "…";
  return (
    <div className="dm-request" data-testid="dm-request">
      <a href={messagesPath(from)} onClick={linkClick} className="dm-request-who">
        <Avatar name={who?.displayName ?? name} seed={from} size={28} agent={who?.agent} />
        <span>
          <strong>{name}</strong> wants to message you
          <span className="muted"> · {timeAgo(at)}</span>
        </span>
      </a>
      <div className="dm-request-actions">
        <button
          type="button"
          className="btn btn-primary btn-small"
          disabled={!!busy}
          onClick={() => onAnswer("accept", from)}
        >
          Accept
        </button>
        <button
          type="button"
          className="btn btn-small"
          disabled={!!busy}
          onClick={() => onAnswer("decline", from)}
        >
          Decline
        </button>
        <button
          type="button"
          className="btn btn-small btn-danger"
          disabled={!!busy}
          onClick={() => onAnswer("block", from)}
        >
          Block
        </button>
      </div>
    </div>
  );
}

function ConversationRow(props: {
  peer: string;
  unread: number;
  at: number;
  status: string | undefined;
  current: boolean;
  presence: ReturnType<typeof usePresence>[string] | undefined;
}) {
  const who = useWho(props.peer);
  const name = who?.name ?? "…";
  return (
    <li>
      <a
        href={messagesPath(props.peer)}
        onClick={linkClick}
        className={`dm-row${props.current ? " active" : ""}`}
        aria-current={props.current ? "page" : undefined}
      >
        <span className="dm-avatar">
          <Avatar name={who?.displayName ?? name} seed={props.peer} size={34} agent={who?.agent} />
          <PresenceDot status={props.presence} />
        </span>
        <span className="dm-row-main">
          <span className="dm-row-name">{name}</span>
          <span className="dm-row-sub">
            {props.status === "pending" ? "Request sent · " : ""}
            {timeAgo(props.at)}
          </span>
        </span>
        {props.unread > 0 ? (
          <span className="dm-unread">
            {props.unread}
            <span className="sr-only"> unread</span>
          </span>
        ) : null}
      </a>
    </li>
  );
}

interface Opened {
  conversation: string;
  messages: KeptMessage[];
  peerReadUpTo?: string;
}

function Conversation({ dm, peer }: { dm: DmService; peer: string }) {
  const { active } = useSession();
  const toast = useToast();
  const who = useWho(peer);
  const presence = usePresence([peer]);
  const [opened, setOpened] = useState<Opened | null>(null);
  const [error, setError] = useState("");
  const [nonce, setNonce] = useState(0);
  const [text, setText] = useState("");
  const [sending, setSending] = useState(false);
  const [typingUntil, setTypingUntil] = useState(0);
  const [pendingRequest, setPendingRequest] = useState<"incoming" | "outgoing" | undefined>();
  // No read receipt until the pair's standing is known: reading a request does not tell its sender.
  const [standingKnown, setStandingKnown] = useState(false);
  const lastReceipt = useRef("");
  const lastTyping = useRef(0);
  const [, tick] = useState(0);

  useEffect(() => {
    void nonce;
    let live = true;
    dm.open(peer)
      .then((o) => {
        if (!live) return;
        setOpened(o);
        setError("");
      })
      .catch((e) => live && setError(dmErrorText(e)));
    // The pair's standing (a pending request either way) from a fresh inbox.
    dm.inbox()
      .then((inbox) => {
        if (!live) return;
        const conv = inbox.conversations.find((c) => c.members.includes(peer));
        const asked = inbox.requests.some((r) => r.from === peer);
        if (asked || (conv?.status === "pending" && conv.requester === peer)) setPendingRequest("incoming");
        else if (conv?.status === "pending") setPendingRequest("outgoing");
        else setPendingRequest(undefined);
        setStandingKnown(true);
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [dm, peer, nonce]);

  useEffect(
    () =>
      dm.onChange((e) => {
        if (e.type === "typing") {
          if (e.from === peer) setTypingUntil(Date.now() + 6000);
          return;
        }
        if (e.type === "message" && e.from === peer) setTypingUntil(0);
        setNonce((n) => n + 1);
      }),
    [dm, peer],
  );

  // The typing indicator fades out about 6 s after the last typing event.
  useEffect(() => {
    if (typingUntil <= Date.now()) return;
    const t = setTimeout(() => tick((n) => n + 1), typingUntil - Date.now() + 50);
    return () => clearTimeout(t);
  }, [typingUntil]);

  // Read receipt: the newest incoming message shown.
  useEffect(() => {
    if (!opened || !standingKnown || pendingRequest === "incoming") return;
    const incoming = opened.messages.filter((m) => m.dir === "in");
    const newest = incoming[incoming.length - 1];
    if (!newest || newest.id === lastReceipt.current || document.visibilityState === "hidden") return;
    lastReceipt.current = newest.id;
    void dm.receipt(opened.conversation, newest.id).catch(() => {
      lastReceipt.current = "";
    });
  }, [dm, opened, standingKnown, pendingRequest]);

  const endRef = useScrollToEnd(opened?.messages.length ?? 0);

  const send = useCallback(async () => {
    const body = text.trim();
    if (!body || sending) return;
    setSending(true);
    try {
      const r = await dm.send(peer, body);
      setText("");
      lastTyping.current = 0;
      if (r.request) setPendingRequest("outgoing");
      setNonce((n) => n + 1);
    } catch (e) {
      toast(dmErrorText(e), "error");
    } finally {
      setSending(false);
    }
  }, [dm, peer, text, sending, toast]);

  const onType = (value: string) => {
    setText(value);
    if (!opened || Date.now() - lastTyping.current < 3000 || !value) return;
    lastTyping.current = Date.now();
    dm.typing(opened.conversation, peer);
  };

  const accept = async (kind: "accept" | "decline" | "block") => {
    try {
      await dm.control(kind, peer);
      toast(kind === "accept" ? "Request accepted" : kind === "decline" ? "Request declined" : "Blocked");
      setPendingRequest(undefined);
      setNonce((n) => n + 1);
      if (kind !== "accept") navigate(messagesPath());
    } catch (e) {
      toast(dmErrorText(e), "error");
    }
  };

  const remove = useCallback(
    async (m: KeptMessage) => {
      if (!opened) return;
      try {
        await dm.deleteMessage(opened.conversation, m.id);
        toast("Deleted for everyone");
        setNonce((n) => n + 1);
      } catch (e) {
        toast(dmErrorText(e), "error");
      }
    },
    [dm, opened, toast],
  );
  const [retention, setRetention] = useRetention(dm, opened?.conversation);
  const shownMessages = useMemo(() => opened?.messages ?? [], [opened]);
  useForgetViewOnce(dm, opened?.conversation, shownMessages);

  const seenIndex = useMemo(() => {
    if (!opened?.peerReadUpTo) return -1;
    return opened.messages.findIndex((m) => m.id === opened.peerReadUpTo);
  }, [opened]);
  const lastOut = opened ? opened.messages.map((m) => m.dir).lastIndexOf("out") : -1;
  const name = who?.name ?? "…";
  const typing = typingUntil > Date.now();

  return (
    <div className="dm-conversation" data-testid="conversation">
      <header className="dm-conv-head">
        <a href={messagesPath()} onClick={linkClick} className="dm-back" aria-label="Back to the inbox">
          ←
        </a>
        <span className="dm-avatar">
          <Avatar name={who?.displayName ?? name} seed={peer} size={36} agent={who?.agent} />
          <PresenceDot status={presence[peer]} />
        </span>
        <div className="dm-conv-title">
          <a href={profilePath(who?.name.startsWith("@") ? who.name : peer)} onClick={linkClick}>
            <strong>{name}</strong>
          </a>
          <span className="muted" data-testid="peer-presence">
            {typing ? "typing…" : (presence[peer] ?? "offline")}
          </span>
        </div>
        <div className="dm-conv-tools">
          <RetentionPicker value={retention} onChange={setRetention} direct />
          <span className="dm-lock" title="Only you and they can read these messages">
            <LockIcon size={14} />
            <span className="sr-only">End-to-end encrypted</span>
          </span>
        </div>
      </header>
      {pendingRequest === "incoming" ? (
        <section className="dm-banner" aria-label="Message request">
          <p>
            <strong>{name}</strong> wants to message you. They will not know you have read this until you
            answer.
          </p>
          <div className="dm-request-actions">
            <button type="button" className="btn btn-primary btn-small" onClick={() => void accept("accept")}>
              Accept
            </button>
            <button type="button" className="btn btn-small" onClick={() => void accept("decline")}>
              Decline
            </button>
            <button type="button" className="btn btn-small btn-danger" onClick={() => void accept("block")}>
              Block
            </button>
          </div>
        </section>
      ) : null}
      <div className="dm-messages" aria-live="polite" data-testid="dm-messages">
        {error ? (
          <ErrorState message={error} onRetry={() => setNonce((n) => n + 1)} />
        ) : !opened ? (
          <div className="dm-loading">
            <Spinner label="Opening encrypted messages" />
          </div>
        ) : opened.messages.length === 0 ? (
          <EmptyState title={`Say hello to ${name}`}>
            Your first message is a request: they choose whether to accept it.
          </EmptyState>
        ) : (
          opened.messages.map((m, i) => (
            <MessageBubble
              key={m.id}
              m={m}
              showSender={false}
              onDelete={remove}
              status={
                m.dir === "out" && i === lastOut
                  ? seenIndex >= i
                    ? "Seen"
                    : pendingRequest === "outgoing"
                      ? "Delivered · request"
                      : "Delivered"
                  : undefined
              }
            />
          ))
        )}
        {typing ? (
          <div className="dm-typing" data-testid="dm-typing">
            {name} is typing…
          </div>
        ) : null}
        <div ref={endRef} />
      </div>
      <ComposeBox
        id="dm-text"
        to={name}
        value={text}
        sending={sending}
        disabled={pendingRequest === "incoming"}
        onChange={onType}
        onSend={() => void send()}
      />
      <p className="sr-only">Signed in as {active.name}</p>
    </div>
  );
}
