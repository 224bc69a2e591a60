"""Staff users of ``trygg serve``: names and Argon2id password hashes in the project.

Passwords are hashed with Argon2id (argon2-cffi, memory-hard: 64 MiB and three
passes by default, RFC 9106's second recommended setting) and never stored or logged in
clear. Add a user with ``trygg staff PROJECT add NAME`` (the password is asked for; the
same again sets a new password), remove one with ``trygg staff PROJECT remove NAME``.
"""

from __future__ import annotations

from contextlib import suppress

import pandas as pd

from trygg.geo.errors import ArgumentError

STAFF = "staff"
#: Shortest password accepted.
MIN_PASSWORD = 12


def _hasher():
    from argon2 import PasswordHasher

    return PasswordHasher()  # Argon2id, RFC 9106 low-memory profile (64 MiB, t=3)


def _users(store) -> pd.DataFrame:
    if STAFF not in store.layers():
        return pd.DataFrame(columns=["user", "password_hash", "created_at"])
    return store.read(STAFF)


def add_staff(store, user: str, password: str) -> None:
    """Add the staff user ``user`` (or set a new password for it).

    Raises
    ------
    ArgumentError
        An empty or over-long name, or a password shorter than :data:`MIN_PASSWORD`.
    """
    user = user.strip()
    if not user or len(user) > 64 or any(c.isspace() for c in user):
        raise ArgumentError("Användarnamnet ska vara 1–64 tecken utan mellanslag.",
                            "The user name must be 1–64 characters without spaces.")
    if len(password) < MIN_PASSWORD:
        raise ArgumentError(f"Lösenordet måste ha minst {MIN_PASSWORD} tecken.",
                            f"The password must have at least {MIN_PASSWORD} characters.")
    row = pd.DataFrame([{"user": user, "password_hash": _hasher().hash(password),
                         "created_at": pd.Timestamp.now(tz="UTC")}])
    with store.transaction() as tx:
        if STAFF not in store.layers():
            tx.replace(STAFF, row)
            return
        tx.delete(STAFF, "user", [user])
        tx.append(STAFF, row)


#: A hash to check against when the user does not exist, so that a wrong name takes as
#: long as a wrong password.
_DUMMY: list[str] = []


def check_staff(store, user: str, password: str) -> bool:
    """True when ``user`` exists and ``password`` is its password."""
    from argon2.exceptions import InvalidHashError, VerificationError

    users = _users(store)
    found = users[users["user"] == user]
    hasher = _hasher()
    if found.empty:
        if not _DUMMY:
            _DUMMY.append(hasher.hash("not a password of anyone"))
        with suppress(VerificationError):
            hasher.verify(_DUMMY[0], password)
        return False
    try:
        return hasher.verify(str(found["password_hash"].iloc[0]), password)
    except (VerificationError, InvalidHashError):
        return False


def remove_staff(store, user: str) -> None:
    """Remove the staff user ``user``: it can no longer log in, and a session it has open
    ends at its next request.

    Raises
    ------
    ArgumentError
        No staff user of that name.
    """
    if user not in staff_names(store):
        known = ", ".join(staff_names(store)) or "-"
        raise ArgumentError(f"Det finns ingen personalanvändare '{user}' (finns: {known}).",
                            f"There is no staff user '{user}' (there are: {known}).")
    with store.transaction() as tx:
        tx.delete(STAFF, "user", [user])


def is_staff(store, user: object) -> bool:
    """True when ``user`` is a staff user now (a session's user may have been removed)."""
    return isinstance(user, str) and user in staff_names(store)


def staff_names(store) -> list[str]:
    """The staff users' names."""
    return sorted(_users(store)["user"].astype(str))
