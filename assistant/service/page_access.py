"""Who may open the source view page (`/v1/documents/{doc_id}/view`).

A browser opens it by navigation (the UI's side panel, the widget's 「查看原文」 link), which sends no key
header and no Origin. So with keys required it also accepts what a navigation can carry: the UI's session
cookie, or a widget key in the link's `key` parameter checked against the origin in the Referer (the
widget's link asks the browser to send it) the way the API checks a widget key against Origin. A server
key or the admin token in Authorization works as on every guarded route; the rate limits apply alike.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from fastapi import Request
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers

from assistant.service.access import KEY_HEADER, AccessDenied, AccessPolicy, access_policy, client_ip, decide
from assistant.service.admin import bearer_token
from assistant.service.ui_access import session_of


def page_origin(headers: Headers) -> str | None:
    """The Origin header, else the scheme and host of the Referer."""
    if origin := headers.get("origin"):
        return origin
    parts = urlsplit(headers.get("referer") or "")
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else None


def check_page_reader(policy: AccessPolicy, request: Request) -> None:
    sessions = getattr(request.app.state, "sessions", None)
    if policy.require_keys and sessions is not None:
        session = session_of(sessions, dict(request.cookies))
        if session is not None:
            policy.limit(client_ip(request), f"ui:{session.subject}")
            return
    decision = decide(
        policy.require_keys,
        request.query_params.get("key") or request.headers.get(KEY_HEADER),
        bearer_token(request.headers.get("authorization")),
        page_origin(request.headers),
        policy.lookup,
        policy.admin_token,
    )
    if not decision.allowed:
        raise AccessDenied(decision.status, decision.code, decision.message)
    policy.limit(client_ip(request), decision.client_id)


async def require_page_reader(request: Request) -> None:
    """Dependency of the source view page."""
    policy = access_policy(request)
    if policy.limiter is not None and policy.limiter.shared:
        await run_in_threadpool(check_page_reader, policy, request)  # a network round trip
    else:
        check_page_reader(policy, request)
