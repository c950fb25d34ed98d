/**
 * What `vivim tx gov` reads from its arguments: the Cosmos SDK's proposal file
 * (`{"messages": [{"@type": …, …snake_case fields}], "metadata", "deposit": "1000uvivim", "title",
 * "summary", "expedited"}`, what `simd tx gov draft-proposal` writes), vote options and weighted
 * votes. Every problem is a CliError with a stable code.
 */
import type { Coin } from "cosmjs-types/cosmos/base/v1beta1/coin";
import { VoteOption, type WeightedVoteOption } from "cosmjs-types/cosmos/gov/v1/gov";
import type { Any } from "cosmjs-types/google/protobuf/any";
import { DEC_ONE, formatDec, parseDec } from "../../../contracts/lib/decimal.js";
import { parseProposalId } from "../../api/gov-json.js";
import { anyFromJson, JsonToProtoError } from "../../codec/json-to-proto.js";
import type { AnyResolver } from "../../codec/schema.js";
import { CliError } from "./output.js";

/** The largest proposal file read; a tx is far smaller anyway. */
export const MAX_PROPOSAL_FILE_BYTES = 1 << 20;
/** x/gov's own limit on a proposal's messages; the chain's `max_messages` is usually lower. */
const MAX_MESSAGES = 64;

export interface ProposalFile {
  readonly messages: Any[];
  readonly metadata: string;
  readonly deposit: Coin[];
  readonly title: string;
  readonly summary: string;
  readonly expedited: boolean;
}

const FILE_KEYS = ["messages", "metadata", "deposit", "title", "summary", "expedited"];

const invalid = (message: string) => new CliError("INVALID_PROPOSAL", message);

function stringField(doc: Record<string, unknown>, key: string): string {
  const v = doc[key] ?? "";
  if (typeof v !== "string") throw invalid(`"${key}" must be a string`);
  return v;
}

/**
 * Parses a proposal file's text. `isMsg` says whether a type URL is a Msg the chain runs;
 * `resolve` gives the schema of any type (Msgs and what they nest); `parseCoins` reads "deposit".
 */
export function parseProposalFile(
  text: string,
  opts: { resolve: AnyResolver; isMsg: (typeUrl: string) => boolean; parseCoins: (text: string) => Coin[] },
): ProposalFile {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw invalid("the proposal file is not valid JSON");
  }
  if (typeof doc !== "object" || doc === null || Array.isArray(doc))
    throw invalid("the proposal file must hold a JSON object");
  const fields = doc as Record<string, unknown>;
  const unknown = Object.keys(fields).find((k) => !FILE_KEYS.includes(k));
  if (unknown !== undefined)
    throw invalid(`unknown key "${unknown.slice(0, 60)}"; a proposal file has ${FILE_KEYS.join(", ")}`);

  const list = fields.messages ?? [];
  if (!Array.isArray(list)) throw invalid('"messages" must be an array');
  if (list.length > MAX_MESSAGES) throw invalid(`at most ${MAX_MESSAGES} messages`);
  const messages = list.map((m, i) => {
    const typeUrl = typeof m === "object" && m !== null ? (m as Record<string, unknown>)["@type"] : undefined;
    if (typeof typeUrl === "string" && !opts.isMsg(typeUrl))
      throw invalid(`messages[${i}]: ${typeUrl.slice(0, 120)} is not a Msg this chain runs`);
    try {
      return anyFromJson(m, opts.resolve, `messages[${i}]`);
    } catch (err) {
      if (err instanceof JsonToProtoError) throw invalid(err.message);
      throw err;
    }
  });

  const expedited = fields.expedited ?? false;
  if (typeof expedited !== "boolean") throw invalid('"expedited" must be true or false');
  const title = stringField(fields, "title");
  const summary = stringField(fields, "summary");
  if (title.trim() === "") throw invalid('"title" must not be empty');
  if (summary.trim() === "") throw invalid('"summary" must not be empty');
  return {
    messages,
    metadata: stringField(fields, "metadata"),
    deposit: opts.parseCoins(stringField(fields, "deposit")),
    title,
    summary,
    expedited,
  };
}

export function proposalIdArg(text: string): bigint {
  const id = parseProposalId(text);
  if (id === undefined)
    throw new CliError(
      "INVALID_PROPOSAL_ID",
      `proposal id must be a positive integer, got ${JSON.stringify(text.slice(0, 40))}`,
    );
  return id;
}

const OPTIONS: Readonly<Record<string, VoteOption>> = {
  YES: VoteOption.VOTE_OPTION_YES,
  ABSTAIN: VoteOption.VOTE_OPTION_ABSTAIN,
  NO: VoteOption.VOTE_OPTION_NO,
  NO_WITH_VETO: VoteOption.VOTE_OPTION_NO_WITH_VETO,
  NOWITHVETO: VoteOption.VOTE_OPTION_NO_WITH_VETO,
  VETO: VoteOption.VOTE_OPTION_NO_WITH_VETO,
};

/** `yes`, `no`, `abstain`, `no_with_veto` (any case, or `VOTE_OPTION_…`). */
export function voteOptionArg(text: string): VoteOption {
  const key = text
    .toUpperCase()
    .replace(/-/g, "_")
    .replace(/^VOTE_OPTION_/, "");
  const option = OPTIONS[key];
  if (option === undefined)
    throw new CliError(
      "INVALID_VOTE",
      `vote option must be yes, no, abstain or no_with_veto, got ${JSON.stringify(text.slice(0, 40))}`,
    );
  return option;
}

/** `yes=0.6,no=0.4`: 1–4 distinct options whose weights (decimals in (0, 1]) sum to exactly 1. */
export function weightedOptionsArg(text: string): WeightedVoteOption[] {
  const parts = text.split(",").map((p) => p.trim());
  if (parts.length === 0 || parts.length > 4 || parts.some((p) => p === ""))
    throw new CliError("INVALID_VOTE", "weighted options look like yes=0.6,no=0.4 (1 to 4 options)");
  const seen = new Set<VoteOption>();
  let sum = 0n;
  const options = parts.map((part) => {
    const [name = "", weightText = "", ...rest] = part.split("=");
    if (rest.length > 0 || weightText === "")
      throw new CliError("INVALID_VOTE", `${JSON.stringify(part.slice(0, 40))} is not option=weight`);
    const option = voteOptionArg(name);
    if (seen.has(option)) throw new CliError("INVALID_VOTE", `${name} is given twice`);
    seen.add(option);
    const weight = parseDec(weightText);
    if (weight === undefined || weight === 0n || weight > DEC_ONE)
      throw new CliError(
        "INVALID_VOTE",
        `weight ${JSON.stringify(weightText.slice(0, 40))} must be a decimal in (0, 1]`,
      );
    sum += weight;
    return { option, weight: formatDec(weight) };
  });
  if (sum !== DEC_ONE) throw new CliError("INVALID_VOTE", `the weights sum to ${formatDec(sum)}, not 1`);
  return options;
}
