// Better Auth 1.7.25 with its organization plugin on better-sqlite3, for orgkit's paired
// benchmark (`orgkit-bench --scenario paired`, run by scripts/bench-paired.sh).
//
//   node server.mjs --database PATH [--listen 127.0.0.1:0]
//
// It opens the SQLite file as orgkit does (WAL, synchronous NORMAL), creates Better Auth's
// schema with its programmatic migrations, serves `/api/auth/*` on node:http and prints
// `listening on http://HOST:PORT` once it accepts requests. Rate limiting is off, as the
// orgkit server runs its benchmark with its limits lifted. Invitations per organization are
// not capped (Better Auth caps pending invitations at 100 by default; the benchmark's invite
// phase sends thousands into one organization, as it does to orgkit).

import http from "node:http";
import Database from "better-sqlite3";
import { betterAuth } from "better-auth";
import { getMigrations } from "better-auth/db/migration";
import { toNodeHandler } from "better-auth/node";
import { organization } from "better-auth/plugins";

function flag(name, fallback) {
  const at = process.argv.indexOf(name);
  if (at === -1 || at + 1 >= process.argv.length) {
    if (fallback === undefined) {
      throw new Error(`missing ${name}`);
    }
    return fallback;
  }
  return process.argv[at + 1];
}

const databasePath = flag("--database");
const [host, portText] = flag("--listen", "127.0.0.1:0").split(":");

const db = new Database(databasePath);
db.pragma("journal_mode = WAL");
db.pragma("synchronous = NORMAL");
db.pragma("busy_timeout = 5000");

/** The Better Auth instance for a server reachable at `baseURL`. */
function makeAuth(baseURL) {
  return betterAuth({
    baseURL,
    secret: "orgkit-paired-benchmark-secret-not-for-production-0123456789",
    database: db,
    emailAndPassword: { enabled: true },
    rateLimit: { enabled: false },
    telemetry: { enabled: false },
    plugins: [organization({ invitationLimit: Number.MAX_SAFE_INTEGER })],
  });
}

// Listen first (the port may be 0), then build the instance with its real base URL so the
// origin check trusts the driver's `Origin` header.
let handler = (_req, res) => {
  res.writeHead(503).end();
};
const server = http.createServer((req, res) => handler(req, res));
server.keepAliveTimeout = 60_000;
await new Promise((resolve) => server.listen(Number(portText), host, resolve));
const { port } = server.address();
const baseURL = `http://${host}:${port}`;
const auth = makeAuth(baseURL);
const { runMigrations } = await getMigrations(auth.options);
await runMigrations();
handler = toNodeHandler(auth);
console.log(`listening on ${baseURL}`);

for (const signal of ["SIGTERM", "SIGINT"]) {
  process.on(signal, () => {
    server.close();
    db.close();
    process.exit(0);
  });
}
