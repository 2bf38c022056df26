"""HTTP error statuses and transport failures, as one-line FetchErrors."""

from __future__ import annotations

import ssl

import httpx

from index.retry_after import parse_retry_after
from ingest.errors import FetchError
from ingest.netguard import Target
from ingest.settings import FetchSettings


class StatusError(FetchError):
    """The server answered with an error status. `retry_after` is in seconds when given."""

    def __init__(self, message: str, *, status: int, retry_after: float | None = None) -> None:
        super().__init__(message, retryable=status == 429 or status >= 500)
        self.status = status
        self.retry_after = retry_after


def status_line(status: int) -> str:
    return f"{status} {httpx.codes.get_reason_phrase(status)}".rstrip()


def status_error(response: httpx.Response) -> StatusError:
    status = response.status_code
    retry_after = None
    if status in (429, 503):
        retry_after = parse_retry_after(response.headers.get("retry-after"))
    return StatusError(status_line(status), status=status, retry_after=retry_after)


def transport_error(
    error: httpx.TransportError, target: Target, settings: FetchSettings
) -> FetchError:
    where = f"{target.host}:{target.port}"
    if isinstance(error, httpx.ConnectTimeout):
        return FetchError(f"timed out connecting to {where}", retryable=True)
    if isinstance(error, httpx.ReadTimeout):
        return FetchError(
            f"{where} sent nothing for {settings.read_timeout:g} s (fetch.read_timeout)",
            retryable=True,
        )
    if _is_tls_failure(error):
        return FetchError(f"TLS with {where} failed: {_one_line(error)}")
    if isinstance(error, httpx.ConnectError):
        return FetchError(f"cannot connect to {where}: {_one_line(error)}", retryable=True)
    return FetchError(f"connection to {where} failed: {_one_line(error)}", retryable=True)


def _is_tls_failure(error: BaseException) -> bool:
    # Certificate problems do not heal by retrying; they hide in the exception chain.
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, ssl.SSLError):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _one_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__
