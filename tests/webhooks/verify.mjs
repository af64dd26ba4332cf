// Verifies one webhook delivery captured by the server's API test
// (crates/orgkit-server/tests/api/webhooks.rs, deliveries_verify_with_the_npm_library) with the
// npm `standardwebhooks` package, as a Node.js receiver would: every secret must verify it, and
// a changed body, id or timestamp must not. Exits non-zero, loudly, on any failure.
//   node tests/webhooks/verify.mjs CAPTURE.json
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const { Webhook, WebhookVerificationError } = require("standardwebhooks");

const capture = JSON.parse(readFileSync(process.argv[2], "utf8"));
const { secrets, headers, body } = capture;
let failures = 0;
const fail = (message) => {
  console.error(`FAIL: ${message}`);
  failures += 1;
};

for (const secret of secrets) {
  try {
    const payload = new Webhook(secret).verify(body, headers);
    if (typeof payload?.type !== "string" || typeof payload?.timestamp !== "string" || !("data" in payload)) {
      fail(`the payload is not {type, timestamp, data}: ${body}`);
    }
  } catch (e) {
    fail(`secret ${secrets.indexOf(secret)} does not verify the delivery: ${e}`);
  }
}

const tampered = [
  ["a changed body", body.replace("}", ' }'), headers],
  ["another message id", body, { ...headers, "webhook-id": `${headers["webhook-id"]}x` }],
  ["another timestamp", body, { ...headers, "webhook-timestamp": String(Number(headers["webhook-timestamp"]) - 1) }],
];
for (const [what, changedBody, changedHeaders] of tampered) {
  try {
    new Webhook(secrets[0]).verify(changedBody, changedHeaders);
    fail(`${what} still verifies`);
  } catch (e) {
    if (!(e instanceof WebhookVerificationError)) fail(`${what}: unexpected error ${e}`);
  }
}

if (failures > 0) {
  console.error(`standardwebhooks (npm): ${failures} failure(s)`);
  process.exit(1);
}
console.log(`standardwebhooks (npm): delivery ${headers["webhook-id"]} verified with ${secrets.length} secrets; tampering detected`);
