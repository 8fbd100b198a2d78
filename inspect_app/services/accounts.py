"""Accounts: creating users, checking passwords, throttling repeated failures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from inspect_app.domain.errors import ValidationFailed
from inspect_app.domain.roles import MIN_PASSWORD_LENGTH
from inspect_app.models import LoginAttempt, User
from inspect_app.services import audit

_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters
# Verified against when the email is unknown, so a wrong email costs as long as a wrong password.
_DUMMY_HASH = _hasher.hash("not-a-real-password-just-for-timing")


def normalise_email(email: str) -> str:
    """Return the email as stored: stripped and lower case."""
    return email.strip().lower()


def hash_password(password: str) -> str:
    """Return an argon2id hash of the password."""
    return _hasher.hash(password)


def check_password_rules(password: str) -> None:
    """Raise ValidationFailed if the password is too weak to accept."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationFailed(f"Password must be {MIN_PASSWORD_LENGTH} characters or more")


def find_user_by_email(session: Session, email: str) -> User | None:
    """Return the user with this email, or None."""
    return session.scalars(select(User).where(User.email == normalise_email(email))).first()


def create_user(
    session: Session, actor: audit.Actor, *, email: str, name: str, password: str, is_admin: bool, when: datetime
) -> User:
    """Create a user after checking the email is free and the password is acceptable."""
    email = normalise_email(email)
    if not email or "@" not in email:
        raise ValidationFailed("Enter an email address in the correct format, like name@example.org")
    if not name.strip():
        raise ValidationFailed("Enter the person's name")
    check_password_rules(password)
    if find_user_by_email(session, email):
        raise ValidationFailed(f"A user with the email {email} already exists")
    user = User(
        email=email, name=name.strip(), password_hash=hash_password(password), is_admin=is_admin, created_at=when
    )
    session.add(user)
    session.flush()
    audit.record(
        session,
        actor,
        "user.created",
        when=when,
        object_type="user",
        object_id=user.id,
        details={"email": email, "admin": is_admin},
    )
    return user


def set_password(session: Session, actor: audit.Actor, user: User, password: str, *, when: datetime) -> None:
    """Replace a user's password."""
    check_password_rules(password)
    user.password_hash = hash_password(password)
    session.flush()
    audit.record(session, actor, "user.password_changed", when=when, object_type="user", object_id=user.id)


@dataclass(frozen=True)
class SignInResult:
    user: User | None
    throttled: bool = False

    @property
    def ok(self) -> bool:
        return self.user is not None


def is_throttled(
    session: Session, *, email: str, remote_addr: str, when: datetime, max_failures: int, window: timedelta
) -> bool:
    """Return whether sign-in is paused for this email or address after repeated recent failures."""
    since = when - window
    failures = (
        select(func.count())
        .select_from(LoginAttempt)
        .where(LoginAttempt.succeeded.is_(False), LoginAttempt.attempted_at >= since)
    )
    by_email = session.scalar(failures.where(LoginAttempt.email == email)) or 0
    # An address may legitimately serve a whole office, so its limit is wider than one account's.
    by_addr = session.scalar(failures.where(LoginAttempt.remote_addr == remote_addr)) or 0
    return by_email >= max_failures or by_addr >= 4 * max_failures


def authenticate(
    session: Session,
    *,
    email: str,
    password: str,
    remote_addr: str,
    when: datetime,
    max_failures: int,
    window: timedelta,
) -> SignInResult:
    """Check an email and password, recording the attempt; refuse while throttled."""
    email = normalise_email(email)
    if is_throttled(session, email=email, remote_addr=remote_addr, when=when, max_failures=max_failures, window=window):
        return SignInResult(user=None, throttled=True)
    user = find_user_by_email(session, email)
    ok = False
    try:
        ok = _hasher.verify(user.password_hash if user else _DUMMY_HASH, password) and user is not None
    except (VerificationError, InvalidHashError):
        ok = False
    ok = ok and user is not None and user.is_active_account
    session.add(LoginAttempt(email=email, remote_addr=remote_addr, attempted_at=when, succeeded=ok))
    if ok and user is not None:
        if _hasher.check_needs_rehash(user.password_hash):
            user.password_hash = hash_password(password)
        user.last_signed_in_at = when
        session.flush()
        audit.record(session, audit.Actor.of(user), "user.signed_in", when=when, object_type="user", object_id=user.id)
        return SignInResult(user=user)
    session.flush()
    return SignInResult(user=None)
