"""Each request is one change-log entry: who (user id and username), method and path."""

from __future__ import annotations

from typing import Any

from pghistory.middleware import HistoryMiddleware


class AuditMiddleware(HistoryMiddleware):
    def get_context(self, request) -> dict[str, Any]:
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        return {
            "source": "request",
            "user": user.pk if user is not None and signed_in else None,
            "username": user.get_username() if user is not None and signed_in else "",
            "method": request.method,
            "url": request.path,
        }
