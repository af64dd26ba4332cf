"""Signs up the fuzzing user on a dev server and verifies its address; prints the session token.

Usage: python3 tests/schemathesis/sign_up.py http://127.0.0.1:PORT
"""

import json
import sys
import urllib.request

EMAIL = "fuzz@example.com"


def call(base, method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(
        base + path, method=method, data=data, headers={"content-type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)


def main():
    base = sys.argv[1]
    session = call(
        base,
        "POST",
        "/v1/auth/sign-up",
        {"emailAddress": EMAIL, "password": "correct horse", "name": "Fuzz"},
    )
    # A verified address, so that "my invitations" answer with more than 403.
    link = call(base, "GET", f"/v1/dev/mailbox?to={EMAIL}")["data"][0]["link"]
    call(base, "POST", "/v1/auth/verify-email", {"token": link.split("token=")[1]})
    print(session["token"])


if __name__ == "__main__":
    main()
