/**
 * The `file` keyring's passphrase: from $VIVIM_KEYRING_PASSPHRASE, else a prompt on the terminal
 * that does not echo (asked twice when it starts a new keyring).
 */
import { KeyringError } from "../../keys/keyring.js";

/** Reads a line from the terminal without echoing it (raw mode), for passphrases and mnemonics. */
export function promptHidden(question: string): Promise<string> {
  const stdin = process.stdin;
  return new Promise((resolve, reject) => {
    let input = "";
    const finish = () => {
      stdin.off("data", onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write("\n");
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === "\r" || ch === "\n") {
          finish();
          resolve(input);
          return;
        }
        if (ch === "\u0003" || ch === "\u0004") {
          finish();
          reject(new KeyringError("PASSPHRASE_REQUIRED", "cancelled"));
          return;
        }
        input = ch === "\u007f" || ch === "\b" ? input.slice(0, -1) : input + ch;
      }
    };
    process.stderr.write(question);
    stdin.setEncoding("utf8");
    stdin.setRawMode(true);
    stdin.resume();
    stdin.on("data", onData);
  });
}

/** The passphrase source for the keyring: env first, then a prompt (asked twice for a new keyring). */
export function passphraseFrom(isNewKeyring: () => boolean): () => Promise<string> {
  return async () => {
    const env = process.env.VIVIM_KEYRING_PASSPHRASE;
    if (env) return env;
    if (!process.stdin.isTTY) {
      throw new KeyringError(
        "PASSPHRASE_REQUIRED",
        "the file keyring needs a passphrase: set VIVIM_KEYRING_PASSPHRASE or run in a terminal",
      );
    }
    const pass = await promptHidden("Enter keyring passphrase: ");
    if (isNewKeyring() && (await promptHidden("Re-enter keyring passphrase: ")) !== pass) {
      throw new KeyringError("PASSPHRASE_REQUIRED", "the passphrases do not match");
    }
    return pass;
  };
}

/** For commands that only read keys (tx signing). */
export const readPassphrase = passphraseFrom(() => false);
