"""Admin authorisation: `Authorization: Bearer <settings.admin_token>`, shared by the API and the UI.

With no token configured the admin functions are disabled (403), never open.
"""

from __future__ import annotations

import hmac

from assistant.config import Settings


class AdminDenied(Exception):
    """Admin access refused; `status` is 403 (admin disabled) or 401 (missing/wrong token)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def bearer_token(authorization: str | None) -> str | None:
    if not authorization:
        return None
    scheme, _, token = authorization.strip().partition(" ")
    if scheme.lower() != "bearer":
        return None
    return token.strip() or None


def check_admin_token(settings: Settings, token: str | None) -> None:
    """Raise AdminDenied unless `token` equals the configured admin token."""
    expected = settings.admin_token
    if not expected:
        raise AdminDenied(403, "管理功能未启用：未配置 POLICYQA_ADMIN_TOKEN (admin is disabled)")
    if not token or not hmac.compare_digest(token.encode(), expected.encode()):
        raise AdminDenied(401, "管理令牌缺失或错误 (missing or wrong admin token)")
