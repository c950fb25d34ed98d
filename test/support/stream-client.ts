/**
 * A `/v1/stream` client for tests: the real `ws` library, ADR-036 auth signed by a cosmjs amino
 * wallet (as Keplr's signArbitrary makes it), and every received frame kept for assertions.
 */
import { makeSignDoc, Secp256k1HdWallet } from "@cosmjs/amino";
import { WebSocket } from "ws";
import { until } from "./until.js";

export { until };

/** An account the client can sign in as. */
export interface StreamAccount {
  readonly address: string;
  readonly mnemonic: string;
}

export type Frame = Record<string, unknown> & { type: string };
export interface EventFrame extends Frame {
  sub: string;
  cursor: string;
  height: string;
  tx?: string;
  event: { type: string; attributes: Record<string, string> };
}

/** A `/v1/stream` client over the real `ws` library, keeping every frame it receives. */
export class StreamClient {
  readonly frames: Frame[] = [];
  closed: { code: number; reason: string } | undefined;
  private constructor(readonly ws: WebSocket) {
    ws.on("message", (data) => this.frames.push(JSON.parse(data.toString()) as Frame));
    ws.on("close", (code, reason) => {
      this.closed = { code, reason: reason.toString() };
    });
    ws.on("error", () => undefined);
  }

  static async open(url: string): Promise<StreamClient> {
    const c = new StreamClient(new WebSocket(url));
    await c.next((f) => f.type === "challenge");
    return c;
  }

  get challenge(): { chain_id: string; nonce: string } {
    return this.frames.find((f) => f.type === "challenge") as unknown as { chain_id: string; nonce: string };
  }

  send(frame: unknown): void {
    this.ws.send(typeof frame === "string" ? frame : JSON.stringify(frame));
  }

  /** The first frame (from `from` on) matching `pred`, waiting for it. */
  async next(pred: (f: Frame) => boolean, from = 0, ms = 30_000): Promise<Frame> {
    let found: Frame | undefined;
    await until(
      "a stream frame",
      () => {
        found = this.frames.slice(from).find(pred);
        return found !== undefined;
      },
      ms,
    );
    return found!;
  }

  /** Sends `frame` and waits for the first error or `ok` frame after it. */
  async request(frame: unknown, ok: string): Promise<Frame> {
    const from = this.frames.length;
    this.send(frame);
    return this.next((f) => f.type === "error" || f.type === ok, from);
  }

  events(sub: string): EventFrame[] {
    return this.frames.filter((f): f is EventFrame => f.type === "event" && f.sub === sub);
  }

  /** Answers the challenge with an ADR-036 signature of `account` (as Keplr signArbitrary makes it). */
  async auth(account: StreamAccount, nonce = this.challenge.nonce): Promise<Frame> {
    const msg = await signChallenge(account, this.challenge.chain_id, nonce);
    return this.request({ type: "auth", ...msg }, "authenticated");
  }

  async subscribe(id: string, topic: unknown, from?: string): Promise<Frame> {
    return this.request({ type: "subscribe", id, topic, ...(from ? { from } : {}) }, "subscribed");
  }

  close(): void {
    this.ws.close();
  }
}

export async function signChallenge(account: StreamAccount, chainId: string, nonce: string) {
  const wallet = await Secp256k1HdWallet.fromMnemonic(account.mnemonic, { prefix: "vivim" });
  const data = Buffer.from(`vivim-stream\n${chainId}\n${nonce}`).toString("base64");
  const doc = makeSignDoc(
    [{ type: "sign/MsgSignData", value: { signer: account.address, data } }],
    { gas: "0", amount: [] },
    "",
    "",
    0,
    0,
  );
  const { signature } = await wallet.signAmino(account.address, doc);
  return { address: account.address, pub_key: signature.pub_key.value, signature: signature.signature };
}
