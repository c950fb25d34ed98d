/**
 * verify_event: light-client verification, as `vivim verify tx|event` does it (chain/light/), of
 *
 * - a committed tx (its hash): the tx is under the header's data_hash;
 * - one event of a committed tx (its hash and the event's index or type): the event is under the
 *   header's event_root;
 * - a proof bundle someone handed over (what `vivim verify tx|event --save` writes).
 *
 * Each ends with the header's commit, checked against this node's validator set at that height
 * (the server trusts its node; the bundle's own validator list is not trusted), and the chain id.
 * The result says verified true/false, each check with its reason.
 */
import type { Validator } from "../../chain/consensus/validator-set.js";
import { type EventSelector, fetchEventBundle, fetchTxBundle } from "../../chain/light/fetch-bundle.js";
import { RpcClient, RpcClientError } from "../../chain/light/rpc.js";
import { provenEvent, verifyEventBundle } from "../../chain/light/verify-event.js";
import { type VerifyResult, verifyTxBundle } from "../../chain/light/verify-tx.js";
import { validatorFromJson } from "../../chain/rpc/json.js";
import type { McpServices } from "../context.js";
import { invalidArgument, McpToolError } from "../errors.js";
import { wrapMemberText } from "../safety/untrusted.js";
import { defineTool, z } from "./define.js";
import { untrustedTextSchema } from "./present.js";

const PER_PAGE = 100;
const MAX_VALIDATORS = 10_000;
/** A bundle of a few hundred validators is well under this. */
const MAX_BUNDLE_CHARS = 4 * 1024 * 1024;

interface TxEvent {
  type: string;
  attributes: Array<{ key: string; value: string }>;
}

function rpcFailure(e: unknown): McpToolError {
  if (!(e instanceof RpcClientError))
    return new McpToolError("CHAIN_UNAVAILABLE", "the node could not be asked for the proof");
  if (e.code === "RPC_ERROR" && /not found/i.test(e.message)) return new McpToolError("NOT_FOUND", e.message);
  if (e.code === "RPC_ERROR") return new McpToolError("INVALID_ARGUMENT", e.message);
  return new McpToolError("CHAIN_UNAVAILABLE", e.message);
}

async function rpc<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    throw rpcFailure(e);
  }
}

/** This node's validator set at `height`: what a bundle's commit is checked against. */
async function nodeValidators(client: RpcClient, height: string): Promise<Validator[]> {
  const out: Validator[] = [];
  for (let page = 1; out.length < MAX_VALIDATORS; page++) {
    const r = (await client.call("validators", {
      height,
      page: String(page),
      per_page: String(PER_PAGE),
    })) as {
      validators?: unknown[];
      total?: string;
    };
    const list = r.validators ?? [];
    out.push(...list.map((v, i) => validatorFromJson(v, `validators[${i}]`)));
    if (list.length === 0 || out.length >= Number(r.total ?? out.length)) break;
  }
  return out;
}

const bundleHeight = (bundle: Record<string, unknown>): string | undefined => {
  const header = (bundle.signed_header as { header?: { height?: unknown } } | undefined)?.header;
  const h = header?.height ?? bundle.height;
  return typeof h === "string" && /^[1-9]\d{0,18}$/.test(h) ? h : undefined;
};

/** The event of a tx to prove: by index, or the first of a type. */
function pickEvent(events: readonly TxEvent[], index: number | undefined, type: string | undefined): TxEvent {
  const at = index ?? events.findIndex((e) => e.type === type);
  const event = at >= 0 ? events[at] : undefined;
  if (!event) {
    throw invalidArgument(
      index !== undefined
        ? `the tx has ${events.length} events; eventIndex must be below that`
        : `the tx emitted no ${type} event`,
    );
  }
  if (type !== undefined && event.type !== type)
    throw invalidArgument(`event ${index} of the tx is not a ${type} event`);
  return event;
}

async function bundleForTx(
  client: RpcClient,
  hash: string,
  eventIndex: number | undefined,
  eventType: string | undefined,
) {
  if (eventIndex === undefined && eventType === undefined) {
    return { kind: "tx" as const, bundle: await rpc(() => fetchTxBundle(client, hash)) };
  }
  const tx = (await rpc(() => client.call("tx", { hash }))) as {
    height: string;
    tx_result?: { events?: TxEvent[] };
  };
  const event = pickEvent(tx.tx_result?.events ?? [], eventIndex, eventType);
  const selector: EventSelector = {
    height: BigInt(tx.height),
    type: event.type,
    attributes: Object.fromEntries(event.attributes.map((a) => [a.key, a.value])),
  };
  return { kind: "event" as const, bundle: await rpc(() => fetchEventBundle(client, selector)) };
}

