/**
 * `vivim ai-keys ...`: the AI-provider key vault (`<home>/ai-keys/vault.json`): add, list, rotate,
 * revoke and report spend. Secrets are read from $VIVIM_AI_KEY, else a hidden prompt on a terminal,
 * else stdin — never from argv — and are never printed. The vault passphrase comes from
 * $VIVIM_VAULT_PASSPHRASE or a hidden prompt.
 */
import { Command, Option } from "commander";
import { VaultError } from "../../../workers/vault/errors.js";
import { AI_PROVIDERS, type AiKeyInfo, type AiProviderKind, KeyVault } from "../../../workers/vault/vault.js";
import { defaultHome } from "../../config/home.js";
import { fail, outputOption } from "./output.js";
import { promptHidden } from "./passphrase.js";

interface CommonOpts {
  home?: string;
  output: "json" | "text";
}

const MAX_SECRET_INPUT = 8192;

async function readVaultPassphrase(): Promise<string> {
  const env = process.env.VIVIM_VAULT_PASSPHRASE;
  if (env) return env;
  if (!process.stdin.isTTY)
    throw new VaultError(
      "PASSPHRASE_REQUIRED",
      "the AI key vault needs a passphrase: set VIVIM_VAULT_PASSPHRASE or run in a terminal",
    );
  return promptHidden("Enter AI key vault passphrase: ");
}

/** The provider key: $VIVIM_AI_KEY, else a hidden prompt on a terminal, else stdin (first line). */
async function readSecret(): Promise<string> {
  const env = process.env.VIVIM_AI_KEY;
  if (env) return env;
  if (process.stdin.isTTY) return promptHidden("Enter the provider API key: ");
  let text = "";
  for await (const chunk of process.stdin) {
    text += String(chunk);
    if (text.length > MAX_SECRET_INPUT)
      throw new VaultError("INVALID_INPUT", "the key read from stdin is too long");
  }
  return text.split(/\r?\n/)[0] ?? "";
}

function microUsd(name: string) {
  return (v: string): number => {
    const n = Number(v);
    if (!/^\d+$/.test(v) || !Number.isSafeInteger(n))
      throw new VaultError("INVALID_INPUT", `${name} must be a whole number`);
    return n;
  };
}

const keyText = (k: AiKeyInfo) =>
  `- id: ${k.id}\n  label: ${k.label}\n  provider: ${k.provider}\n` +
  (k.baseUrl ? `  base_url: ${k.baseUrl}\n` : "") +
  (k.model ? `  model: ${k.model}\n` : "") +
  `  created: ${k.created}\n  rotated_at: ${k.rotatedAt ?? "never"}\n  revoked_at: ${k.revokedAt ?? "no"}\n` +
  `  rate_limit_per_minute: ${k.rateLimitPerMinute}\n  daily_budget_micro_usd: ${k.dailyBudgetMicroUsd}\n` +
  `  monthly_budget_micro_usd: ${k.monthlyBudgetMicroUsd}\n`;

function print(o: CommonOpts, json: unknown, text: string): void {
  process.stdout.write(o.output === "json" ? `${JSON.stringify(json)}\n` : text);
}

function sub(
  name: string,
  description: string,
  run: (v: KeyVault, o: CommonOpts, args: string[], cmd: Command) => Promise<void>,
): Command {
  const cmd = new Command(name)
    .description(description)
    .option("--home <dir>", "node home directory (default: $VIVIM_HOME or ~/.vivim)")
    .addOption(outputOption());
  return cmd.action(async (...params: unknown[]) => {
    const o = cmd.optsWithGlobals<CommonOpts>();
    const vault = new KeyVault({ home: o.home ?? defaultHome(), passphrase: readVaultPassphrase });
    try {
      await run(
        vault,
        o,
        params.filter((p): p is string => typeof p === "string"),
        cmd,
      );
    } catch (err) {
      fail(cmd, err);
    }
  });
}

export function aiKeysCommand(): Command {
  const cmd = new Command("ai-keys").description(
    "Manage the AI-provider keys of this node home's encrypted key vault",
  );

  cmd.addCommand(
    sub(
      "add",
      "Add a provider key (read from $VIVIM_AI_KEY, a hidden prompt or stdin)",
      async (v, o, [label], c) => {
        const f = c.opts<{
          provider: AiProviderKind;
          baseUrl?: string;
          model?: string;
          dailyBudget?: number;
          monthlyBudget?: number;
          rateLimit?: number;
        }>();
        const secret = await readSecret();
        const info = await v.add({
          label: label ?? "",
          provider: f.provider,
          secret,
          ...(f.baseUrl ? { baseUrl: f.baseUrl } : {}),
          ...(f.model ? { model: f.model } : {}),
          ...(f.dailyBudget !== undefined ? { dailyBudgetMicroUsd: f.dailyBudget } : {}),
          ...(f.monthlyBudget !== undefined ? { monthlyBudgetMicroUsd: f.monthlyBudget } : {}),
          ...(f.rateLimit !== undefined ? { rateLimitPerMinute: f.rateLimit } : {}),
        });
        print(o, info, keyText(info));
      },
    )
      .argument("<label>", "a name for the key (letters, digits, spaces, '.', '_', '-')")
      .addOption(
        new Option("--provider <provider>", "the provider").choices([...AI_PROVIDERS]).makeOptionMandatory(),
      )
      .option("--base-url <url>", "API root (OpenAI-compatible: incl. /v1; Ollama: host)")
      .option("--model <model>", "model name")
      .option("--daily-budget <microUsd>", "daily budget in micro-USD", microUsd("--daily-budget"))
      .option("--monthly-budget <microUsd>", "monthly budget in micro-USD", microUsd("--monthly-budget"))
      .option("--rate-limit <callsPerMinute>", "calls per minute", microUsd("--rate-limit")),
  );

  cmd.addCommand(
    sub("list", "List the keys (no secrets; needs no passphrase)", async (v, o) => {
      const list = await v.list();
      print(o, list, list.length ? list.map(keyText).join("") : "No AI keys in the vault\n");
    }),
  );

  cmd.addCommand(
    sub("rotate", "Replace a key's secret, keeping its id, limits and spend", async (v, o, [id]) => {
      const info = await v.rotate(id ?? "", await readSecret());
      print(o, info, keyText(info));
    }).argument("<id>", "key id (aik_...)"),
  );

  cmd.addCommand(
    sub("revoke", "Revoke a key for good (its secret is erased)", async (v, o, [id]) => {
      const info = await v.revoke(id ?? "");
      print(o, info, keyText(info));
    }).argument("<id>", "key id (aik_...)"),
  );

  cmd.addCommand(
    sub("report", "Spend per key (today, this month, total, calls)", async (v, o) => {
      const rows = await v.report();
      const text = rows.length
        ? rows
            .map(
              (r) =>
                `- id: ${r.id}\n  label: ${r.label}\n  provider: ${r.provider}\n  revoked: ${r.revokedAt ? "yes" : "no"}\n` +
                `  day: ${r.day} ${r.dayMicroUsd}/${r.dailyBudgetMicroUsd} µUSD\n` +
                `  month: ${r.month} ${r.monthMicroUsd}/${r.monthlyBudgetMicroUsd} µUSD\n` +
                `  total_micro_usd: ${r.totalMicroUsd}\n  calls: ${r.calls}\n`,
            )
            .join("")
        : "No AI keys in the vault\n";
      print(o, rows, text);
    }),
  );
  return cmd;
}
