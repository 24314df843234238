"""What a single sign-on does to the portal's records: find or create the person by their
stable claim, refresh their name and e-mail, and set the roles their provider groups map to."""

from __future__ import annotations

import hashlib
import logging
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from kccperf.models import SignOnIdentity, User
from kccperf.sso.config import STAFF, roles_granted

log = logging.getLogger(__name__)


class SignOnRefused(Exception):
    """The provider vouched for someone the portal will not sign in; the message says why."""


def _text(claims: dict[str, Any], name: str) -> str:
    value = claims.get(name)
    return value.strip() if isinstance(value, str) else ""


def groups_from(claims: dict[str, Any]) -> list[str]:
    """The provider's groups, from the configured claim (a list of ids or names)."""
    claim = settings.KCCPERF_OIDC_GROUPS_CLAIM
    value = claims.get(claim)
    if value is None:
        # Entra ID sends a reference instead of the groups when someone is in too many
        # ("groups overage"): the roles cannot be known, so signing in is refused.
        if claim in (claims.get("_claim_names") or {}):
            raise SignOnRefused(
                "The identity provider sent too many groups to read. Ask the administrator "
                "to send only the groups assigned to the application."
            )
        return []
    if isinstance(value, str):
        return [value]
    return [str(group) for group in value]


def _new_username(claims: dict[str, Any], subject: str) -> str:
    for candidate in (_text(claims, "preferred_username"), _text(claims, "email")):
        candidate = candidate[:150]
        if candidate and not User.objects.filter(username__iexact=candidate).exists():
            return candidate
    return "sso-" + hashlib.sha256(subject.encode()).hexdigest()[:20]


def _linkable_user(claims: dict[str, Any]) -> User | None:
    """An account made beforehand for this person (same verified e-mail, no identity yet)."""
    email = _text(claims, "email")
    if not settings.KCCPERF_OIDC_LINK_BY_EMAIL or not email:
        return None
    if claims.get("email_verified") is False:
        return None
    unlinked = User.objects.filter(sign_on_identity__isnull=True, is_superuser=False)
    candidates = list(unlinked.filter(email__iexact=email)[:2])
    return candidates[0] if len(candidates) == 1 else None


def _update_details(user: User, claims: dict[str, Any]) -> list[str]:
    changed = []
    for field, claim in (("first_name", "given_name"), ("last_name", "family_name")):
        value = _text(claims, claim)[:150]
        if value and getattr(user, field) != value:
            setattr(user, field, value)
            changed.append(field)
    if not _text(claims, "given_name") and not _text(claims, "family_name"):
        first, _, last = _text(claims, "name").partition(" ")
        for field, value in (("first_name", first[:150]), ("last_name", last[:150])):
            if value and getattr(user, field) != value:
                setattr(user, field, value)
                changed.append(field)
    email = _text(claims, "email")[:254]
    if email and user.email != email:
        user.email = email
        changed.append("email")
    return changed


def sync_roles(user: User, groups: list[str]) -> None:
    """Give ``user`` exactly the roles their groups map to, among the roles the map manages.

    Roles the map never mentions (given by hand in the admin) are left alone, and so are the
    lead officer assignments (data on activities, not roles) and superuser status.
    """
    granted, managed = roles_granted(groups, settings.KCCPERF_OIDC_ROLE_MAP)
    managed_groups = {g.name: g for g in Group.objects.filter(name__in=managed - {STAFF})}
    current = set(user.groups.filter(name__in=managed_groups).values_list("name", flat=True))
    to_add = [managed_groups[name] for name in (granted & managed_groups.keys()) - current]
    to_remove = [managed_groups[name] for name in current - granted]
    if to_add:
        user.groups.add(*to_add)
    if to_remove:
        user.groups.remove(*to_remove)
    if STAFF in managed and user.is_staff != (STAFF in granted) and not user.is_superuser:
        user.is_staff = STAFF in granted
        user.save(update_fields=["is_staff"])
    if hasattr(user, "_role_names"):
        del user._role_names


@transaction.atomic
def sign_in_user(issuer: str, claims: dict[str, Any]) -> User:
    """The portal user for these verified ID-token claims, created or linked on first sign-in,
    with name, e-mail and roles refreshed. Raises :class:`SignOnRefused` with the reason."""
    claim = settings.KCCPERF_OIDC_USER_CLAIM
    subject = _text(claims, claim)
    if not subject:
        raise SignOnRefused(
            f"The identity provider did not send the {claim!r} claim that identifies you."
        )
    groups = groups_from(claims)
    identity = (
        SignOnIdentity.objects.select_for_update()
        .select_related("user")
        .filter(issuer=issuer, claim=claim, subject=subject)
        .first()
    )
    if identity is not None:
        user = identity.user
    else:
        user = _linkable_user(claims) or User(username=_new_username(claims, subject))
        if user.pk is None:
            user.set_unusable_password()
            user.save()
            log.info("Single sign-on created user %s for %s %s", user.username, claim, subject)
        identity = SignOnIdentity(user=user, issuer=issuer, claim=claim, subject=subject)
    if not user.is_active:
        raise SignOnRefused(
            "Your portal account is switched off. Ask the performance team if you need access."
        )
    changed = _update_details(user, claims)
    if changed:
        user.save(update_fields=changed)
    identity.groups = groups
    identity.last_signed_in = timezone.now()
    identity.save()
    sync_roles(user, groups)
    return user
