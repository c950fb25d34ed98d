/**
 * The assistant chat (/chat): @assistant-ui/react's LocalRuntime over the offline deterministic
 * model (chat/model.ts), styled with our CSS. Tool calls use the MCP tools' names and arguments;
 * writes are cards confirmed and signed in this browser (components/ChatCards.tsx). Threads are
 * kept per account in localStorage (chat/threads.ts): new chat, switch, delete; messages can be
 * edited (the answer is redone) and answers retried.
 */
import {
  ActionBarPrimitive,
  AssistantRuntimeProvider,
  BranchPickerPrimitive,
  ComposerPrimitive,
  MessagePrimitive,
  type TextMessagePartProps,
  type ThreadMessageLike,
  ThreadPrimitive,
  useLocalRuntime,
} from "@assistant-ui/react";
import { useEffect, useMemo, useRef, useState } from "react";
import { assistantModel, offlineModel, serverIntent } from "../chat/model.js";
import {
  deleteThread,
  listThreads,
  loadMessages,
  newThreadId,
  saveThread,
  type ThreadMeta,
} from "../chat/threads.js";
import { ChatToolCard } from "../components/ChatCards.js";
import { timeAgo } from "../lib/format.js";
import { useSession } from "../lib/session.js";

const SUGGESTIONS = [
  "post 'shipping v2 today' in #general",
  "what's hot in #general?",
  "vote yes on proposal 1",
  "follow @bob",
  "rate @alice/scout 5 stars",
  "hire @bob for 50 VIVIM to review my PR",
];

function Text({ text }: TextMessagePartProps) {
  return <p className="chat-text">{text}</p>;
}

const PARTS = { Text, tools: { Override: ChatToolCard } };

/** "‹ 2 / 3 ›" between the versions of an edited message or a retried answer. */
function Branches() {
  return (
    <BranchPickerPrimitive.Root hideWhenSingleBranch className="chat-branches">
      <BranchPickerPrimitive.Previous className="chat-action" aria-label="Previous version">
        ‹
      </BranchPickerPrimitive.Previous>
      <span className="chat-branch-count">
        <BranchPickerPrimitive.Number /> / <BranchPickerPrimitive.Count />
      </span>
      <BranchPickerPrimitive.Next className="chat-action" aria-label="Next version">
        ›
      </BranchPickerPrimitive.Next>
    </BranchPickerPrimitive.Root>
  );
}

function UserMessage() {
  return (
    <MessagePrimitive.Root className="chat-msg chat-msg-user" data-testid="chat-user-msg">
      <div className="chat-bubble">
        <MessagePrimitive.Parts components={{ Text }} />
      </div>
      <div className="chat-actions">
        <Branches />
        <ActionBarPrimitive.Root className="chat-actions" hideWhenRunning autohide="not-last">
          <ActionBarPrimitive.Edit className="chat-action" aria-label="Edit message">
            Edit
          </ActionBarPrimitive.Edit>
        </ActionBarPrimitive.Root>
      </div>
    </MessagePrimitive.Root>
  );
}

function AssistantMessage() {
  return (
    <MessagePrimitive.Root className="chat-msg chat-msg-assistant" data-testid="chat-assistant-msg">
      <span className="chat-avatar" aria-hidden="true">
        ✦
      </span>
      <div className="chat-body">
        <MessagePrimitive.Parts components={PARTS} />
        <div className="chat-actions">
          <Branches />
          <ActionBarPrimitive.Root className="chat-actions" hideWhenRunning autohide="not-last">
            <ActionBarPrimitive.Reload className="chat-action" aria-label="Retry answer">
              Retry
            </ActionBarPrimitive.Reload>
            <ActionBarPrimitive.Copy className="chat-action" aria-label="Copy answer">
              Copy
            </ActionBarPrimitive.Copy>
          </ActionBarPrimitive.Root>
        </div>
      </div>
    </MessagePrimitive.Root>
  );
}

function EditComposer() {
  return (
    <ComposerPrimitive.Root className="chat-msg chat-msg-user chat-edit">
      <ComposerPrimitive.Input className="input chat-input" aria-label="Edit your message" />
      <div className="chat-edit-actions">
        <ComposerPrimitive.Cancel className="btn btn-ghost">Cancel</ComposerPrimitive.Cancel>
        <ComposerPrimitive.Send className="btn btn-primary">Update</ComposerPrimitive.Send>
      </div>
    </ComposerPrimitive.Root>
  );
}

function Welcome({ name }: { name: string }) {
  return (
    <div className="chat-welcome">
      <div className="chat-welcome-icon" aria-hidden="true">
        ✦
      </div>
      <h2>What should we do, {name}?</h2>
      <p>
        Ask in plain words. Anything that changes the chain shows as a card you confirm before it is signed
        here.
      </p>
      <div className="chat-suggestions">
        {SUGGESTIONS.map((s) => (
          <ThreadPrimitive.Suggestion key={s} prompt={s} send className="chat-suggestion">
            {s}
          </ThreadPrimitive.Suggestion>
        ))}
      </div>
    </div>
  );
}

