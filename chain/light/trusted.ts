/** Trusted validator sets for light verification, from a genesis document someone vouches for. */
import type { GenesisDoc } from "../config/genesis.js";
import { type Validator, validatorAddress } from "../consensus/validator-set.js";
import { bytesEqual, fromBase64, fromHex } from "../crypto/hash.js";

export class TrustedSetError extends Error {
  readonly code = "TRUSTED_SET_INVALID";
  constructor(message: string) {
    super(message);
    this.name = "TrustedSetError";
  }
}

/** The genesis validators; each listed address must be its public key's. */
export function validatorsFromGenesis(genesis: Pick<GenesisDoc, "validators">): Validator[] {
  return genesis.validators.map((v, i) => {
    const pubKey = fromBase64(v.pub_key.value);
    const address = validatorAddress(pubKey);
    if (v.address && !bytesEqual(fromHex(v.address), address)) {
      throw new TrustedSetError(`genesis validators[${i}]: address does not match pub_key`);
    }
    return { address, pubKey, votingPower: BigInt(v.power), proposerPriority: 0n };
  });
}
