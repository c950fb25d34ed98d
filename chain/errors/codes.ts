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

export function registerError(codespace: string, code: number, description: string): RegisteredError {
  return Object.freeze({ codespace, code, description });
}

export const SdkErrors = {
  Internal: registerError("sdk", 1, "internal"),
  TxDecode: registerError("sdk", 2, "tx parse error"),
  InvalidSequence: registerError("sdk", 3, "invalid sequence"),
  Unauthorized: registerError("sdk", 4, "unauthorized"),
  InsufficientFunds: registerError("sdk", 5, "insufficient funds"),
  UnknownRequest: registerError("sdk", 6, "unknown request"),
  InvalidAddress: registerError("sdk", 7, "invalid address"),
  InvalidPubKey: registerError("sdk", 8, "invalid pubkey"),
  UnknownAddress: registerError("sdk", 9, "unknown address"),
  InvalidCoins: registerError("sdk", 10, "invalid coins"),
  OutOfGas: registerError("sdk", 11, "out of gas"),
  MemoTooLarge: registerError("sdk", 12, "memo too large"),
  InsufficientFee: registerError("sdk", 13, "insufficient fee"),
  TooManySignatures: registerError("sdk", 14, "maximum number of signatures exceeded"),
  NoSignatures: registerError("sdk", 15, "no signatures supplied"),
  InvalidRequest: registerError("sdk", 18, "invalid request"),
  TxInMempoolCache: registerError("sdk", 19, "tx already in mempool"),
  MempoolIsFull: registerError("sdk", 20, "mempool is full"),
  TxTooLarge: registerError("sdk", 21, "tx too large"),
  KeyNotFound: registerError("sdk", 22, "key not found"),
  InvalidSigner: registerError("sdk", 24, "tx intended signer does not match the given signer"),
  InvalidHeight: registerError("sdk", 26, "invalid height"),
  InvalidChainId: registerError("sdk", 28, "invalid chain-id"),
  InvalidType: registerError("sdk", 29, "invalid type"),
  TxTimeoutHeight: registerError("sdk", 30, "tx timeout height"),
  UnknownExtensionOptions: registerError("sdk", 31, "unknown extension options"),
  WrongSequence: registerError("sdk", 32, "incorrect account sequence"),
  UnpackAny: registerError("sdk", 34, "failed unpacking protobuf message from Any"),
  NotSupported: registerError("sdk", 37, "feature not supported"),
  NotFound: registerError("sdk", 38, "not found"),
  InvalidGasLimit: registerError("sdk", 41, "invalid gas limit"),
} as const;

export const BankErrors = {
  SendDisabled: registerError("bank", 5, "send transactions are disabled"),
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