function ChatThread({
  account,
  threadId,
  name,
  onSaved,
}: {
  account: string;
  threadId: string;
  name: string;
  onSaved: (list: ThreadMeta[]) => void;
}) {
  const { api, config, active, signer } = useSession();
  // A real model through the app server when it has AI keys (config.chat); else the offline parser.
  const model = useMemo(
    () =>
      config.chat
        ? assistantModel(
            api,
            serverIntent(config.chainId, active.address, async (text) =>
              (await signer()).signArbitrary(text),
            ),
          )
        : offlineModel(api),
    [api, config.chat, config.chainId, active.address, signer],
  );
  const initial = useMemo<ThreadMessageLike[]>(() => loadMessages(account, threadId), [account, threadId]);
  const runtime = useLocalRuntime(model, { initialMessages: initial });
  const onSavedRef = useRef(onSaved);
  onSavedRef.current = onSaved;

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const save = () => {
      const { messages } = runtime.thread.getState();
      // Saved between runs, and while a card waits for the person (not mid-stream).
      if (messages.length === 0 || messages[messages.length - 1]?.status?.type === "running") return;
      const first = messages.find((m) => m.role === "user");
      const title = first?.content.map((p) => (p.type === "text" ? p.text : "")).join(" ") ?? "";
      onSavedRef.current(saveThread(account, threadId, title, messages));
    };
    const unsub = runtime.thread.subscribe(() => {
      clearTimeout(timer);
      timer = setTimeout(save, 150);
    });
    return () => {
      clearTimeout(timer);
      unsub();
    };
  }, [runtime, account, threadId]);

  return (
    <AssistantRuntimeProvider runtime={runtime}>
      <ThreadPrimitive.Root className="chat-thread">
        <ThreadPrimitive.Viewport className="chat-viewport" aria-live="polite">
          <ThreadPrimitive.Empty>
            <Welcome name={name} />
          </ThreadPrimitive.Empty>
          <ThreadPrimitive.Messages
            components={{ UserMessage, AssistantMessage, UserEditComposer: EditComposer }}
          />
        </ThreadPrimitive.Viewport>
        <ComposerPrimitive.Root className="chat-composer">
          <ComposerPrimitive.Input
            className="input chat-input"
            placeholder="Ask VIVIM… e.g. post 'shipping v2 today' in #general"
            aria-label="Message the assistant"
            autoFocus
            rows={1}
          />
          <ThreadPrimitive.If running={false}>
            <ComposerPrimitive.Send className="btn btn-primary chat-send">Send</ComposerPrimitive.Send>
          </ThreadPrimitive.If>
          <ThreadPrimitive.If running>
            <ComposerPrimitive.Cancel className="btn chat-send">Stop</ComposerPrimitive.Cancel>
          </ThreadPrimitive.If>
        </ComposerPrimitive.Root>
      </ThreadPrimitive.Root>
    </AssistantRuntimeProvider>
  );
}

export default function ChatView() {
  const { active } = useSession();
  const account = active.address;
  const [threads, setThreads] = useState<ThreadMeta[]>(() => listThreads(account));
  const [current, setCurrent] = useState<string>(() => listThreads(account)[0]?.id ?? newThreadId());

  useEffect(() => {
    const list = listThreads(account);
    setThreads(list);
    setCurrent(list[0]?.id ?? newThreadId());
  }, [account]);

  const isSaved = threads.some((t) => t.id === current);

  return (
    <div className="chat-page" data-testid="chat">
      <aside className="chat-threads" aria-label="Chats">
        <button
          type="button"
          className="btn btn-block chat-new"
          onClick={() => setCurrent(newThreadId())}
          disabled={!isSaved}
        >
          + New chat
        </button>
        {threads.length === 0 ? <p className="chat-threads-empty">Your chats appear here.</p> : null}
        <ul>
          {threads.map((t) => (
            <li key={t.id} className={`chat-thread-item${t.id === current ? " active" : ""}`}>
              <button
                type="button"
                className="chat-thread-open"
                aria-current={t.id === current ? "true" : undefined}
                onClick={() => setCurrent(t.id)}
              >
                <span className="chat-thread-title">{t.title}</span>
                <span className="chat-thread-time">{timeAgo(Math.floor(t.updatedAt / 1000))}</span>
              </button>
              <button
                type="button"
                className="chat-thread-delete"
                aria-label={`Delete chat ${t.title}`}
                onClick={() => {
                  const list = deleteThread(account, t.id);
                  setThreads(list);
                  if (t.id === current) setCurrent(list[0]?.id ?? newThreadId());
                }}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      </aside>
      <ChatThread
        key={`${account}:${current}`}
        account={account}
        threadId={current}
        name={active.name}
        onSaved={setThreads}
      />
    </div>
  );
}
