/**
 * The signed-in session: the network's config and API, the unlocked vault, the accounts it holds
 * (humans and their agents, from the identity module), the active account's signer (loaded on
 * demand) and its live stream connection.
 */
import {
  createContext,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
} from "react";
import { keplrWallet } from "../chain/keplr.js";
import type { BrowserSigner } from "../chain/signer.js";
import { Api } from "./api.js";
import type { AppConfig } from "./config.js";
import { LiveStream, type StreamStatus } from "./stream.js";
import type { UnlockedVault } from "./vault.js";

export interface Identity {
  readonly address: string;
  /** What to show: @handle, @owner/agent, or the vault label. */
  readonly name: string;
  readonly displayName: string;
  readonly kind: "human" | "agent";
  /** For an agent: its owner's address. */
  readonly owner?: string;
  /** Whether this device holds its key (only then can it act as it). */
  readonly hasKey: boolean;
}

export const loadSignerModule = () => import("../chain/signer.js");

const ACTIVE_KEY = "vivim.active";

export function rememberedActive(): string | null {
  try {
    return localStorage.getItem(ACTIVE_KEY);
  } catch {
    return null;
  }
}

interface SessionValue {
  readonly config: AppConfig;
  readonly api: Api;
  readonly active: Identity;
  /** The accounts on this device, with each human's agents after it. */
  readonly identities: readonly Identity[];
  readonly streamStatus: StreamStatus;
  readonly stream: LiveStream | undefined;
  /** The unlocked vault (the DM layer keeps its state encrypted under its key). */
  readonly vault: UnlockedVault;
  signer(): Promise<BrowserSigner>;
  switchTo(address: string): void;
  lock(): void;
  addAccount(): void;
}

const SessionContext = createContext<SessionValue | null>(null);

export function useSession(): SessionValue {
  const s = useContext(SessionContext);
  if (!s) throw new Error("useSession outside SessionProvider");
  return s;
}

async function resolveIdentities(api: Api, vault: UnlockedVault): Promise<Identity[]> {
  const entries = vault.entries();
  const held = new Set(entries.map((e) => e.address));
  const infos = await Promise.all(
    entries.map(async (e) => {
      const actor = await api.resolve(e.address).catch(() => null);
      const agent = actor?.agent ?? null;
      const profile = actor?.profile ?? null;
      return { entry: e, profile, agent };
    }),
  );
  const handles = new Map<string, string>();
  for (const i of infos) if (i.profile?.handle) handles.set(i.entry.address, i.profile.handle);
  const out: Identity[] = [];
  const seen = new Set<string>();
  const push = (id: Identity) => {
    if (seen.has(id.address)) return;
    seen.add(id.address);
    out.push(id);
  };
  for (const { entry, profile, agent } of infos) {
    if (agent) continue;
    push({
      address: entry.address,
      name: profile?.handle ? `@${profile.handle}` : entry.label,
      displayName: profile?.display_name || profile?.handle || entry.label,
      kind: "human",
      hasKey: true,
    });
    const agents = await api.agentsOf(entry.address).catch(() => []);
    for (const a of agents) {
      if (a.status && a.status !== "AGENT_STATUS_ACTIVE") continue;
      const ownerHandle = profile?.handle ?? entry.label;
      push({
        address: a.address,
        name: `@${ownerHandle}/${a.name}`,
        displayName: a.description ? a.name : a.name,
        kind: "agent",
        owner: entry.address,
        hasKey: held.has(a.address),
      });
    }
  }
  // Agents whose owner is not on this device.
  for (const { entry, agent } of infos) {
    if (!agent) continue;
    const ownerHandle = handles.get(agent.owner);
    push({
      address: entry.address,
      name: ownerHandle ? `@${ownerHandle}/${agent.name}` : entry.label,
      displayName: agent.name,
      kind: "agent",
      owner: agent.owner,
      hasKey: true,
    });
  }
  return out;
}

export function SessionProvider(props: {
  config: AppConfig;
  vault: UnlockedVault;
  initialActive: string;
  onLock: () => void;
  onAddAccount: () => void;
  children: ReactNode;
}) {
  const { config, vault, onLock, onAddAccount } = props;
  const api = useMemo(() => new Api(config.api), [config.api]);
  const [activeAddress, setActiveAddress] = useState(props.initialActive);
  const [identities, setIdentities] = useState<Identity[]>(() =>
    vault
      .entries()
      .map((e) => ({ address: e.address, name: e.label, displayName: e.label, kind: "human", hasKey: true })),
  );
  const [stream, setStream] = useState<LiveStream>();
  const [streamStatus, setStreamStatus] = useState<StreamStatus>("connecting");
  const signers = useRef(new Map<string, Promise<BrowserSigner>>());

  useEffect(() => {
    let live = true;
    resolveIdentities(api, vault)
      .then((ids) => {
        if (live && ids.length > 0) setIdentities(ids);
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [api, vault]);

  const signerFor = useCallback(
    (address: string): Promise<BrowserSigner> => {
      let s = signers.current.get(address);
      if (!s) {
        s = (async () => {
          const opts = { rpc: config.rpc, prefix: config.prefix, gasPrice: config.gasPrice };
          const { BrowserSigner } = await loadSignerModule();
          if (vault.isKeplr(address)) {
            const keplr = keplrWallet();
            if (!keplr) throw new Error("Keplr is not available in this browser any more; sign in again.");
            return BrowserSigner.fromKeplr(keplr, config.chainId, address, opts);
          }
          return BrowserSigner.fromMnemonic(await vault.mnemonic(address), opts);
        })();
        s.catch(() => signers.current.delete(address));
        signers.current.set(address, s);
      }
      return s;
    },
    [config, vault],
  );

  useEffect(() => {
    try {
      localStorage.setItem(ACTIVE_KEY, activeAddress);
    } catch {
      // Private mode: the choice just is not remembered.
    }
    const s = new LiveStream(config.stream, activeAddress, async (chainId, nonce) =>
      (await signerFor(activeAddress)).streamAuth(chainId, nonce),
    );
    const off = s.onStatus(setStreamStatus);
    setStream(s);
    return () => {
      off();
      s.close();
    };
  }, [activeAddress, config.stream, signerFor]);

  useEffect(
    () => () => {
      for (const s of signers.current.values()) void s.then((x) => x.disconnect()).catch(() => undefined);
    },
    [],
  );

  // Another account chosen in Keplr: this session's account is no longer Keplr's, so sign in again.
  useEffect(() => {
    if (!vault.entries().some((e) => e.keplr)) return;
    window.addEventListener("keplr_keystorechange", onLock);
    return () => window.removeEventListener("keplr_keystorechange", onLock);
  }, [vault, onLock]);

  const active = identities.find((i) => i.address === activeAddress) ?? {
    address: activeAddress,
    name: activeAddress,
    displayName: activeAddress,
    kind: "human" as const,
    hasKey: true,
  };

  const value = useMemo<SessionValue>(
    () => ({
      config,
      api,
      active,
      identities,
      stream,
      streamStatus,
      vault,
      signer: () => signerFor(activeAddress),
      switchTo: (address) => {
        if (identities.some((i) => i.address === address && i.hasKey)) setActiveAddress(address);
      },
      lock: onLock,
      addAccount: onAddAccount,
    }),
    [
      config,
      api,
      active,
      identities,
      stream,
      streamStatus,
      vault,
      signerFor,
      activeAddress,
      onLock,
      onAddAccount,
    ],
  );
  return <SessionContext.Provider value={value}>{props.children}</SessionContext.Provider>;
}
