// Better Auth 1.7.25 with its organization plugin, on better-sqlite3 or on PostgreSQL through
// node-postgres (`pg`), for orgkit's paired benchmark (`orgkit-bench --scenario paired`, run by
// scripts/bench-paired.sh).
//
//   node server.mjs --database PATH [--listen 127.0.0.1:0]     SQLite file PATH
//   node server.mjs --postgres URL [--listen 127.0.0.1:0]      PostgreSQL database URL
//
// On SQLite it opens the file as orgkit does (WAL, synchronous NORMAL). On PostgreSQL it hands
// Better Auth a `pg` Pool of 10 connections (node-postgres' own default; orgkit's server keeps
// 8 by default), which Better Auth drives through its Kysely adapter. Either way it creates
// Better Auth's schema with its programmatic migrations, serves `/api/auth/*` on node:http and
// prints `listening on http://HOST:PORT` once it accepts requests. Rate limiting is off, as the
// orgkit server runs its benchmark with its limits lifted. Invitations per organization are
// not capped (Better Auth caps pending invitations at 100 by default; the benchmark's invite
// phase sends thousands into one organization, as it does to orgkit).

import http from "node:http";
import Database from "better-sqlite3";
import pg from "pg";
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

const postgresURL = flag("--postgres", null);
const [host, portText] = flag("--listen", "127.0.0.1:0").split(":");

/** Connections in the PostgreSQL pool. */
const POSTGRES_POOL_SIZE = 10;

/** The database Better Auth is given: a `pg` Pool, or a better-sqlite3 handle. */
function openDatabase() {
  if (postgresURL !== null) {
    return new pg.Pool({
      connectionString: postgresURL,
      max: POSTGRES_POOL_SIZE,
    });
  }
  const sqlite = new Database(flag("--database"));
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = NORMAL");
  sqlite.pragma("busy_timeout = 5000");
  return sqlite;
}

const db = openDatabase();

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
  process.on(signal, async () => {
    server.close();
    // better-sqlite3's close() returns at once; pg's Pool.end() resolves once its clients quit.
    await db.end?.();
    db.close?.();
    process.exit(0);
  });
}
