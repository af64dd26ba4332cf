"""Schemathesis hooks for scripts/schemathesis.sh (loaded through SCHEMATHESIS_HOOKS).

CPython 3.11.7 can raise a spurious SystemError, "AST constructor recursion depth mismatch"
(CPython gh-106905, fixed in later releases), when Hypothesis parses a lambda's source to
describe a filtered strategy. The description is only cosmetic, so it falls back to
Hypothesis' own "<unknown>" form instead of failing the operation under test.
"""

from hypothesis.internal import lambda_sources

_describe = lambda_sources._lambda_description


def _lambda_description(f, *args, **kwargs):
    try:
        return _describe(f, *args, **kwargs)
    except SystemError:
        return "lambda: <unknown>"


lambda_sources._lambda_description = _lambda_description


import time

import schemathesis


@schemathesis.hook
def map_body(ctx, body):
    """Two rules of the API depend on state or on the clock, which a schema cannot say, and
    tests/api triggers both by real requests: a service account's role must be one of the
    organization's roles (else 422 unknown_role), and a new API key's expiry must lie in the
    future (else 400 validation_failed). Generated bodies name a built-in role and, for a key,
    a whole-number timestamp ahead of now; every other field stays as generated."""
    path = getattr(getattr(ctx, "operation", None), "path", "") or ""
    if not isinstance(body, dict):
        return body
    if path.startswith("/v1/organizations/{org_id}/service-accounts") and isinstance(body.get("role"), str):
        body["role"] = "basic_member"
    if path == "/v1/organizations/{org_id}/api-keys":
        expires = body.get("expiresAt")
        # JSON Schema counts 5.0 as an integer; serde reads a timestamp from 5 only.
        numeric = isinstance(expires, (int, float)) and not isinstance(expires, bool)
        if numeric and (isinstance(expires, float) or expires <= time.time() * 1000):
            body["expiresAt"] = int(time.time() * 1000) + 86_400_000
    return body
