/** The app's root: loads the network config, then sign-in or the signed-in shell. */
import { useCallback, useEffect, useState } from "react";
import { ErrorState, Spinner } from "./components/common.js";
import { Shell } from "./components/Shell.js";
import { type AppConfig, loadConfig } from "./lib/config.js";
import { SessionProvider } from "./lib/session.js";
import { ToastProvider } from "./lib/toasts.js";
import type { UnlockedVault } from "./lib/vault.js";
import { SignIn } from "./views/SignIn.js";

export function App() {
  const [config, setConfig] = useState<AppConfig | null>(null);
  const [configError, setConfigError] = useState("");
  const [attempt, setAttempt] = useState(0);
  const [session, setSession] = useState<{ vault: UnlockedVault; active: string; version: number } | null>(
    null,
  );
  const [adding, setAdding] = useState(false);

  useEffect(() => {
    void attempt;
    const ctrl = new AbortController();
    setConfigError("");
    loadConfig(ctrl.signal)
      .then(setConfig)
      .catch(() => {
        if (!ctrl.signal.aborted)
          setConfigError("Cannot load the network settings from the app server. Is it running?");
      });
    return () => ctrl.abort();
  }, [attempt]);

  const onDone = useCallback((vault: UnlockedVault, active: string) => {
    setSession((s) => ({ vault, active, version: (s?.version ?? 0) + 1 }));
    setAdding(false);
  }, []);
  const lock = useCallback(() => {
    setSession(null);
    setAdding(false);
  }, []);
  const add = useCallback(() => setAdding(true), []);

  let page: React.ReactNode;
  if (!config) {
    page = configError ? (
      <main className="boot" id="main">
        <ErrorState message={configError} onRetry={() => setAttempt((n) => n + 1)} />
      </main>
    ) : (
      <main className="boot" id="main" aria-busy="true">
        <Spinner label="Starting VIVIM" />
      </main>
    );
  } else if (!session || adding) {
    page = (
      <SignIn
        config={config}
        {...(adding && session ? { vault: session.vault, onCancel: () => setAdding(false) } : {})}
        onDone={onDone}
      />
    );
  } else {
    page = (
      <SessionProvider
        key={session.version}
        config={config}
        vault={session.vault}
        initialActive={session.active}
        onLock={lock}
        onAddAccount={add}
      >
        <Shell />
      </SessionProvider>
    );
  }
  return <ToastProvider>{page}</ToastProvider>;
}