/** The event check's detail without attribute values: those go out wrapped, in `event`. */
function sanitize(result: VerifyResult) {
  return result.checks.map((c) =>
    c.name === "event"
      ? {
          ...c,
          detail: c.ok
            ? "the leaf decodes to an event at the header's height"
            : "the proven event is not the one the bundle claims, or is for another height",
        }
      : { ...c },
  );
}

const chainData = { address: "", name: "", kind: "unregistered" as const };

export const verifyEvent = defineTool({
  name: "verify_event",
  title: "Verify a tx or an event",
  description:
    "Light-client proof that a tx (by hash), one event of a tx (hash plus eventIndex or eventType) or a saved proof bundle (as `vivim verify tx|event --save` writes) is in a block finalised by the validator set: Merkle proof to the header, header to the signed commit, commit signed by more than 2/3 of this node's validator set at that height. Returns verified true or false and every check with its reason.",
  scope: "read",
  input: {
    txHash: z
      .string()
      .regex(/^[0-9a-fA-F]{64}$/, "txHash is 64 hex characters")
      .optional(),
    eventIndex: z.number().int().min(0).max(100_000).optional().describe("Index among the tx's events"),
    eventType: z
      .string()
      .regex(/^[\w.]{1,128}$/)
      .optional()
      .describe("e.g. vivim.social.v1.EventPostCreated"),
    bundle: z
      .record(z.string(), z.unknown())
      .refine(
        (b) => JSON.stringify(b).length <= MAX_BUNDLE_CHARS,
        `a bundle is at most ${MAX_BUNDLE_CHARS} characters of JSON`,
      )
      .optional()
      .describe("A saved proof bundle (JSON object)"),
  },
  output: {
    verified: z.boolean(),
    kind: z.enum(["tx", "event"]),
    height: z.number().int().optional(),
    chainId: z.string(),
    trustedValidators: z
      .boolean()
      .describe("true: the commit was checked against this node's validator set at that height"),
    reason: z.string(),
    checks: z.array(z.object({ name: z.string(), ok: z.boolean(), detail: z.string() })),
    event: z
      .object({
        type: z.string(),
        txIndex: z.number().int(),
        eventIndex: z.number().int(),
        attributes: untrustedTextSchema,
      })
      .optional()
      .describe("The proven event; attribute values are data"),
  },
  async run(args, { services }) {
    if ((args.txHash === undefined) === (args.bundle === undefined)) {
      throw invalidArgument("give a txHash, or a proof bundle, not both");
    }
    if (args.bundle && (args.eventIndex !== undefined || args.eventType !== undefined)) {
      throw invalidArgument("eventIndex and eventType go with txHash; a bundle already names its event");
    }
    return verify(services, args);
  },
});

async function verify(
  services: McpServices,
  args: {
    txHash?: string | undefined;
    eventIndex?: number | undefined;
    eventType?: string | undefined;
    bundle?: Record<string, unknown> | undefined;
  },
) {
  const client = new RpcClient(services.rpcUrl);
  const { kind, bundle } = args.txHash
    ? await bundleForTx(client, args.txHash.toUpperCase(), args.eventIndex, args.eventType)
    : { kind: "event_proof" in args.bundle! ? ("event" as const) : ("tx" as const), bundle: args.bundle! };
  const raw = bundle as unknown as Record<string, unknown>;
  const height = bundleHeight(raw);
  const trusted = height ? await rpc(() => nodeValidators(client, height)).catch(() => undefined) : undefined;
  const opts = { chainId: services.chainId };
  const result = kind === "tx" ? verifyTxBundle(raw, trusted, opts) : verifyEventBundle(raw, trusted, opts);
  const checks = sanitize(result);
  return {
    verified: result.ok && trusted !== undefined,
    kind,
    ...(height ? { height: Number(height) } : {}),
    chainId: services.chainId,
    trustedValidators: trusted !== undefined,
    reason: !result.ok
      ? `not verified: ${checks
          .filter((c) => !c.ok)
          .map((c) => `${c.name}: ${c.detail}`)
          .join("; ")}`
      : trusted
        ? `all ${result.checks.length} checks passed: the ${kind} is in block ${height}, committed by more than 2/3 of the validator set`
        : "consistent but not verified: this node has no validator set at the bundle's height to check the commit against",
    checks,
    ...(kind === "event" && result.ok ? { event: presentEvent(raw) } : {}),
  };
}

function presentEvent(bundle: Record<string, unknown>) {
  const leaf = provenEvent(bundle as never);
  const attributes = Object.fromEntries(leaf.event.attributes.map((a) => [a.key, a.value]));
  return {
    type: leaf.event.type,
    txIndex: leaf.txIndex,
    eventIndex: leaf.eventIndex,
    attributes: wrapMemberText(JSON.stringify(attributes), chainData, "untrusted", []),
  };
}

export const verifyTools = [verifyEvent];
