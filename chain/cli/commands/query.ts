/**
 * `vivim query account|balance|tx|block`: reads through @cosmjs/stargate exactly as wallets do, so
 * what the CLI shows is what any cosmjs client sees.
 */
import { sha256 } from "@cosmjs/crypto";
import { toHex } from "@cosmjs/encoding";
import { decodeTxRaw, Registry } from "@cosmjs/proto-signing";
import { defaultRegistryTypes, StargateClient } from "@cosmjs/stargate";
import { Comet38Client } from "@cosmjs/tendermint-rpc";
import { Command } from "commander";
import { isValidAddress } from "../../crypto/address.js";
import { CliError, fail, nodeOption, nodeUrl, type OutputFormat, outputOption, print } from "./output.js";

interface QueryOpts {
  node: string;
  output: OutputFormat;
  denom?: string;
}

type Plain = null | boolean | number | string | Plain[] | { [key: string]: Plain };

const snake = (k: string): string => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** A decoded protobuf object as printable JSON: proto field names, bigints as strings, bytes as base64. */
function plain(v: unknown): Plain {
  if (v === null || v === undefined) return null;
  if (typeof v === "bigint") return v.toString();
  if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") return v;
  if (v instanceof Uint8Array) return Buffer.from(v).toString("base64");
  if (v instanceof Date) return v.toISOString();
  if (Array.isArray(v)) return v.map(plain);
  if (typeof v === "object") {
    return Object.fromEntries(
      Object.entries(v as Record<string, unknown>).map(([k, x]) => [snake(k), plain(x)]),
    );
  }
  return String(v);
}

const upperHex = (b: Uint8Array): string => toHex(b).toUpperCase();

function checkAddress(address: string): void {
  if (!isValidAddress(address))
    throw new CliError("INVALID_ADDRESS", `not a valid vivim address: ${address}`);
}

/** Runs `body` with a connected StargateClient and reports failures as one coded line. */
function withClient(
  cmd: Command,
  body: (client: StargateClient, o: QueryOpts, args: string[]) => Promise<void>,
) {
  return async (...params: unknown[]) => {
    const o = cmd.optsWithGlobals<QueryOpts>();
    let client: StargateClient | undefined;
    try {
      const args = params.filter((p): p is string => typeof p === "string");
      client = await StargateClient.connect(nodeUrl(o.node));
      await body(client, o, args);
    } catch (err) {
      fail(cmd, err, o.node);
    } finally {
      client?.disconnect();
    }
  };
}

function accountCommand(): Command {
  const cmd = new Command("account")
    .description("Query an account: number, sequence, public key")
    .argument("<address>", "vivim1... account address")
    .addOption(nodeOption())
    .addOption(outputOption());
  return cmd.action(
    withClient(cmd, async (client, o, [address = ""]) => {
      checkAddress(address);
      const account = await client.getAccount(address);
      if (!account) throw new CliError("NOT_FOUND", `account ${address} not found`);
      print(o.output, {
        address: account.address,
        account_number: account.accountNumber.toString(),
        sequence: String(account.sequence),
        pub_key: account.pubkey ? { type: account.pubkey.type, value: plain(account.pubkey.value) } : null,
      });
    }),
  );
}

function balanceCommand(): Command {
  const cmd = new Command("balance")
    .description("Query an account's balances (all denoms, or one with --denom)")
    .argument("<address>", "vivim1... account address")
    .option("--denom <denom>", "only this denom, e.g. uvivim")
    .addOption(nodeOption())
    .addOption(outputOption());
  return cmd.action(
    withClient(cmd, async (client, o, [address = ""]) => {
      checkAddress(address);
      const balances = o.denom
        ? [await client.getBalance(address, o.denom)]
        : await client.getAllBalances(address);
      print(o.output, { address, balances: balances.map((c) => ({ denom: c.denom, amount: c.amount })) });
    }),
  );
}

function decodeMessages(txBytes: Uint8Array): { memo: string; messages: Plain[] } {
  const registry = new Registry(defaultRegistryTypes);
  try {
    const tx = decodeTxRaw(txBytes);
    const messages = tx.body.messages.map((m): Plain => {
      try {
        return { type_url: m.typeUrl, value: plain(registry.decode(m)) };
      } catch {
        return { type_url: m.typeUrl, value: Buffer.from(m.value).toString("base64") };
      }
    });
    return { memo: tx.body.memo, messages };
  } catch {
    return { memo: "", messages: [] };
  }
}

function txCommand(): Command {
  const cmd = new Command("tx")
    .description("Query a committed tx by hash: result, events and messages")
    .argument("<hash>", "tx hash (64 hex characters)")
    .addOption(nodeOption())
    .addOption(outputOption());
  return cmd.action(
    withClient(cmd, async (client, o, [hash = ""]) => {
      if (!/^[0-9a-fA-F]{64}$/.test(hash))
        throw new CliError("INVALID_HASH", "tx hash must be 64 hex characters");
      const tx = await client.getTx(hash.toUpperCase());
      if (!tx) throw new CliError("NOT_FOUND", `tx ${hash.toUpperCase()} not found`);
      print(o.output, {
        txhash: tx.hash,
        height: String(tx.height),
        index: tx.txIndex,
        code: tx.code,
        raw_log: tx.rawLog,
        gas_wanted: tx.gasWanted.toString(),
        gas_used: tx.gasUsed.toString(),
        ...decodeMessages(tx.tx),
        events: tx.events.map((e) => ({
          type: e.type,
          attributes: e.attributes.map((a) => ({ key: a.key, value: a.value })),
        })),
      });
    }),
  );
}

function blockCommand(): Command {
  const cmd = new Command("block")
    .description("Query a block's header and tx hashes (the latest block without a height)")
    .argument("[height]", "block height")
    .addOption(nodeOption())
    .addOption(outputOption());
  return cmd.action(async (heightArg: string | undefined) => {
    const o = cmd.optsWithGlobals<QueryOpts>();
    let comet: Comet38Client | undefined;
    try {
      if (heightArg !== undefined && (!/^\d{1,15}$/.test(heightArg) || Number(heightArg) < 1)) {
        throw new CliError("INVALID_HEIGHT", "height must be a positive integer");
      }
      comet = await Comet38Client.connect(nodeUrl(o.node));
      const { blockId, block } = await comet.block(heightArg === undefined ? undefined : Number(heightArg));
      const h = block.header;
      print(o.output, {
        block_id: { hash: upperHex(blockId.hash) },
        header: {
          chain_id: h.chainId,
          height: String(h.height),
          time: h.time.toISOString(),
          last_block_id: h.lastBlockId ? upperHex(h.lastBlockId.hash) : "",
          data_hash: upperHex(h.dataHash),
          app_hash: upperHex(h.appHash),
          validators_hash: upperHex(h.validatorsHash),
          last_results_hash: upperHex(h.lastResultsHash),
          proposer_address: upperHex(h.proposerAddress),
        },
        num_txs: block.txs.length,
        txs: block.txs.map((t) => upperHex(sha256(t))),
        last_commit_signatures: block.lastCommit?.signatures.length ?? 0,
      });
    } catch (err) {
      fail(cmd, err, o.node);
    } finally {
      comet?.disconnect();
    }
  });
}

export function queryCommand(): Command {
  return new Command("query")
    .alias("q")
    .description("Query chain state: accounts, balances, txs, blocks")
    .addCommand(accountCommand())
    .addCommand(balanceCommand())
    .addCommand(txCommand())
    .addCommand(blockCommand());
}
