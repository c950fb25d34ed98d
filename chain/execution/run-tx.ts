/**
 * Runs one decoded tx against a store: ante handler, then every message in a branch that is
 * committed only if all of them succeed. Never throws: every failure becomes a coded result.
 * CheckTx stops after the ante handler, as in the Cosmos SDK: the mempool admits what can pay and
 * is correctly signed and sequenced; what the messages do is decided in the block.
 */
import { TxMsgData } from "cosmjs-types/cosmos/base/abci/v1beta1/abci";
import { indexedEvent } from "../../contracts/lib/events.js";
import type { AbciEvent, BlockInfo, ModuleRegistry } from "../../contracts/types.js";
import { toAbciOutcome } from "../errors/codes.js";
import { BasicGasMeter, GasMeteredStore } from "../state/gas.js";
import type { StoreOverlay } from "../state/overlay.js";
import type { DecodedTx } from "../tx/decode.js";
import type { TxResult } from "../types/block.js";
import { type AnteOptions, runAnte } from "./ante.js";
import { makeExecContext } from "./context.js";

export interface TxRunEnv {
  readonly block: BlockInfo;
  readonly modules: ModuleRegistry;
  readonly ante: AnteOptions;
  /** Gas limit used for simulation, where the tx carries none yet. */
  readonly simulateGasLimit: bigint;
}

function moduleOf(typeUrl: string): string {
  // "/cosmos.bank.v1beta1.MsgSend" → "bank"; "/vivim.social.v1.MsgPost" → "social"
  const parts = typeUrl.slice(1).split(".");
  return parts.length >= 3 ? parts[parts.length - 3]! : "unknown";
}

/** Executes `tx` on `store`. On success the tx's writes are in `store`; on failure only the ante's are (deliver). */
export function runTx(env: TxRunEnv, store: StoreOverlay, tx: DecodedTx): TxResult {
  const gasLimit = env.ante.mode === "simulate" ? env.simulateGasLimit : tx.fee.gasLimit;
  const gas = new BasicGasMeter(gasLimit);
  const anteStore = store.branch();
  const anteEvents: AbciEvent[] = [];
  try {
    runAnte(
      makeExecContext(env.block, new GasMeteredStore(anteStore, gas), gas, env.modules, anteEvents),
      tx,
      env.ante,
    );
  } catch (err) {
    return {
      ...toAbciOutcome(err),
      data: new Uint8Array(),
      gasWanted: gasLimit,
      gasUsed: gas.consumed(),
      events: [],
    };
  }
  anteStore.commitInto(store);
  if (env.ante.mode === "check") {
    return {
      code: 0,
      codespace: "",
      log: "",
      data: new Uint8Array(),
      gasWanted: gasLimit,
      gasUsed: gas.consumed(),
      events: anteEvents,
    };
  }

  const msgStore = store.branch();
  const msgEvents: AbciEvent[] = [];
  const ctx = makeExecContext(env.block, new GasMeteredStore(msgStore, gas), gas, env.modules, msgEvents);
  const responses = [];
  try {
    for (const msg of tx.msgs) {
      const signer = msg.def.signers(msg.value as never)[0] ?? "";
      msgEvents.push(
        indexedEvent("message", { action: msg.typeUrl, sender: signer, module: moduleOf(msg.typeUrl) }),
      );
      responses.push(msg.def.handle(ctx, msg.value as never));
    }
  } catch (err) {
    return {
      ...toAbciOutcome(err),
      data: new Uint8Array(),
      gasWanted: gasLimit,
      gasUsed: gas.consumed(),
      events: anteEvents,
    };
  }
  msgStore.commitInto(store);
  return {
    code: 0,
    codespace: "",
    log: "",
    data: TxMsgData.encode({ data: [], msgResponses: responses }).finish(),
    gasWanted: gasLimit,
    gasUsed: gas.consumed(),
    events: [...anteEvents, ...msgEvents],
  };
}
