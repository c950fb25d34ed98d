// Free TCP ports for the processes tests, benchmarks and QA start. Ports come from below the
// kernel's ephemeral range (32768+): a port found free and released there can be taken by any
// outgoing connection or `listen(0)` before the node binds it (a CI run once lost a test node, and
// a QA run a validator's p2p port, to that race). Each caller draws from its own block, starting at a
// random offset, and every port is checked free before it is handed out.
import { createServer } from "node:net";

function canBind(port) {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once("error", () => resolve(false));
    srv.listen(port, "127.0.0.1", () => srv.close(() => resolve(true)));
  });
}

/** A `freePort()` drawing from [base, base + size). */
export function portAllocator(base, size) {
  let offset = Math.floor(Math.random() * size);
  return async function freePort() {
    for (let tries = 0; tries < size; tries++) {
      const port = base + (offset++ % size);
      if (await canBind(port)) return port;
    }
    throw new Error(`no free port in ${base}..${base + size - 1}`);
  };
}

/** Ports for scripts (benchmarks, QA, the workers stack): 31,700-32,699, above the tests' blocks. */
export const freePort = portAllocator(31_700, 1_000);
