"""Roles are Django groups with named permissions, created by data migrations.

Each app's data migration calls :func:`grant` with the permissions it defines, so a role's
permissions live next to the models they guard. Usage in a migration::

    def forward(apps, schema_editor):
        grant(apps, "monitoring", {Role.LEAD_OFFICER: ["submit_return"]})
"""

from __future__ import annotations

from django.contrib.auth.management import create_permissions

ROLE_NAMES = ("Lead officer", "CMT", "Analyst", "Risk manager", "Approver")


def grant(apps, app_label: str, role_codenames: dict[str, list[str]]) -> None:
    """Give each role (group name) these permissions of ``app_label``, creating both."""
    app_config = apps.get_app_config(app_label)
    # Permissions are normally created after migrate; create them now so they can be granted.
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codenames in role_codenames.items():
        group, _ = Group.objects.get_or_create(name=str(role))
        permissions = list(
            Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
        )
        missing = set(codenames) - {p.codename for p in permissions}
        if missing:
            raise LookupError(f"{app_label} has no permissions {sorted(missing)}")
        group.permissions.add(*permissions)
