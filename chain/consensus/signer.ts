/**
 * The validator's signer (CometBFT's FilePV): refuses to sign anything that would regress height,
 * round or step or conflict with what it already signed, and records every signature durably first.
 */
import { type KeyObject, sign } from "node:crypto";
import { bytesEqual } from "../crypto/hash.js";
import { type LastSignState, readLastSignState, SignStep, writeLastSignState } from "./last-sign-state.js";

export class DoubleSignRefusedError extends Error {
  readonly code = "DOUBLE_SIGN_REFUSED";
  constructor(reason: string) {
    super(`refusing to sign: ${reason}`);
    this.name = "DoubleSignRefusedError";
  }
}

export interface ValidatorSigner {
  readonly address: Uint8Array;
  readonly publicKey: Uint8Array;
  readonly lastSignState: LastSignState;
  /** Signs `signBytes` for (height, round, step) if that is safe; resolves once that is durable. */
  sign(height: bigint, round: number, step: SignStep, signBytes: Uint8Array): Promise<Uint8Array>;
}

export class FileValidatorSigner implements ValidatorSigner {
  private last: LastSignState;

  constructor(
    readonly address: Uint8Array,
    readonly publicKey: Uint8Array,
    private readonly privateKey: KeyObject,
    private readonly stateFile: string,
  ) {
    this.last = readLastSignState(stateFile);
  }

  get lastSignState(): LastSignState {
    return this.last;
  }

  /**
   * Check, sign and make the state durable in one synchronous stretch, so each check sees the
   * state the previous signature left and nothing can interleave between check and write.
   */
  async sign(height: bigint, round: number, step: SignStep, signBytes: Uint8Array): Promise<Uint8Array> {
    return this.signNow(height, round, step, signBytes);
  }

  private signNow(height: bigint, round: number, step: SignStep, signBytes: Uint8Array): Uint8Array {
    const last = this.last;
    if (height < last.height)
      throw new DoubleSignRefusedError(`height regression (${height} < ${last.height})`);
    if (height === last.height) {
      if (round < last.round) throw new DoubleSignRefusedError(`round regression at height ${height}`);
      if (round === last.round) {
        if (step < last.step)
          throw new DoubleSignRefusedError(`step regression at height ${height} round ${round}`);
        if (step === last.step) {
          // The same message again (e.g. replayed after a restart) gets the same signature.
          if (last.signBytes && last.signature && bytesEqual(last.signBytes, signBytes))
            return last.signature;
          throw new DoubleSignRefusedError(
            `conflicting data at height ${height} round ${round} step ${step}`,
          );
        }
      }
    }
    const signature = new Uint8Array(sign(null, signBytes, this.privateKey));
    const next = { height, round, step, signBytes, signature };
    writeLastSignState(this.stateFile, next);
    this.last = next;
    return signature;
  }
}

export { SignStep };
