/**
 * A node's direct-message side: its DM store (`<data>/dm`), the service that checks and keeps
 * envelopes and controls, the retention task, and the relay that spreads them to every other node
 * over the gossip topic `/vivim/<chain>/dm/1`, so members on different nodes reach each other.
 * Each gossip message is one byte of kind (1 envelope, 2 control as JSON) and the payload; a peer
 * whose message fails the checks is scored down like any other bad gossip.
 */
import path from "node:path";
import { DmError } from "../../client/dm/errors.js";
import type { PrekeyBundle } from "../../client/dm/keys.js";
import { QueryAgentRequest, QueryAgentResponse } from "../../contracts/identity/query.js";
import { AgentStatus } from "../../contracts/identity/records.js";
import type { Application } from "../execution/app.js";
import type { P2pHost } from "../p2p/host.js";
import type { Verdict } from "../p2p/verdict.js";
import type { Logger } from "../util/logger.js";
import type { SignedDmControl } from "./control.js";
import { DmPolicyError } from "./policy.js";
import { PrekeyDirectory } from "./prekeys.js";
import type { SignedDmReceipt } from "./receipt.js";
import { DmRetention } from "./retention.js";
import { type DmSenderCheck, DmService, type SubmitResult } from "./service.js";
import { DmStore, DmStoreError, MAX_ENVELOPE_BYTES } from "./store.js";

const ENVELOPE = 1;
const CONTROL = 2;
const PREKEY = 3;
const RECEIPT = 4;
const MAX_CONTROL_BYTES = 2_048;

/**
 * What a node tells its live sessions (the stream's `dm` topic) about direct messages: never
 * content, only that something happened in a conversation, to its members.
 */
export interface DmLiveEvent {
  /** The accounts to tell. */
  readonly members: readonly string[];
  readonly type: "dm.message" | "dm.deleted" | "dm.control" | "dm.receipt";
  readonly attributes: Readonly<Record<string, string>>;
}

export type DmLiveListener = (e: DmLiveEvent) => void;

export const dmTopic = (chainId: string) => `/vivim/${chainId}/dm/1`;

