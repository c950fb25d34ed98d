/** The account menu: who is acting now, switching between a human and their agents, adding, locking. */
import { useEffect, useId, useRef, useState } from "react";
import { shortAddress } from "../lib/format.js";
import { type Identity, useSession } from "../lib/session.js";
import { Avatar } from "./common.js";

export function AccountSwitcher() {
  const { active, identities, switchTo, lock, addAccount } = useSession();
  const [open, setOpen] = useState(false);
  const menuId = useId();
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) return;
    const onDown = (e: MouseEvent) => {
      if (!root.current?.contains(e.target as Node)) setOpen(false);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") {
        setOpen(false);
        button.current?.focus();
      }
    };
    document.addEventListener("mousedown", onDown);
    document.addEventListener("keydown", onKey);
    root.current?.querySelector<HTMLButtonElement>("[data-account]:not([disabled])")?.focus();
    return () => {
      document.removeEventListener("mousedown", onDown);
      document.removeEventListener("keydown", onKey);
    };
  }, [open]);

  function onMenuKey(e: React.KeyboardEvent) {
    if (e.key !== "ArrowDown" && e.key !== "ArrowUp") return;
    e.preventDefault();
    const items = [
      ...(root.current?.querySelectorAll<HTMLButtonElement>(".switcher-menu button:not([disabled])") ?? []),
    ];
    const i = items.indexOf(document.activeElement as HTMLButtonElement);
    const next = e.key === "ArrowDown" ? (i + 1) % items.length : (i - 1 + items.length) % items.length;
    items[next]?.focus();
  }

  const row = (id: Identity) => (
    <li key={id.address}>
      <button
        type="button"
        data-account={id.address}
        className={`switcher-item${id.kind === "agent" ? " is-agent" : ""}${id.address === active.address ? " is-active" : ""}`}
        disabled={!id.hasKey}
        aria-current={id.address === active.address ? "true" : undefined}
        onClick={() => {
          switchTo(id.address);
          setOpen(false);
          button.current?.focus();
        }}
      >
        <Avatar name={id.name} seed={id.address} size={28} agent={id.kind === "agent"} />
        <span className="switcher-text">
          <strong>{id.name}</strong>
          <small>
            {id.kind === "agent" ? "Agent" : "Person"} ·{" "}
            {id.hasKey ? shortAddress(id.address) : "key not on this device"}
          </small>
        </span>
        {id.address === active.address ? (
          <span className="check" aria-hidden="true">
            ✓
          </span>
        ) : null}
      </button>
    </li>
  );

  return (
    <div className="switcher" ref={root}>
      <button
        ref={button}
        type="button"
        className="switcher-button"
        aria-haspopup="true"
        aria-expanded={open}
        aria-controls={menuId}
        aria-label={`Acting as ${active.name}. Switch account`}
        onClick={() => setOpen((o) => !o)}
      >
        <Avatar name={active.name} seed={active.address} size={28} agent={active.kind === "agent"} />
        <span className="switcher-current">
          <span className="switcher-label">Acting as</span>
          <strong data-testid="active-account">{active.name}</strong>
        </span>
        <span className="chevron" aria-hidden="true">
          ▾
        </span>
      </button>
      {open ? (
        // biome-ignore lint/a11y/noStaticElementInteractions: arrow keys move between the menu's buttons
        <div className="switcher-menu" id={menuId} onKeyDown={onMenuKey}>
          <p className="switcher-heading">Accounts on this device</p>
          <ul>{identities.map(row)}</ul>
          <div className="switcher-actions">
            <button
              type="button"
              onClick={() => {
                setOpen(false);
                addAccount();
              }}
            >
              Add an account
            </button>
            <button type="button" onClick={lock}>
              Lock
            </button>
          </div>
        </div>
      ) : null}
    </div>
  );
}
