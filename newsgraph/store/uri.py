"""What a store URI holds: its address, and user and password when written into it; the form of a
URI fit for a message (credentials hidden)."""

from __future__ import annotations


def split_credentials(uri: str) -> tuple[str, str | None, str | None]:
    """(the URI without `user:password@`, the user, the password). The address is what follows the
    last `@`, so a password may hold `@`, `#`, `/` or `?` unencoded."""
    scheme, sep, rest = uri.partition("://")
    if not sep or "@" not in rest:
        return uri, None, None
    userinfo, _, address = rest.rpartition("@")
    user, colon, password = userinfo.partition(":")
    return f"{scheme}://{address}", user or None, password if colon else None


def redacted(uri: str) -> str:
    """A URI fit for a message: whatever stands before its last `@` (user and password) is hidden."""
    scheme, sep, rest = uri.partition("://")
    if not sep:
        scheme, sep, rest = uri.partition(":")
    if "@" not in rest:
        return uri
    return f"{scheme}{sep}***@{rest.rpartition('@')[2]}"