/** The identity module's answer (through the app's query path): humans yes, agents only with `dm`. */
export function dmGrantFromApp(app: Application): DmSenderCheck {
  return async (address) => {
    const r = await app.query({
      path: "/vivim.identity.v1.Query/Agent",
      data: QueryAgentRequest.encode({ address }).finish(),
      prove: false,
    });
    if (r.code !== 0) return true; // not an agent
    const agent = QueryAgentResponse.decode(r.value).agent;
    if (!agent) return true;
    return agent.status === AgentStatus.ACTIVE && agent.capabilities.includes("dm");
  };
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

export class DmNode {
  readonly store: DmStore;
  readonly service: DmService;
  readonly prekeys: PrekeyDirectory;
  private readonly retention: DmRetention;
  private readonly topic: string;
  private readonly listeners = new Set<DmLiveListener>();

  constructor(
    dataDir: string,
    chainId: string,
    private readonly host: P2pHost,
    private readonly log: Logger,
    mayDm: DmSenderCheck,
  ) {
    this.store = new DmStore(path.join(dataDir, "dm"));
    this.service = new DmService(this.store, chainId, mayDm);
    this.prekeys = new PrekeyDirectory(this.store.database, chainId);
    this.retention = new DmRetention(this.store, log.child({ component: "dm-retention" }));
    this.topic = dmTopic(chainId);
    host.subscribe(this.topic, "dm", MAX_ENVELOPE_BYTES + 1, (data) => this.receive(data));
  }

  async start(): Promise<void> {
    await this.store.open();
    this.retention.start();
  }

  async stop(): Promise<void> {
    await this.retention.stop();
    await this.store.close();
  }

  /** Live DM events of this node (local submissions and relays alike); returns the unsubscriber. */
  onLive(listener: DmLiveListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** A member's envelope: checked and kept here, then relayed to every node. */
  async submit(bytes: Uint8Array): Promise<SubmitResult> {
    const r = await this.acceptEnvelope(bytes);
    if (r.stored || r.deleted) this.relay(ENVELOPE, bytes);
    return r;
  }

  /** A member's signed control: applied here, then relayed. */
  async control(c: SignedDmControl): Promise<void> {
    await this.acceptControl(c);
    this.relay(CONTROL, new TextEncoder().encode(JSON.stringify(c)));
  }

  /** A member's signed read receipt: applied here, then relayed. */
  async receipt(r: SignedDmReceipt): Promise<{ applied: boolean }> {
    const { applied } = await this.acceptReceipt(r);
    if (applied) this.relay(RECEIPT, new TextEncoder().encode(JSON.stringify(r)));
    return { applied };
  }

  /** A member's signed prekey bundle: kept here when newer than the one held, then relayed. */
  async publishPrekey(bytes: Uint8Array): Promise<PrekeyBundle> {
    const { bundle, stored } = await this.prekeys.publish(bytes, nowSeconds());
    if (stored) this.relay(PREKEY, bytes);
    return bundle;
  }

  private relay(kind: number, payload: Uint8Array): void {
    void this.host.publish(this.topic, Uint8Array.from([kind, ...payload]));
  }

  private emit(e: DmLiveEvent): void {
    for (const l of this.listeners) {
      try {
        l(e);
      } catch (err) {
        this.log.warn(
          { code: "DM_LIVE_LISTENER_FAILED", err: (err as Error).message },
          "DM live listener failed",
        );
      }
    }
  }

  private async acceptEnvelope(bytes: Uint8Array): Promise<SubmitResult> {
    const r = await this.service.submit(bytes, nowSeconds());
    if (r.deleted !== undefined) {
      if (r.stored || r.deleted > 0)
        this.emit({
          members: r.members,
          type: "dm.deleted",
          attributes: {
            conversation: r.conversation,
            id: r.id,
            sender: r.sender,
            deleted: String(r.deleted),
          },
        });
    } else if (r.stored)
      this.emit({
        members: r.members,
        type: "dm.message",
        attributes: {
          conversation: r.conversation,
          id: r.id,
          sender: r.sender,
          sent_at: String(r.sentAt),
          request: String(r.request),
        },
      });
    return r;
  }

  private async acceptControl(c: SignedDmControl): Promise<void> {
    await this.service.control(c, nowSeconds());
    this.emit({
      members: [c.from, c.to],
      type: "dm.control",
      attributes: { kind: c.kind, from: c.from, to: c.to, at: String(c.at) },
    });
  }

  private async acceptReceipt(r: SignedDmReceipt): Promise<{ applied: boolean }> {
    const { members, applied } = await this.service.receipt(r, nowSeconds());
    if (applied)
      this.emit({
        members,
        type: "dm.receipt",
        attributes: {
          conversation: r.conversation,
          reader: r.reader,
          message_id: r.messageId,
          at: String(r.at),
        },
      });
    return { applied };
  }

  /** A peer's relay: the same checks as a member's submission. */
  private async receive(data: Uint8Array): Promise<Verdict> {
    // A plain copy: gossip hands over Buffer views into shared memory.
    const payload = new Uint8Array(data.subarray(1));
    const json = <T>() => JSON.parse(new TextDecoder().decode(payload)) as T;
    try {
      if (data[0] === ENVELOPE) await this.acceptEnvelope(payload);
      else if (data[0] === PREKEY) await this.prekeys.publish(payload, nowSeconds());
      else if (payload.length > MAX_CONTROL_BYTES) return { reject: "malformed" };
      else if (data[0] === CONTROL) await this.acceptControl(json<SignedDmControl>());
      else if (data[0] === RECEIPT) await this.acceptReceipt(json<SignedDmReceipt>());
      else return { reject: "malformed" };
      return "accept";
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code) this.log.info({ code, reason: (err as Error).message }, "relayed DM not kept");
      if (err instanceof DmError)
        return err.code === "BAD_SIGNATURE" ? { reject: "invalid_signature" } : { reject: "malformed" };
      if (err instanceof DmPolicyError)
        return err.code === "BAD_CONTROL" ? { reject: "invalid_signature" } : "ignore";
      if (err instanceof SyntaxError) return { reject: "malformed" };
      // e.g. a receipt for a message not relayed here yet: nothing the peer did wrong.
      if (err instanceof DmStoreError) return "ignore";
      this.log.warn({ code: "DM_RELAY_FAILED", err: (err as Error).message }, "relayed DM not kept");
      return "ignore";
    }
  }
}
