"""A real SMTP server for orgkit-bench's mail scenario (aiosmtpd, on 127.0.0.1 only).

Prints "READY <port>", then one line "MSG <recipient> [<recipient>…]" per accepted message, and
serves until its stdin closes. The driver counts the lines and times their arrival.

With --quick-ack it acknowledges a message body at once (TCP_QUICKACK after "354"). lettre
0.11 writes the body and the closing "." in two writes without TCP_NODELAY, so Nagle holds
the "." until the body's ACK, which Linux delays by 40 ms: this takes that stall out.
"""
import socket
import sys

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP


class Counter:
    async def handle_DATA(self, server, session, envelope):
        print("MSG " + " ".join(envelope.rcpt_tos), flush=True)
        return "250 OK"


class QuickAck(SMTP):
    async def push(self, status):
        await super().push(status)
        if status.startswith("354"):
            sock = self.transport.get_extra_info("socket")
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_QUICKACK, 1)


class QuickAckController(Controller):
    def factory(self):
        return QuickAck(self.handler, **self.SMTP_kwargs)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


port = free_port()
kind = QuickAckController if "--quick-ack" in sys.argv[1:] else Controller
controller = kind(Counter(), hostname="127.0.0.1", port=port)
controller.start()
print(f"READY {port}", flush=True)
try:
    sys.stdin.read()
finally:
    controller.stop()
