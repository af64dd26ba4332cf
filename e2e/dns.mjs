// A tiny authoritative DNS server on 127.0.0.1 (UDP) for the e2e tests: it answers TXT
// queries for the records a test publishes with `txt(name, value)` and NXDOMAIN for anything
// else. scripts/e2e.sh points the server's --dns-server at ORGKIT_E2E_DNS_PORT, where nothing
// listens until a test starts this (so other tests' lookups fail at once, as before).
import dgram from "node:dgram";

/** Reads the question's name at `offset` of `msg`: answers [name, offset after it]. */
function readName(msg, offset) {
  const labels = [];
  while (msg[offset] !== 0) {
    const len = msg[offset];
    labels.push(msg.subarray(offset + 1, offset + 1 + len).toString("ascii"));
    offset += 1 + len;
  }
  return [labels.join(".").toLowerCase(), offset + 1];
}

/** Starts the server on `port`; answers `{ txt(name, value), close() }`. */
export async function startDns(port = Number(process.env.ORGKIT_E2E_DNS_PORT)) {
  const records = new Map();
  const socket = dgram.createSocket("udp4");
  socket.on("message", (msg, peer) => {
    if (msg.length < 12) return;
    const [name, end] = readName(msg, 12);
    const qtype = msg.readUInt16BE(end);
    const question = msg.subarray(12, end + 4);
    const values = qtype === 16 ? records.get(name) ?? [] : [];
    const answers = values.map((value) => {
      const text = Buffer.from(value, "ascii");
      const rr = Buffer.alloc(12);
      rr.writeUInt16BE(0xc00c, 0); // the question's name
      rr.writeUInt16BE(16, 2); // TXT
      rr.writeUInt16BE(1, 4); // IN
      rr.writeUInt32BE(0, 6); // no caching
      rr.writeUInt16BE(text.length + 1, 10);
      return Buffer.concat([rr, Buffer.from([text.length]), text]);
    });
    const header = Buffer.alloc(12);
    msg.copy(header, 0, 0, 2); // the query's id
    const known = records.has(name);
    header.writeUInt16BE(0x8400 | (msg.readUInt16BE(2) & 0x0100) | (known ? 0 : 3), 2); // answer, authoritative, NXDOMAIN when unknown
    header.writeUInt16BE(1, 4);
    header.writeUInt16BE(answers.length, 6);
    socket.send(Buffer.concat([header, question, ...answers]), peer.port, peer.address);
  });
  await new Promise((resolve, reject) => {
    socket.once("error", reject);
    socket.bind(port, "127.0.0.1", resolve);
  });
  return {
    txt(name, value) {
      const key = name.toLowerCase().replace(/\.$/, "");
      records.set(key, [...(records.get(key) ?? []), value]);
    },
    close: () => new Promise((resolve) => socket.close(resolve)),
  };
}
