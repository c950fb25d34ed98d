/**
 * Registered ABCI error codes, Cosmos SDK style: every failure that crosses the node boundary carries a
 * `codespace`, a numeric `code` and a log `"<detail>: <description>"`, exactly as cosmjs expects to
 * read them from CheckTx / DeliverTx results and from abci_query.
 *
 * The `sdk` codes keep the numbers of cosmos-sdk `types/errors`, so wallets and explorers that know
 * Cosmos chains show the right message.
 */
export interface RegisteredError {
  readonly codespace: string;
  readonly code: number;
  readonly description: string;
}

function register(codespace: string, code: number, description: string): RegisteredError {
  return Object.freeze({ codespace, code, description });
}

export const SdkErrors = {
  Internal: register("sdk", 1, "internal"),
  TxDecode: register("sdk", 2, "tx parse error"),
  InvalidSequence: register("sdk", 3, "invalid sequence"),
  Unauthorized: register("sdk", 4, "unauthorized"),
  InsufficientFunds: register("sdk", 5, "insufficient funds"),
  UnknownRequest: register("sdk", 6, "unknown request"),
  InvalidAddress: register("sdk", 7, "invalid address"),
  InvalidPubKey: register("sdk", 8, "invalid pubkey"),
  UnknownAddress: register("sdk", 9, "unknown address"),
  InvalidCoins: register("sdk", 10, "invalid coins"),
  OutOfGas: register("sdk", 11, "out of gas"),
  MemoTooLarge: register("sdk", 12, "memo too large"),
  InsufficientFee: register("sdk", 13, "insufficient fee"),
  TooManySignatures: register("sdk", 14, "maximum number of signatures exceeded"),
  NoSignatures: register("sdk", 15, "no signatures supplied"),
  InvalidRequest: register("sdk", 18, "invalid request"),
  TxInMempoolCache: register("sdk", 19, "tx already in mempool"),
  MempoolIsFull: register("sdk", 20, "mempool is full"),
  TxTooLarge: register("sdk", 21, "tx too large"),
  KeyNotFound: register("sdk", 22, "key not found"),
  InvalidSigner: register("sdk", 24, "tx intended signer does not match the given signer"),
  InvalidHeight: register("sdk", 26, "invalid height"),
  InvalidChainId: register("sdk", 28, "invalid chain-id"),
  InvalidType: register("sdk", 29, "invalid type"),
  TxTimeoutHeight: register("sdk", 30, "tx timeout height"),
  UnknownExtensionOptions: register("sdk", 31, "unknown extension options"),
  WrongSequence: register("sdk", 32, "incorrect account sequence"),
  UnpackAny: register("sdk", 34, "failed unpacking protobuf message from Any"),
  NotSupported: register("sdk", 37, "feature not supported"),
  NotFound: register("sdk", 38, "not found"),
  InvalidGasLimit: register("sdk", 41, "invalid gas limit"),
} as const;

export const BankErrors = {
  SendDisabled: register("bank", 5, "send transactions are disabled"),
} as const;

/** An error with an ABCI code. Thrown inside the node, turned into a result at every boundary. */
export class CodedError extends Error {
  readonly codespace: string;
  readonly code: number;
  /** The Cosmos-style log line: `"<detail>: <description>"`. */
  readonly log: string;

  constructor(kind: RegisteredError, detail?: string) {
    const log = detail ? `${detail}: ${kind.description}` : kind.description;
    super(log);
    this.name = "CodedError";
    this.codespace = kind.codespace;
    this.code = kind.code;
    this.log = log;
  }
}

export function isCodedError(err: unknown): err is CodedError {
  return err instanceof CodedError;
}

/** The shape an ABCI result carries (CheckTx, DeliverTx, Query). */
export interface AbciOutcome {
  code: number;
  codespace: string;
  log: string;
}

/** Converts anything thrown into an ABCI outcome; unknown errors never leak a stack trace. */
export function toAbciOutcome(err: unknown): AbciOutcome {
  if (isCodedError(err)) return { code: err.code, codespace: err.codespace, log: err.log };
  return { code: SdkErrors.Internal.code, codespace: "sdk", log: SdkErrors.Internal.description };
}
