/**
 * The honest validator's double-sign guard: the same checks as `FileValidatorSigner` (CometBFT's
 * FilePV) — no height, round or step regression, no different bytes for the same step, the same
 * bytes again get the same signature — over an in-memory last-sign state that survives a simulated
 * crash, as the fsynced `priv_validator_state.json` survives a real one.
 */
import { type KeyObject, sign } from "node:crypto";
import { type LastSignState, SignStep } from "../../chain/consensus/last-sign-state.js";
import { bytesEqual } from "../../chain/crypto/hash.js";

export type SignOutcome = { ok: true; signature: Uint8Array } | { ok: false; reason: string };

export class MemorySignGuard {
  private last: LastSignState = { height: 0n, round: 0, step: SignStep.None };

  constructor(private readonly privateKey: KeyObject) {}

  get lastSignState(): LastSignState {
    return this.last;
  }

  sign(height: bigint, round: number, step: SignStep, signBytes: Uint8Array): SignOutcome {
    const last = this.last;
    if (height < last.height) return { ok: false, reason: `height regression (${height} < ${last.height})` };
    if (height === last.height) {
      if (round < last.round) return { ok: false, reason: `round regression at height ${height}` };
      if (round === last.round) {
        if (step < last.step) return { ok: false, reason: `step regression at ${height}/${round}` };
        if (step === last.step) {
          if (last.signBytes && last.signature && bytesEqual(last.signBytes, signBytes))
            return { ok: true, signature: last.signature };
          return { ok: false, reason: `conflicting data at ${height}/${round} step ${step}` };
        }
      }
    }
    const signature = new Uint8Array(sign(null, signBytes, this.privateKey));
    this.last = { height, round, step, signBytes, signature };
    return { ok: true, signature };
  }
}

/** Byzantine nodes sign whatever they like. */
export function signUnguarded(privateKey: KeyObject, signBytes: Uint8Array): Uint8Array {
  return new Uint8Array(sign(null, signBytes, privateKey));
}
