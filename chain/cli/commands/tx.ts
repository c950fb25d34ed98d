/**
 * `vivim tx bank send <from-key> <to-address> <amount>`: signs with a key from the home's keyring
 * (SIGN_MODE_DIRECT, as any cosmjs wallet) and broadcasts through @cosmjs/stargate, waiting for the
 * block. Gas is a number or `auto` (simulated, times --gas-adjustment); the fee is --fees, or
 * --gas-prices times the gas. Other modules' tx commands (gov-tx.ts) sign the same way, through
 * `withTxOptions` and `signAndBroadcast`.
 */

import { encodeSecp256k1Pubkey } from "@cosmjs/amino";
import { fromHex } from "@cosmjs/encoding";
import { type AccountData, type EncodeObject, encodePubkey, parseCoins } from "@cosmjs/proto-signing";
import {
  calculateFee,
  type DeliverTxResponse,
  GasPrice,
  SigningStargateClient,
  type StdFee,
} from "@cosmjs/stargate";
import { Comet38Client } from "@cosmjs/tendermint-rpc";
import { Command } from "commander";
import type { Coin } from "cosmjs-types/cosmos/base/v1beta1/coin";
import { SignMode } from "cosmjs-types/cosmos/tx/signing/v1beta1/signing";
import { SimulateRequest, SimulateResponse } from "cosmjs-types/cosmos/tx/v1beta1/service";
import { AuthInfo, Fee, Tx, TxBody } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { defaultHome } from "../../config/home.js";
import { isValidAddress } from "../../crypto/address.js";
import { Keyring, type KeyringBackend } from "../../keys/keyring.js";
import {
  CliError,
  fail,
  keyringBackendOption,
  nodeOption,
  nodeUrl,
  type OutputFormat,
  outputOption,
  print,
} from "./output.js";
import { readPassphrase } from "./passphrase.js";

const MSG_SEND_TYPE_URL = "/cosmos.bank.v1beta1.MsgSend";
const DEFAULT_GAS = "200000";
const MAX_GAS = 100_000_000;

/** The options every `vivim tx …` command takes (see `withTxOptions`). */
export interface TxOpts {
  node: string;
  output: OutputFormat;
  home?: string;
  keyringBackend: KeyringBackend;
  chainId?: string;
  fees?: string;
  gasPrices?: string;
  gas: string;
  gasAdjustment: string;
  memo: string;
}

export function coinsArg(text: string, what: string, allowZero: boolean): Coin[] {
  let coins: Coin[];
  try {
    coins = parseCoins(text);
  } catch {
    throw new CliError("INVALID_COINS", `${what} must be coins like 1000uvivim, got ${JSON.stringify(text)}`);
  }
  if (!allowZero && (coins.length === 0 || coins.some((c) => c.amount === "0" || /^0+$/.test(c.amount)))) {
    throw new CliError("INVALID_COINS", `${what} must be positive coins like 1000uvivim`);
  }
  // A zero fee coin is no fee: Cosmos rejects zero-amount coins in a fee.
  return coins.filter((c) => !/^0+$/.test(c.amount));
}

function gasArg(text: string): "auto" | number {
  if (text === "auto") return "auto";
  if (!/^\d{1,9}$/.test(text) || Number(text) < 1 || Number(text) > MAX_GAS) {
    throw new CliError("INVALID_GAS", `--gas must be "auto" or a whole number from 1 to ${MAX_GAS}`);
  }
  return Number(text);
}

function adjustmentArg(text: string): number {
  const n = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text) || n < 1 || n > 10) {
    throw new CliError("INVALID_GAS", "--gas-adjustment must be a number from 1 to 10");
  }
  return n;
}

function gasPriceArg(text: string): GasPrice {
  try {
    return GasPrice.fromString(text);
  } catch {
    throw new CliError("INVALID_COINS", `--gas-prices must be like 0.025uvivim, got ${JSON.stringify(text)}`);
  }
}

/**
 * Signs the Msgs `build` makes for the key's address with a key from the keyring, broadcasts them
 * and waits for the block; prints the result (plus `extra` of it). A tx refused in its block
 * prints its codespace, code and log and exits 1; one refused before (simulation with `--gas auto`,
 * or CheckTx) is a coded error, TX_REJECTED.
 */
