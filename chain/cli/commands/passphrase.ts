/**
 * The `file` keyring's passphrase for commands that only read keys (tx signing): from
 * $VIVIM_KEYRING_PASSPHRASE, else a prompt on the terminal that does not echo.
 */
import { KeyringError } from "../../keys/keyring.js";

function promptHidden(question: string): Promise<string> {
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

export async function readPassphrase(): Promise<string> {
  const env = process.env.VIVIM_KEYRING_PASSPHRASE;
  if (env) return env;
  if (!process.stdin.isTTY) {
    throw new KeyringError(
      "PASSPHRASE_REQUIRED",
      "the file keyring needs a passphrase: set VIVIM_KEYRING_PASSPHRASE or run in a terminal",
    );
  }
  return promptHidden("Enter keyring passphrase: ");
}
