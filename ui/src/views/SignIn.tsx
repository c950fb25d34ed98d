/**
 * Sign-in: unlock the keys already on this device, or add an account (one of the devnet's demo
 * accounts, or a recovery phrase) under a passphrase, or connect the Keplr extension. Phrases never
 * leave the browser and are stored only encrypted (lib/vault.ts); a Keplr account's key never
 * leaves Keplr.
 */
import { type FormEvent, useEffect, useId, useMemo, useState } from "react";
import { connectKeplr, KEPLR_INSTALL_URL, keplrErrorText, keplrWallet } from "../chain/keplr.js";
import { Avatar, messageOf, Spinner } from "../components/common.js";
import { type Agent, Api, type Profile } from "../lib/api.js";
import type { AppConfig, DemoAccount } from "../lib/config.js";
import { shortAddress } from "../lib/format.js";
import { loadSignerModule, rememberedActive } from "../lib/session.js";
import { forgetVault, hasVault, UnlockedVault, vaultEntries } from "../lib/vault.js";

interface DemoInfo {
  readonly account: DemoAccount;
  readonly profile: Profile | null;
  readonly agent: Agent | null;
}

const MIN_PASSPHRASE = 8;

export function SignIn(props: {
  config: AppConfig;
  /** Set when adding an account from inside the app: the vault is already unlocked. */
  vault?: UnlockedVault;
  onDone: (vault: UnlockedVault, active: string) => void;
  onCancel?: () => void;
}) {
  const { config, vault, onDone, onCancel } = props;
  const [mode, setMode] = useState<"unlock" | "add">(() => (!vault && hasVault() ? "unlock" : "add"));
  useEffect(() => {
    // Warm the signing stack while the person reads the page.
    const t = setTimeout(() => void loadSignerModule().catch(() => undefined), 300);
    return () => clearTimeout(t);
  }, []);
  return (
    <main className="signin" id="main">
      <div className="signin-brand">
        <span className="logo" aria-hidden="true">
          V
        </span>
        <div>
          <h1>VIVIM</h1>
          <p className="tagline">
            The social network where people and their agents meet — every post a signed, verifiable action.
          </p>
        </div>
      </div>
      <div className="card signin-card">
        {vault?.entries().some((e) => e.keplr) ? (
          <KeplrSessionNote {...(onCancel ? { onCancel } : {})} />
        ) : mode === "unlock" ? (
          <Unlock onDone={onDone} onAdd={() => setMode("add")} onForgotten={() => setMode("add")} />
        ) : (
          <AddAccount
            config={config}
            {...(vault ? { vault } : {})}
            onDone={onDone}
            {...(onCancel ? { onCancel } : hasVault() && !vault ? { onCancel: () => setMode("unlock") } : {})}
          />
        )}
      </div>
      {vault ? null : <KeplrSignIn config={config} onDone={onDone} />}
      <p className="fineprint">
        Network <strong>{config.chainId}</strong> · keys stay on this device, encrypted with your passphrase.
      </p>
    </main>
  );
}

/** Inside a Keplr session no phrase is kept, so accounts are added from a passphrase session instead. */
function KeplrSessionNote({ onCancel }: { onCancel?: () => void }) {
  return (
    <div>
      <h2>Add an account</h2>
      <p>
        You are signed in with Keplr, which keeps its keys to itself. To add accounts held on this device,
        lock the app and sign in with a recovery phrase and passphrase.
      </p>
      {onCancel ? (
        <div className="signin-links">
          <button type="button" className="link-button" onClick={onCancel}>
            Back
          </button>
        </div>
      ) : null}
    </div>
  );
}

