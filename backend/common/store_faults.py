"""Which DynamoDB failures are an outage (503 with Retry-After) or a refused value (400), not a bug (500)."""

from botocore.exceptions import ClientError, ConnectionError, HTTPClientError

from backend.config import setting

UNAVAILABLE, INVALID = "unavailable", "invalid"
# Codes DynamoDB answers when it is overloaded or briefly failing; botocore has already retried them.
BUSY_CODES = {
    "ProvisionedThroughputExceededException",
    "ThrottlingException",
    "RequestLimitExceeded",
    "InternalServerError",
    "ServiceUnavailable",
}


def _chain(error):
    """The error and what caused it: PynamoDB keeps botocore's error in `.cause`, Python in __cause__."""
    seen = []
    while error is not None and error not in seen:
        seen.append(error)
        error = getattr(error, "cause", None) or error.__cause__ or error.__context__
    return seen


def _busy_transaction(error):
    reasons = getattr(error, "cancellation_reasons", None) or []
    return any(reason is not None and reason.code in ("ThrottlingError", "TransactionConflict") for reason in reasons)


def classify(error):
    """UNAVAILABLE, INVALID or None for any exception a request raised."""
    for link in _chain(error):
        if isinstance(link, (ConnectionError, HTTPClientError)):
            return UNAVAILABLE
        if isinstance(link, ClientError):
            code = link.response.get("Error", {}).get("Code", "")
            if code in BUSY_CODES or _busy_transaction(link):
                return UNAVAILABLE
            if code == "ValidationException":
                return INVALID
    return None


def retry_after():
    return {"Retry-After": str(setting("STORE_RETRY_AFTER_SECONDS"))}