export async function signAndBroadcast(
  o: TxOpts,
  from: string,
  build: (signer: string) => EncodeObject[],
  extra: (r: DeliverTxResponse) => Record<string, string> = () => ({}),
): Promise<void> {
  const gas = gasArg(o.gas);
  const adjustment = adjustmentArg(o.gasAdjustment);
  if (o.fees !== undefined && o.gasPrices !== undefined) {
    throw new CliError("INVALID_FEE", "give either --fees or --gas-prices, not both");
  }
  const fees = o.fees === undefined ? [] : coinsArg(o.fees, "--fees", true);
  const gasPrice = o.gasPrices === undefined ? undefined : gasPriceArg(o.gasPrices);

  const keyring = new Keyring({
    home: o.home ?? defaultHome(),
    backend: o.keyringBackend,
    passphrase: readPassphrase,
  });
  const wallet = await keyring.signerFor(from);
  const [account] = await wallet.getAccounts();
  if (!account) throw new CliError("KEY_NOT_FOUND", `key "${from}" has no account`);
  const msgs = build(account.address);

  const comet = await Comet38Client.connect(nodeUrl(o.node));
  const client = SigningStargateClient.createWithSigner(comet, wallet, {
    broadcastPollIntervalMs: 500,
    broadcastTimeoutMs: 60_000,
  });
  try {
    const chainId = await client.getChainId();
    if (o.chainId !== undefined && o.chainId !== chainId) {
      throw new CliError("CHAIN_ID_MISMATCH", `the node is on chain ${chainId}, not ${o.chainId}`);
    }
    const gasLimit =
      gas === "auto"
        ? Math.ceil((await simulateGas(comet, client, account, msgs, o.memo)) * adjustment)
        : gas;
    const fee: StdFee = gasPrice ? calculateFee(gasLimit, gasPrice) : { amount: fees, gas: String(gasLimit) };
    const r = await client.signAndBroadcast(account.address, msgs, fee, o.memo);
    // cosmjs's result of a tx refused in its block lacks the codespace; the node's tx record has it.
    const codespace =
      r.code === 0 ? "" : ((await comet.tx({ hash: fromHex(r.transactionHash) })).result.codespace ?? "");
    print(o.output, {
      txhash: r.transactionHash,
      height: String(r.height),
      code: r.code,
      ...(r.code === 0 ? {} : { codespace }),
      raw_log: r.rawLog ?? "",
      gas_wanted: r.gasWanted.toString(),
      gas_used: r.gasUsed.toString(),
      ...(r.code === 0 ? extra(r) : {}),
    });
    if (r.code !== 0) process.exitCode = 1;
  } finally {
    client.disconnect();
  }
}

/**
 * The gas the node's simulation of the tx uses, computed as cosmjs's `simulate` does but keeping
 * the refusal's codespace: a refused simulation is `TX_REJECTED` with codespace, code and log.
 */
async function simulateGas(
  comet: Comet38Client,
  client: SigningStargateClient,
  account: AccountData,
  msgs: readonly EncodeObject[],
  memo: string,
): Promise<number> {
  const { sequence } = await client.getSequence(account.address);
  const tx = Tx.fromPartial({
    authInfo: AuthInfo.fromPartial({
      fee: Fee.fromPartial({}),
      signerInfos: [
        {
          publicKey: encodePubkey(encodeSecp256k1Pubkey(account.pubkey)),
          sequence: BigInt(sequence),
          modeInfo: { single: { mode: SignMode.SIGN_MODE_UNSPECIFIED } },
        },
      ],
    }),
    body: TxBody.fromPartial({ messages: msgs.map((m) => client.registry.encodeAsAny(m)), memo }),
    signatures: [new Uint8Array()],
  });
  const r = await comet.abciQuery({
    path: "/cosmos.tx.v1beta1.Service/Simulate",
    data: SimulateRequest.encode(SimulateRequest.fromPartial({ txBytes: Tx.encode(tx).finish() })).finish(),
  });
  if (r.code)
    throw new CliError(
      "TX_REJECTED",
      `simulating the transaction failed with code ${r.code} (codespace: ${r.codespace}). Log: ${r.log ?? ""}`,
    );
  return Number(SimulateResponse.decode(r.value).gasInfo?.gasUsed ?? 0n);
}

/** Adds the signing, fee and output options of a `vivim tx …` command. */
export function withTxOptions(cmd: Command): Command {
  return cmd
    .option("--fees <coins>", "fee to pay, e.g. 500uvivim (default: none)")
    .option("--gas-prices <price>", "pay gas × this price instead of --fees, e.g. 0.025uvivim")
    .option("--gas <auto|N>", "gas limit, or auto to simulate", DEFAULT_GAS)
    .option("--gas-adjustment <x>", "multiplier on simulated gas with --gas auto", "1.4")
    .option("--memo <text>", "memo", "")
    .option("--chain-id <id>", "refuse to sign unless the node is on this chain")
    .option("--home <dir>", "node home holding the keyring (default: $VIVIM_HOME or ~/.vivim)")
    .addOption(keyringBackendOption())
    .addOption(nodeOption())
    .addOption(outputOption());
}

function send(o: TxOpts, from: string, to: string, amountText: string): Promise<void> {
  if (!isValidAddress(to)) throw new CliError("INVALID_ADDRESS", `not a valid vivim address: ${to}`);
  const amount = coinsArg(amountText, "amount", false);
  return signAndBroadcast(o, from, (address) => [
    { typeUrl: MSG_SEND_TYPE_URL, value: { fromAddress: address, toAddress: to, amount } },
  ]);
}

function sendCommand(): Command {
  const cmd = withTxOptions(
    new Command("send")
      .description("Send coins from a keyring key to an address, and wait for the block")
      .argument("<from-key-name>", "name of the sending key in the keyring")
      .argument("<to-address>", "vivim1... recipient address")
      .argument("<amount>", "coins to send, e.g. 1000uvivim"),
  );
  return cmd.action(async (from: string, to: string, amount: string) => {
    const o = cmd.optsWithGlobals<TxOpts>();
    try {
      await send(o, from, to, amount);
    } catch (err) {
      fail(cmd, err, o.node);
    }
  });
}

export function txCommand(): Command {
  const bank = new Command("bank").description("Bank transactions").addCommand(sendCommand());
  return new Command("tx").description("Sign and broadcast transactions").addCommand(bank);
}