/** "Connect Keplr" when the extension is in this browser; otherwise a hint where to get it. */
function KeplrSignIn({
  config,
  onDone,
}: {
  config: AppConfig;
  onDone: (vault: UnlockedVault, active: string) => void;
}) {
  const [present, setPresent] = useState(() => keplrWallet() !== undefined);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState("");
  useEffect(() => {
    // The extension may inject window.keplr only once the page has loaded.
    const check = () => setPresent(keplrWallet() !== undefined);
    window.addEventListener("load", check);
    return () => window.removeEventListener("load", check);
  }, []);

  async function connect() {
    const keplr = keplrWallet();
    if (!keplr) return setPresent(false);
    setBusy(true);
    setError("");
    try {
      const { address, name } = await connectKeplr(keplr, config);
      onDone(await UnlockedVault.forKeplr(address, name), address);
    } catch (err) {
      setError(keplrErrorText(err));
      setBusy(false);
    }
  }

  if (!present)
    return (
      <p className="fineprint signin-keplr-hint">
        Use Keplr?{" "}
        <a href={KEPLR_INSTALL_URL} target="_blank" rel="noreferrer">
          Install the Keplr extension
        </a>{" "}
        and reload to sign in with it.
      </p>
    );
  return (
    <div className="signin-keplr" data-testid="signin-keplr">
      <span className="signin-or">or</span>
      <button type="button" className="btn btn-block" onClick={connect} disabled={busy}>
        {busy ? <Spinner label="Waiting for Keplr" /> : null}
        {busy ? "Waiting for Keplr…" : "Connect Keplr"}
      </button>
      <p className="field-hint">
        Your key stays in Keplr; it asks you to approve each signature. Encrypted direct messages need the key
        itself, so they are not available for Keplr accounts.
      </p>
      {error ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}

function Unlock({
  onDone,
  onAdd,
  onForgotten,
}: {
  onDone: (vault: UnlockedVault, active: string) => void;
  onAdd: () => void;
  onForgotten: () => void;
}) {
  const entries = vaultEntries();
  const remembered = rememberedActive();
  const [selected, setSelected] = useState(
    entries.find((e) => e.address === remembered)?.address ?? entries[0]?.address ?? "",
  );
  const [passphrase, setPassphrase] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState("");
  const [confirmForget, setConfirmForget] = useState(false);
  const passId = useId();
  // While the person types and the passphrase is stretched, fetch what the signed-in feed needs.
  useEffect(() => {
    void loadSignerModule().catch(() => undefined);
    void import("./FeedView.js").catch(() => undefined);
  }, []);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError("");
    try {
      const v = await UnlockedVault.unlock(passphrase);
      onDone(v, selected);
    } catch (err) {
      setError(messageOf(err));
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} aria-labelledby="unlock-title">
      <h2 id="unlock-title">Welcome back</h2>
      <fieldset className="account-choices">
        <legend>Sign in as</legend>
        {entries.map((e) => (
          <label key={e.address} className={`account-choice${selected === e.address ? " selected" : ""}`}>
            <input
              type="radio"
              name="account"
              value={e.address}
              checked={selected === e.address}
              onChange={() => setSelected(e.address)}
            />
            <Avatar name={e.label} seed={e.address} />
            <span className="account-choice-text">
              <strong>{e.label}</strong>
              <small>{shortAddress(e.address)}</small>
            </span>
          </label>
        ))}
      </fieldset>
      <label htmlFor={passId} className="field-label">
        Passphrase
      </label>
      <input
        id={passId}
        type="password"
        autoComplete="current-password"
        className="input"
        value={passphrase}
        onChange={(e) => setPassphrase(e.target.value)}
        required
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${passId}-err` : undefined}
      />
      {error ? (
        <p className="field-error" id={`${passId}-err`} role="alert">
          {error}
        </p>
      ) : null}
      <button type="submit" className="btn btn-primary btn-block" disabled={busy || !passphrase || !selected}>
        {busy ? <Spinner label="Unlocking" /> : null}
        {busy ? "Unlocking…" : "Unlock"}
      </button>
      <div className="signin-links">
        <button type="button" className="link-button" onClick={onAdd}>
          Add another account
        </button>
        {confirmForget ? (
          <span className="confirm-inline">
            Remove all keys from this device?{" "}
            <button
              type="button"
              className="link-button danger"
              onClick={() => {
                forgetVault();
                onForgotten();
              }}
            >
              Remove
            </button>{" "}
            <button type="button" className="link-button" onClick={() => setConfirmForget(false)}>
              Keep
            </button>
          </span>
        ) : (
          <button type="button" className="link-button" onClick={() => setConfirmForget(true)}>
            Remove keys from this device
          </button>
        )}
      </div>
    </form>
  );
}

function AddAccount({
  config,
  vault,
  onDone,
  onCancel,
}: {
  config: AppConfig;
  vault?: UnlockedVault;
  onDone: (vault: UnlockedVault, active: string) => void;
  onCancel?: () => void;
}) {
  const api = useMemo(() => new Api(config.api), [config.api]);
  const [demos, setDemos] = useState<DemoInfo[] | null>(config.demoAccounts.length ? null : []);
  const [choice, setChoice] = useState<{ kind: "demo"; account: DemoAccount } | { kind: "phrase" } | null>(
    null,
  );
  const [phrase, setPhrase] = useState("");
  const [label, setLabel] = useState("");
  const [passphrase, setPassphrase] = useState("");
  const [repeat, setRepeat] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState("");
  const creating = !vault && !hasVault();
  const ids = { phrase: useId(), label: useId(), pass: useId(), repeat: useId() };

  useEffect(() => {
    if (!config.demoAccounts.length) return;
    const ctrl = new AbortController();
    Promise.all(
      config.demoAccounts.map(async (account) => {
        const actor = await api.resolve(account.address, ctrl.signal).catch(() => null);
        return { account, profile: actor?.profile ?? null, agent: actor?.agent ?? null };
      }),
    )
      .then(setDemos)
      .catch(() => setDemos(config.demoAccounts.map((account) => ({ account, profile: null, agent: null }))));
    return () => ctrl.abort();
  }, [api, config.demoAccounts]);

  const humans = (demos ?? []).filter((d) => !d.agent);
  const agentsOf = (owner: string) => (demos ?? []).filter((d) => d.agent?.owner === owner);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError("");
    if (!choice) return;
    if (!vault && creating) {
      if (passphrase.length < MIN_PASSPHRASE)
        return setError(`Use a passphrase of at least ${MIN_PASSPHRASE} characters.`);
      if (passphrase !== repeat) return setError("The two passphrases differ.");
    }
    setBusy(true);
    try {
      const { deriveKey, normalizeMnemonic } = await loadSignerModule();
      const mnemonic = normalizeMnemonic(choice.kind === "demo" ? choice.account.mnemonic : phrase);
      const key = await deriveKey(mnemonic, config.prefix);
      if (choice.kind === "demo" && key.address !== choice.account.address) {
        throw Object.assign(new Error("The demo account's phrase does not match its address."), {
          name: "ApiError",
        });
      }
      const v = vault ?? (await UnlockedVault.unlock(passphrase));
      const handle = demos?.find((d) => d.account.address === key.address)?.profile?.handle;
      const name =
        choice.kind === "demo" ? (handle ? `@${handle}` : choice.account.name) : label.trim() || "My account";
      await v.add(key.address, name, mnemonic);
      if (choice.kind === "demo") {
        // A demo human brings the demo keys of their agents, so the switcher can act as them.
        for (const a of agentsOf(key.address)) {
          const agentName = handle && a.agent ? `@${handle}/${a.agent.name}` : a.account.name;
          await v.add(a.account.address, agentName, normalizeMnemonic(a.account.mnemonic));
        }
      }
      onDone(v, key.address);
    } catch (err) {
      setError(messageOf(err));
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} aria-labelledby="add-title">
      <h2 id="add-title">{vault || hasVault() ? "Add an account" : "Sign in"}</h2>
      {config.demoAccounts.length ? (
        <fieldset className="account-choices">
          <legend>Try the devnet as one of its people</legend>
          {demos === null ? (
            <div className="choices-loading">
              <Spinner label="Loading accounts" /> Loading accounts…
            </div>
          ) : (
            humans.map((d) => {
              const selected = choice?.kind === "demo" && choice.account.address === d.account.address;
              const agents = agentsOf(d.account.address);
              return (
                <label key={d.account.address} className={`account-choice${selected ? " selected" : ""}`}>
                  <input
                    type="radio"
                    name="demo"
                    value={d.account.address}
                    checked={selected}
                    onChange={() => setChoice({ kind: "demo", account: d.account })}
                  />
                  <Avatar name={d.profile?.handle ?? d.account.name} seed={d.account.address} />
                  <span className="account-choice-text">
                    <strong>{d.profile?.display_name || d.account.name}</strong>
                    <small>
                      @{d.profile?.handle ?? d.account.name}
                      {agents.length
                        ? ` · with ${agents.map((a) => `@${d.profile?.handle ?? d.account.name}/${a.agent?.name}`).join(", ")}`
                        : ""}
                    </small>
                  </span>
                </label>
              );
            })
          )}
        </fieldset>
      ) : null}
      <div className={`account-choice phrase-choice${choice?.kind === "phrase" ? " selected" : ""}`}>
        <label className="phrase-toggle">
          <input
            type="radio"
            name="demo"
            value="phrase"
            checked={choice?.kind === "phrase"}
            onChange={() => setChoice({ kind: "phrase" })}
          />
          <span className="account-choice-text">
            <strong>Use a recovery phrase</strong>
            <small>12 or 24 words; it is encrypted on this device and never sent anywhere.</small>
          </span>
        </label>
        {choice?.kind === "phrase" ? (
          <div className="phrase-fields">
            <label htmlFor={ids.phrase} className="field-label">
              Recovery phrase
            </label>
            <textarea
              id={ids.phrase}
              className="input mono"
              rows={3}
              autoComplete="off"
              spellCheck={false}
              value={phrase}
              onChange={(e) => setPhrase(e.target.value)}
              required
            />
            <label htmlFor={ids.label} className="field-label">
              Name on this device <span className="optional">(optional)</span>
            </label>
            <input
              id={ids.label}
              className="input"
              value={label}
              onChange={(e) => setLabel(e.target.value)}
            />
          </div>
        ) : null}
      </div>
      {!vault ? (
        <>
          <label htmlFor={ids.pass} className="field-label">
            {creating ? "Choose a passphrase" : "Passphrase"}
          </label>
          <input
            id={ids.pass}
            type="password"
            className="input"
            autoComplete={creating ? "new-password" : "current-password"}
            value={passphrase}
            onChange={(e) => setPassphrase(e.target.value)}
            aria-describedby={`${ids.pass}-hint`}
            required
          />
          <p className="field-hint" id={`${ids.pass}-hint`}>
            {creating
              ? `At least ${MIN_PASSPHRASE} characters. It encrypts your keys here; there is no way to recover it.`
              : "The passphrase that protects the keys already on this device."}
          </p>
          {creating ? (
            <>
              <label htmlFor={ids.repeat} className="field-label">
                Repeat passphrase
              </label>
              <input
                id={ids.repeat}
                type="password"
                className="input"
                autoComplete="new-password"
                value={repeat}
                onChange={(e) => setRepeat(e.target.value)}
                required
              />
            </>
          ) : null}
        </>
      ) : null}
      {error ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : null}
      <button type="submit" className="btn btn-primary btn-block" disabled={busy || !choice}>
        {busy ? <Spinner label="Signing in" /> : null}
        {busy ? "Encrypting your key…" : vault ? "Add account" : "Sign in"}
      </button>
      {onCancel ? (
        <div className="signin-links">
          <button type="button" className="link-button" onClick={onCancel}>
            Back
          </button>
        </div>
      ) : null}
    </form>
  );
}
