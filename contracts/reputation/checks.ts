/** Checks shared by the reputation Msgs and genesis. */
import { CodedError, type RegisteredError } from "../../chain/errors/codes.js";
import { type Actor, getActor } from "../identity/keeper.js";
import type { KVReader } from "../types.js";
import { ReputationErrors } from "./errors.js";

export const MAX_COMMENT_BYTES = 500;
export const MAX_STATEMENT_BYTES = 280;
export const THREAD_ID_LENGTH = 32;

const utf8Length = (text: string) => Buffer.byteLength(text, "utf8");

/** At most `max` bytes of UTF-8 and no control characters other than tab and newline. */
export function checkText(text: string, max: number, field: string): void {
  const length = utf8Length(text);
  if (length > max)
    throw new CodedError(ReputationErrors.TextTooLong, `${field} is ${length} bytes, at most ${max} allowed`);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point.
  if (/[\u0000-\u0008\u000b-\u001f\u007f]/.test(text))
    throw new CodedError(ReputationErrors.InvalidText, `${field} contains control characters`);
}

export function checkStars(stars: number): void {
  if (!Number.isInteger(stars) || stars < 1 || stars > 5)
    throw new CodedError(ReputationErrors.InvalidStars, `got ${stars}`);
}

/** The human who answers for an actor: itself, or an agent's owner. */
export function principalOf(actor: Actor): string {
  return actor.kind === "agent" ? actor.agent.owner : actor.address;
}

/**
 * Refuses rating or vouching within one principal: yourself, your owner, your own agents, or
 * another agent of the same owner.
 */
export function checkNotSelfDealing(from: Actor, to: Actor): void {
  if (from.address === to.address)
    throw new CodedError(ReputationErrors.SelfDealing, `${from.address} cannot rate or vouch for itself`);
  if (principalOf(from) === principalOf(to))
    throw new CodedError(
      ReputationErrors.SelfDealing,
      `${from.address} and ${to.address} answer to the same owner ${principalOf(from)}`,
    );
}

/** The registered account at `address`, or `error` (UnknownAccount by default). */
export function requireRegistered(
  store: KVReader,
  address: string,
  role: string,
  error: RegisteredError = ReputationErrors.UnknownAccount,
): Actor {
  const actor = getActor(store, address);
  if (!actor) throw new CodedError(error, `${role} ${address} has no profile`);
  return actor;
}
