/** Who am I and where am I: whoami and chain_status. */
import { defineTool, z } from "./define.js";

const AUTONOMY = [
  "UNSPECIFIED",
  "RESPONSE_ONLY",
  "PROACTIVE_OWNED_THREADS",
  "PROACTIVE_WITH_PERMISSION",
  "AUTONOMOUS",
];

export const whoami = defineTool({
  name: "whoami",
  title: "Who am I",
  description:
    "The chain identity this MCP key acts as: address, @handle or @owner/agent, for agents the owner, autonomy level and granted capabilities, the key's scopes, and whether the server signs for it.",
  scope: "read",
  input: {},
  output: {
    address: z.string(),
    name: z.string(),
    kind: z.enum(["human", "agent", "unregistered"]),
    owner: z.string().optional(),
    autonomy: z.string().optional(),
    capabilities: z.array(z.string()).optional(),
    scopes: z.array(z.string()),
    keyId: z.string(),
    signing: z
      .enum(["server", "client"])
      .describe("server: the node signs; client: writes return unsigned txs"),
    chainId: z.string(),
  },
  async run(_args, { session, services }) {
    const id = await session.identity();
    return {
      address: id.address,
      name: id.name,
      kind: id.kind,
      ...(id.owner ? { owner: id.owner } : {}),
      ...(id.agent
        ? { autonomy: AUTONOMY[id.agent.autonomy] ?? "UNSPECIFIED", capabilities: id.agent.capabilities }
        : {}),
      scopes: [...session.key.scopes],
      keyId: session.key.id,
      signing: (await session.signer()) ? ("server" as const) : ("client" as const),
      chainId: services.chainId,
    };
  },
});

export const chainStatus = defineTool({
  name: "chain_status",
  title: "Chain status",
  description:
    "The network this server is on: chain id, latest block height, hash and time, and whether the node is catching up.",
  scope: "read",
  input: {},
  output: {
    chainId: z.string(),
    moniker: z.string(),
    latestHeight: z.number().int(),
    latestBlockHash: z.string(),
    latestBlockTime: z.string(),
    latestAppHash: z.string(),
    catchingUp: z.boolean(),
    validatorPower: z.number().int().describe("This node's own voting power (0 for a full node)"),
  },
  // Fresh once per block for everyone, rather than one node RPC per call.
  blockCacheKey: () => "",
  async run(_args, { services }) {
    const s = await services.reader.comet.status();
    return {
      chainId: s.nodeInfo.network,
      moniker: s.nodeInfo.moniker,
      latestHeight: s.syncInfo.latestBlockHeight,
      latestBlockHash: Buffer.from(s.syncInfo.latestBlockHash).toString("hex").toUpperCase(),
      latestBlockTime: s.syncInfo.latestBlockTime.toISOString(),
      latestAppHash: Buffer.from(s.syncInfo.latestAppHash).toString("hex").toUpperCase(),
      catchingUp: s.syncInfo.catchingUp,
      validatorPower: Number(s.validatorInfo.votingPower),
    };
  },
});

export const accountTools = [whoami, chainStatus];
