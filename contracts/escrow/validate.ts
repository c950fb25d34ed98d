/** Stateless field checks shared by the escrow Msgs. */
import { decodeAddress } from "../../chain/crypto/address.js";
import { CodedError } from "../../chain/errors/codes.js";
import { BASE_DENOM, validateCoins } from "../lib/coins.js";
import type { Coin } from "../lib/proto-common.js";
import { EscrowErrors } from "./errors.js";

export const MAX_TITLE = 200;
export const MAX_DESCRIPTION = 4000;
export const MAX_RESULT = 4000;
export const MAX_REASON = 1000;
export const MAX_ASSIGNEE = 100;
export const MAX_TIP_COINS = 8;

/** Length in Unicode code points (what people call characters). */
export function charLength(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // A high surrogate followed by a low one is one character.
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}

export function checkText(field: string, text: string, max: number, required: boolean): void {
  // Checked on UTF-16 length first, so a huge string is refused without counting it.
  if (text.length > 2 * max || charLength(text) > max)
    throw new CodedError(EscrowErrors.InvalidField, `${field} longer than ${max} characters`);
  if (required && text.trim().length === 0)
    throw new CodedError(EscrowErrors.InvalidField, `${field} must not be empty`);
}

export function checkAddress(address: string): void {
  decodeAddress(address);
}

export function checkBountyId(id: bigint): void {
  if (id <= 0n) throw new CodedError(EscrowErrors.InvalidField, "bounty_id must be positive");
}

/** A bounty amount: exactly one positive uvivim coin. */
export function checkBountyAmount(amount: readonly Coin[]): void {
  if (amount.length !== 1 || amount[0]?.denom !== BASE_DENOM)
    throw new CodedError(EscrowErrors.InvalidAmount, `amount must be a single ${BASE_DENOM} coin`);
  validateCoins(amount);
}

/** A transfer amount (tip, withdrawal): valid, positive, sorted coins, at most a few denoms. */
export function checkTransferAmount(amount: readonly Coin[]): void {
  if (amount.length === 0 || amount.length > MAX_TIP_COINS)
    throw new CodedError(EscrowErrors.InvalidAmount, `amount must hold 1 to ${MAX_TIP_COINS} coins`);
  validateCoins(amount);
}

const ACCOUNT_NAME = /^@[a-z0-9_]{1,32}(\/[A-Za-z0-9_.-]{1,64})?$/;

/** An assignee: empty, a bech32 address, `@handle` or `@handle/agent`. */
export function checkAssignee(assignee: string): void {
  if (assignee === "") return;
  if (assignee.length > MAX_ASSIGNEE)
    throw new CodedError(EscrowErrors.InvalidField, `assignee longer than ${MAX_ASSIGNEE} characters`);
  if (assignee.startsWith("@")) {
    if (!ACCOUNT_NAME.test(assignee))
      throw new CodedError(
        EscrowErrors.InvalidField,
        "assignee must be an address, @handle or @handle/agent",
      );
    return;
  }
  decodeAddress(assignee);
}
