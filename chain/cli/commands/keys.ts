/**
 * `vivim keys ...`: the account keyring, with the Cosmos SDK's verbs and flags (add [--recover], list,
 * show [--address], import, delete, export). The `file` backend's passphrase comes from
 * $VIVIM_KEYRING_PASSPHRASE or, on a terminal, a prompt that does not echo.
 */
import { readFile } from "node:fs/promises";
import { createInterface } from "node:readline/promises";
import { Command, Option } from "commander";
import { defaultHome } from "../../config/home.js";
import { type KeyInfo, Keyring, type KeyringBackend, KeyringError } from "../../keys/keyring.js";
import { fail, keyringBackendOption } from "./output.js";
import { passphraseFrom, promptHidden } from "./passphrase.js";

interface CommonOpts {
  home?: string;
  keyringBackend: KeyringBackend;
  output: "json" | "text";
}

const MAX_MNEMONIC_INPUT = 4096;

/** A mnemonic from a hidden prompt on a terminal, else from stdin (so scripts can pipe it in). */
async function readMnemonic(): Promise<string> {
  if (process.stdin.isTTY) return promptHidden("Enter your bip39 mnemonic: ");
  let text = "";
  for await (const chunk of process.stdin) {
    text += String(chunk);
    if (text.length > MAX_MNEMONIC_INPUT)
      throw new KeyringError("INVALID_MNEMONIC", "mnemonic input is too long");
  }
  return text;
}

async function confirm(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) return false;
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}

const keyText = (k: KeyInfo) =>
  `- address: ${k.address}\n  name: ${k.name}\n  pubkey: ${k.pubkey}\n  type: ${k.type}\n`;

function print(o: CommonOpts, json: unknown, text: string): void {
  process.stdout.write(o.output === "json" ? `${JSON.stringify(json)}\n` : text);
}

/** Adds the flags every keys subcommand shares, and runs its body with a keyring and error reporting. */
function keysSub(
  name: string,
  description: string,
  run: (kr: Keyring, o: CommonOpts, args: string[], cmd: Command) => Promise<void>,
): Command {
  const cmd = new Command(name)
    .description(description)
    .option("--home <dir>", "node home directory (default: $VIVIM_HOME or ~/.vivim)")
    .addOption(keyringBackendOption())
    .addOption(new Option("--output <format>", "output format").choices(["json", "text"]).default("text"));
  return cmd.action(async (...params: unknown[]) => {
    const o = cmd.optsWithGlobals<CommonOpts>();
    let isNew = false;
    const kr = new Keyring({
      home: o.home ?? defaultHome(),
      backend: o.keyringBackend,
      passphrase: passphraseFrom(() => isNew),
    });
    try {
      isNew = name === "add" && (await kr.list()).length === 0;
      await run(
        kr,
        o,
        params.filter((p): p is string => typeof p === "string"),
        cmd,
      );
    } catch (err) {
      fail(cmd, err);
    }
  });
}

export function keysCommand(): Command {
  const keys = new Command("keys").description("Manage the account keys of this node home's keyring");

  keys.addCommand(
    keysSub(
      "add",
      "Create a key (a new 24-word mnemonic), or recover one with --recover",
      async (kr, o, [name], cmd) => {
        const flags = cmd.opts<{ recover?: boolean; backup: boolean }>();
        const mnemonic = flags.recover ? await readMnemonic() : undefined;
        const { key, mnemonic: fresh } = await kr.add(name ?? "", mnemonic === undefined ? {} : { mnemonic });
        const shown = fresh && flags.backup ? fresh : undefined;
        const warning = shown
          ? "\n**Important** write this mnemonic phrase in a safe place.\n" +
            "It is the only way to recover your account if you ever forget your password.\n\n" +
            `${shown}\n`
          : "";
        print(o, shown ? { ...key, mnemonic: shown } : key, keyText(key) + warning);
      },
    )
      .argument("<name>", "key name ([a-zA-Z0-9_-], at most 64 characters)")
      .option("--recover", "recover the key from a mnemonic read from the terminal or stdin")
      .option("--no-backup", "do not print the new mnemonic"),
  );

  keys.addCommand(
    keysSub("list", "List all keys", async (kr, o) => {
      const list = await kr.list();
      print(o, list, list.length ? list.map(keyText).join("") : "No records were found in keyring\n");
    }),
  );

  keys.addCommand(
    keysSub("show", "Show a key's address and public key", async (kr, o, [name], cmd) => {
      const key = await kr.show(name ?? "");
      if (cmd.opts<{ address?: boolean }>().address) process.stdout.write(`${key.address}\n`);
      else print(o, key, keyText(key));
    })
      .argument("<name>", "key name")
      .option("-a, --address", "print only the bech32 address"),
  );

  keys.addCommand(
    keysSub("import", "Import a key from a file holding its BIP39 mnemonic", async (kr, o, [name, file]) => {
      const text = await readFile(file ?? "", "utf8");
      if (text.length > MAX_MNEMONIC_INPUT)
        throw new KeyringError("INVALID_MNEMONIC", "mnemonic file is too large");
      const key = await kr.import(name ?? "", text);
      print(o, key, keyText(key));
    })
      .argument("<name>", "key name")
      .argument("<mnemonic-file>", "file holding the mnemonic"),
  );

  keys.addCommand(
    keysSub("delete", "Delete a key (its mnemonic is the only way back)", async (kr, o, [name], cmd) => {
      const yes = cmd.opts<{ yes?: boolean }>().yes === true;
      await kr.show(name ?? "");
      if (
        !yes &&
        !(await confirm(`Delete key "${name}"? It cannot be recovered without its mnemonic [y/N]: `))
      ) {
        throw new KeyringError("NOT_CONFIRMED", "not deleted: confirm with --yes");
      }
      await kr.delete(name ?? "");
      print(o, { deleted: name }, `Key "${name}" deleted\n`);
    })
      .argument("<name>", "key name")
      .option("-y, --yes", "skip the confirmation"),
  );

  keys.addCommand(
    keysSub(
      "export",
      "Print a key's mnemonic (anyone who sees it controls the account)",
      async (kr, o, [name], cmd) => {
        if (cmd.opts<{ unsafe?: boolean }>().unsafe !== true) {
          throw new KeyringError("NOT_CONFIRMED", "refusing to print a mnemonic without --unsafe");
        }
        const mnemonic = await kr.exportMnemonic(name ?? "");
        print(o, { name, mnemonic }, `${mnemonic}\n`);
      },
    )
      .argument("<name>", "key name")
      .option("--unsafe", "confirm that the mnemonic may be shown"),
  );

  return keys;
}
