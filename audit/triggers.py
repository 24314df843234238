"""The PostgreSQL trigger that records every row written to the portal's data.

One generic trigger function, ``audit_record_change()``, is installed (after every ``migrate``)
on every table of the portal's apps (the same tables the figure cache watches,
:func:`kccperf.figure_cache.covered_tables`, so a new model or field is recorded without any
further work), on the roles' tables (groups and their permissions; membership is
``kccperf_user_groups``), on sign-ins, two-factor devices and sign-in lockouts. It writes one
``audit_change`` row per row inserted, updated (only when a value changed; only the changed
columns' old values) or deleted, in the writing transaction: a write that rolls back leaves
nothing.

Each row names its entry: django-pghistory's ``_pgh_attach_context()`` returns the context the
request (middleware) or the management command (``pghistory.context``) set for the
statement. A write made outside both (raw SQL, a shell script) gets one context of its own per
transaction (``{"source": "database"}``), so it is still one entry, never lost.

Secret columns (password hashes, two-factor keys, the lockout's copy of the posted form) are
recorded as changed, never with their value. The audit tables themselves carry neither this
trigger nor the figure cache's (they are not in a portal app), so recording a change never
invalidates cached figures.
"""

from __future__ import annotations

from django.apps import apps as django_apps
from django.db import DEFAULT_DB_ALIAS, connections

from kccperf.figure_cache import covered_tables

TRIGGER = "audit_record_change"
HIDDEN = "(hidden)"
# Tables outside the portal's apps whose changes are audited: roles, sign-ins, two-factor
# devices, lockouts.
EXTRA_MODELS = (
    "auth.Group",
    "auth.Group_permissions",
    "audit.SignIn",
    "otp_totp.TOTPDevice",
    "axes.AccessAttempt",
)
# Columns whose values are never recorded (by model label).
SECRET_COLUMNS = {
    "kccperf.user": ("password",),
    "otp_totp.totpdevice": ("key",),
    "axes.accessattempt": ("get_data", "post_data", "user_agent", "http_accept"),
}

FUNCTION_SQL = f"""
CREATE OR REPLACE FUNCTION {TRIGGER}() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    old_row jsonb := CASE WHEN TG_OP <> 'INSERT' THEN to_jsonb(OLD) END;
    new_row jsonb := CASE WHEN TG_OP <> 'DELETE' THEN to_jsonb(NEW) END;
    whole jsonb := coalesce(new_row, old_row);
    changed_columns jsonb;
    old_values jsonb;
    context uuid;
    secret text;
BEGIN
    IF TG_OP = 'UPDATE' THEN
        SELECT coalesce(jsonb_agg(n.key ORDER BY n.key), '[]'::jsonb),
               jsonb_object_agg(n.key, old_row -> n.key)
          INTO changed_columns, old_values
          FROM jsonb_each(new_row) AS n
         WHERE n.value IS DISTINCT FROM old_row -> n.key;
        IF jsonb_array_length(changed_columns) = 0 THEN
            RETURN NULL;
        END IF;
    ELSE
        SELECT coalesce(jsonb_agg(k ORDER BY k), '[]'::jsonb) INTO changed_columns
          FROM jsonb_object_keys(whole) AS k;
        old_values := old_row;
    END IF;
    FOREACH secret IN ARRAY string_to_array(TG_ARGV[2], ',') LOOP
        IF old_values ? secret THEN
            old_values := jsonb_set(old_values, ARRAY[secret], '"{HIDDEN}"');
        END IF;
        IF new_row ? secret THEN
            new_row := jsonb_set(new_row, ARRAY[secret], '"{HIDDEN}"');
        END IF;
    END LOOP;
    context := _pgh_attach_context();
    IF context IS NULL THEN
        -- Neither a request nor a command: one entry for this transaction.
        PERFORM set_config('pghistory.context_id', gen_random_uuid()::text, true);
        PERFORM set_config('pghistory.context_metadata', '{{"source": "database"}}', true);
        context := _pgh_attach_context();
    END IF;
    INSERT INTO audit_change
        (context_id, at, app_label, model, object_pk, operation, changed, before, after,
         period_id)
    VALUES
        (context, clock_timestamp(), TG_ARGV[0], TG_ARGV[1], whole ->> TG_ARGV[3], TG_OP,
         changed_columns, old_values, new_row,
         CASE WHEN whole ? 'period_id' THEN (whole ->> 'period_id')::bigint END);
    RETURN NULL;
END
$$;
"""


def audited_tables() -> list[tuple[str, str, str, str]]:
    """(table, app label, model name, primary key column) of every audited table."""
    # Every table the figure cache watches (the portal's apps, and Django's roles and
    # permissions it counts as the portal's), whichever app defines it.
    watched = {table for table, _ in covered_tables()}
    models = [
        m for m in django_apps.get_models(include_auto_created=True) if m._meta.db_table in watched
    ]
    for label in EXTRA_MODELS:
        app_label, name = label.split(".")
        try:
            config = django_apps.get_app_config(app_label)
        except LookupError:
            continue
        models += [
            m
            for m in config.get_models(include_auto_created=True)
            if (m._meta.object_name or "").lower() == name.lower()
        ]
    rows = {
        (m._meta.db_table, m._meta.app_label, str(m._meta.model_name), str(m._meta.pk.column))
        for m in models
    }
    return sorted(rows)


def install_triggers(using: str = DEFAULT_DB_ALIAS) -> None:
    """(Re)create the function and the trigger on every audited table that lacks it."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        names = connection.introspection.table_names(cursor)
        if "audit_change" not in names or "pghistory_context" not in names:
            return
        cursor.execute(FUNCTION_SQL)
        cursor.execute(
            "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE t.tgname = %s",
            [TRIGGER],
        )
        present = {row[0] for row in cursor.fetchall()}
        for table, app_label, model, pk in audited_tables():
            if table in present or table not in names:
                continue
            secrets = ",".join(SECRET_COLUMNS.get(f"{app_label}.{model}", ()))
            cursor.execute(
                f'CREATE TRIGGER {TRIGGER} AFTER INSERT OR UPDATE OR DELETE ON "{table}" '
                f"FOR EACH ROW EXECUTE FUNCTION {TRIGGER}"
                f"('{app_label}', '{model}', '{secrets}', '{pk}')"
            )
