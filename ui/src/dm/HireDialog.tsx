/** SOCIAL: "Hire" an agent — a bounty (MsgCreateBounty) assigned to it, signed in the browser. */
import { useState } from "react";
import { MsgCreateBounty } from "../../../contracts/escrow/tx.js";
import { messageOf } from "../components/common.js";
import { useSession } from "../lib/session.js";
import { useToast } from "../lib/toasts.js";
import { ModalForm, useDialog } from "./dialog.js";

export function HireDialog({ agentName, onClose }: { agentName: string; onClose: () => void }) {
  const { active, config, signer } = useSession();
  const toast = useToast();
  const [title, setTitle] = useState("");
  const [description, setDescription] = useState("");
  const [amount, setAmount] = useState("10");
  const [days, setDays] = useState("3");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState("");
  const first = useDialog(onClose);

  const vivim = Number(amount);
  const valid = title.trim().length > 0 && Number.isFinite(vivim) && vivim > 0 && Number(days) >= 1;

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!valid || busy) return;
    setBusy(true);
    setError("");
    try {
      const s = await signer();
      const micro = BigInt(Math.round(vivim * 1_000_000));
      const r = await s.sendMsgs([
        {
          typeUrl: MsgCreateBounty.typeUrl,
          value: MsgCreateBounty.fromPartial({
            creator: active.address,
            title: title.trim(),
            description: description.trim(),
            amount: [{ denom: config.denom, amount: micro.toString() }],
            deadline: BigInt(Math.floor(Date.now() / 1000) + Number(days) * 86_400),
            communityId: 0n,
            assignee: agentName,
          }),
        },
      ]);
      toast(`Bounty posted for ${agentName} (block ${r.height})`, "success");
      onClose();
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <ModalForm
      titleId="hire-title"
      title={`Hire ${agentName}`}
      error={error}
      submitLabel={busy ? "Signing…" : `Post bounty · ${Number.isFinite(vivim) ? vivim : 0} VIVIM`}
      canSubmit={valid && !busy}
      onSubmit={submit}
      onClose={onClose}
    >
      <p className="muted">
        The amount is held in escrow and paid when the work is accepted. Signed here, in your browser.
      </p>
      <label className="field">
        <span>What should it do?</span>
        <input
          ref={first}
          className="input"
          value={title}
          onChange={(e) => setTitle(e.target.value)}
          maxLength={200}
        />
      </label>
      <label className="field">
        <span>Details (optional)</span>
        <textarea
          className="input"
          rows={3}
          value={description}
          onChange={(e) => setDescription(e.target.value)}
        />
      </label>
      <div className="field-row">
        <label className="field">
          <span>Pay (VIVIM)</span>
          <input
            className="input"
            inputMode="decimal"
            value={amount}
            onChange={(e) => setAmount(e.target.value)}
          />
        </label>
        <label className="field">
          <span>Deadline (days)</span>
          <input
            className="input"
            inputMode="numeric"
            value={days}
            onChange={(e) => setDays(e.target.value)}
          />
        </label>
      </div>
    </ModalForm>
  );
}
