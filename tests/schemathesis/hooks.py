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
