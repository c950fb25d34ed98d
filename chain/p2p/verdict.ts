/** What a receiver decides about a peer's message, shared by the p2p host and the consensus reactor. */

/** Offences that cost a peer score points (see peer-scores.ts). */
export type Offence = "invalid_signature" | "oversized" | "malformed" | "invalid_block" | "bad_sync_response";

/** Forward it, drop it quietly, or reject it: an offence is punished, a wrong height only counted. */
export type Verdict = "accept" | "ignore" | { readonly reject: Offence | "wrong_height" };
