"""A real SMTP server for the tests (aiosmtpd): prints each message it accepts as one JSON line.

Run by tests/api/smtp.rs: prints "READY <port>", then serves until its stdin closes.
"""
import json
import socket
import sys

from aiosmtpd.controller import Controller


class Sink:
    async def handle_DATA(self, server, session, envelope):
        message = {"rcpt": envelope.rcpt_tos, "data": envelope.content.decode("utf8", "replace")}
        print(json.dumps(message), flush=True)
        return "250 OK"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


port = free_port()
controller = Controller(Sink(), hostname="127.0.0.1", port=port)
controller.start()
print(f"READY {port}", flush=True)
try:
    sys.stdin.read()
finally:
    controller.stop()
