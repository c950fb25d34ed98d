/**
 * A node's direct-message side: its DM store (`<data>/dm`), the service that checks and keeps
 * envelopes and controls, the retention task, and the relay that spreads them to every other node
 * over the gossip topic `/vivim/<chain>/dm/1`, so members on different nodes reach each other.
 * Each gossip message is one byte of kind (1 envelope, 2 control as JSON) and the payload; a peer
 * whose message fails the checks is scored down like any other bad gossip.
 */
import path from "node:path";
import { DmError } from "../../client/dm/errors.js";
import { QueryAgentRequest, QueryAgentResponse } from "../../contracts/identity/query.js";
import { AgentStatus } from "../../contracts/identity/records.js";
import type { Application } from "../execution/app.js";
import type { P2pHost } from "../p2p/host.js";
import type { Verdict } from "../p2p/verdict.js";
import type { Logger } from "../util/logger.js";
import type { SignedDmControl } from "./control.js";
import { DmPolicyError } from "./policy.js";
import { DmRetention } from "./retention.js";
import { type DmSenderCheck, DmService, type SubmitResult } from "./service.js";
import { DmStore, MAX_ENVELOPE_BYTES } from "./store.js";

const ENVELOPE = 1;
const CONTROL = 2;
const MAX_CONTROL_BYTES = 2_048;

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
  private readonly retention: DmRetention;
  private readonly topic: string;

  constructor(
    dataDir: string,
    chainId: string,
    private readonly host: P2pHost,
    private readonly log: Logger,
    mayDm: DmSenderCheck,
  ) {
    this.store = new DmStore(path.join(dataDir, "dm"));
    this.service = new DmService(this.store, chainId, mayDm);
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

  /** A member's envelope: checked and kept here, then relayed to every node. */
  async submit(bytes: Uint8Array): Promise<SubmitResult> {
    const r = await this.service.submit(bytes, nowSeconds());
    if (r.stored || r.deleted) void this.host.publish(this.topic, Uint8Array.from([ENVELOPE, ...bytes]));
    return r;
  }

  /** A member's signed control: applied here, then relayed. */
  async control(c: SignedDmControl): Promise<void> {
    await this.service.control(c, nowSeconds());
    void this.host.publish(
      this.topic,
      Uint8Array.from([CONTROL, ...new TextEncoder().encode(JSON.stringify(c))]),
    );
  }

  /** A peer's relay: the same checks as a member's submission. */
  private async receive(data: Uint8Array): Promise<Verdict> {
    // A plain copy: gossip hands over Buffer views into shared memory.
    const payload = new Uint8Array(data.subarray(1));
    try {
      if (data[0] === ENVELOPE) await this.service.submit(payload, nowSeconds());
      else if (data[0] === CONTROL && payload.length <= MAX_CONTROL_BYTES)
        await this.service.control(
          JSON.parse(new TextDecoder().decode(payload)) as SignedDmControl,
          nowSeconds(),
        );
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
      this.log.warn({ code: "DM_RELAY_FAILED", err: (err as Error).message }, "relayed DM not kept");
      return "ignore";
    }
  }
}
