// The fixture every browser test file shares: a fresh `nrm serve` with demo data and a
// Chromium page, opened before the file's tests and closed after them.
import { startServer, demoIds } from './server.mjs';
import { launch } from './browser.mjs';

// Returns { srv, b, page, ids } (ids: the demo ids of demoIds(), when asked for).
export async function openSuite({ ids = false } = {}) {
  const srv = await startServer();
  const out = { srv, ids: ids ? await demoIds(srv) : undefined };
  out.b = await launch();
  out.page = out.b.page;
  return out;
}

export async function closeSuite({ b, srv }) {
  await b?.close();
  await srv?.stop();
}
