/** GROUPS: the message box of a 1:1 or group conversation (Enter sends, Shift+Enter a new line). */
import { useEffect, useRef } from "react";

export function ComposeBox(props: {
  id: string;
  /** Who the message goes to, for the label and placeholder ("@bob", "Launch crew"). */
  to: string;
  value: string;
  sending: boolean;
  disabled?: boolean;
  onChange: (value: string) => void;
  onSend: () => void;
}) {
  return (
    <form
      className="dm-compose"
      onSubmit={(e) => {
        e.preventDefault();
        props.onSend();
      }}
    >
      <label htmlFor={props.id} className="sr-only">
        Message {props.to}
      </label>
      <textarea
        id={props.id}
        className="input"
        rows={1}
        placeholder={`Message ${props.to}`}
        value={props.value}
        disabled={props.disabled}
        onChange={(e) => props.onChange(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === "Enter" && !e.shiftKey) {
            e.preventDefault();
            props.onSend();
          }
        }}
      />
      <button type="submit" className="btn btn-primary" disabled={!props.value.trim() || props.sending}>
        {props.sending ? "Sending…" : "Send"}
      </button>
    </form>
  );
}

/** A ref to put after the last message: scrolled into view whenever the count changes. */
export function useScrollToEnd(count: number) {
  const endRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    void count;
    endRef.current?.scrollIntoView?.({ block: "end" });
  }, [count]);
  return endRef;
}
