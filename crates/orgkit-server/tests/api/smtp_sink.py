"""A real SMTP server for the tests (aiosmtpd): prints what happens as JSON lines.

Run by tests/api/smtp.rs: prints "READY <port>", then serves until its stdin closes. Each EHLO
prints {"event": "ehlo", "tls": ...}; each message accepted prints {"event": "message",
"rcpt": [...], "data": "...", "tls": ..., "login": "user" or null}.

Options (the certificate and key are PEM files):
  --starttls CERT KEY   offer STARTTLS
  --require-starttls    refuse every command but EHLO, STARTTLS and QUIT before STARTTLS
  --implicit-tls CERT KEY  TLS from the first byte (smtps)
  --auth USER:PASSWORD  require this login, offered only over TLS
"""
import argparse
import json
import logging
import socket
import ssl
import sys

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

# aiosmtpd warns about its own deprecated `Session.login_data` after every AUTH; errors still
# show.
logging.getLogger("mail.log").setLevel(logging.ERROR)


def is_tls(server, session):
    return session.ssl is not None or server.transport.get_extra_info("ssl_object") is not None


class Sink:
    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        session.host_name = hostname
        print(json.dumps({"event": "ehlo", "tls": is_tls(server, session)}), flush=True)
        return responses

    async def handle_DATA(self, server, session, envelope):
        login = session.auth_data.login.decode() if session.authenticated else None
        message = {
            "event": "message",
            "rcpt": envelope.rcpt_tos,
            "data": envelope.content.decode("utf8", "replace"),
            "tls": is_tls(server, session),
            "login": login,
        }
        print(json.dumps(message), flush=True)
        return "250 OK"


def server_context(cert, key):
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return context


def authenticator(expected):
    user, password = expected.encode().split(b":", 1)

    def check(server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (user, password)
        return AuthResult(success=ok, auth_data=auth_data)

    return check


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


parser = argparse.ArgumentParser()
parser.add_argument("--starttls", nargs=2, metavar=("CERT", "KEY"))
parser.add_argument("--require-starttls", action="store_true")
parser.add_argument("--implicit-tls", nargs=2, metavar=("CERT", "KEY"))
parser.add_argument("--auth", metavar="USER:PASSWORD")
args = parser.parse_args()

options = {}
if args.starttls:
    options["tls_context"] = server_context(*args.starttls)
    options["require_starttls"] = args.require_starttls
if args.implicit_tls:
    options["ssl_context"] = server_context(*args.implicit_tls)
if args.auth:
    options["authenticator"] = authenticator(args.auth)
    options["auth_required"] = True
    options["auth_require_tls"] = True

port = free_port()
controller = Controller(Sink(), hostname="127.0.0.1", port=port, **options)
controller.start()
print(f"READY {port}", flush=True)
try:
    sys.stdin.read()
finally:
    controller.stop()
