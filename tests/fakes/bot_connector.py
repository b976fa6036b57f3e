"""A fake Bot Connector service on loopback: what Teams' side of the Bot Framework looks like to a bot.

Activities the bot sends (`POST /v3/conversations/{id}/activities[/{replyTo}]`), edits
(`PUT …/activities/{id}`), new conversations (`POST /v3/conversations`) and roster reads
(`GET /v3/conversations/{id}/pagedmembers`, `…/members`) are answered in the shapes Microsoft documents
and recorded. `fail_next` scripts throttling and gateway errors (429 with Retry-After, 412, 502, 504).
It can also play Microsoft's token issuer: OpenID metadata and signing keys, and tokens signed with them.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import time
import uuid
from collections import deque
from dataclasses import dataclass, field
from typing import Any

import jwt
from aiohttp import web
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm


def personal_chat_id(user_id: str) -> str:
    """As long as a real one: Teams' personal chat ids run to about 130 characters."""
    return "a:1" + hashlib.sha512(user_id.encode()).hexdigest()[:127]


@dataclass
class Sent:
    """One activity the bot posted or edited."""

    conversation: str
    activity: dict[str, Any]
    id: str
    reply_to: str | None = None
    authorization: str = ""

    @property
    def card(self) -> dict[str, Any] | None:
        for attachment in self.activity.get("attachments") or []:
            if attachment.get("contentType") == "application/vnd.microsoft.card.adaptive":
                return attachment["content"]
        return None

    @property
    def words(self) -> str:
        """Every text in the card (or the plain text), for assertions about what a person reads."""
        card = self.card
        if card is None:
            return self.activity.get("text") or ""
        return "\n".join(_texts(card.get("body", [])))


def _texts(elements: list[Any]) -> list[str]:
    out: list[str] = []
    for element in elements:
        if not isinstance(element, dict):
            continue
        if element.get("type") == "TextBlock":
            out.append(element.get("text", ""))
        if element.get("type") == "FactSet":
            out += [f"{f['title']}: {f['value']}" for f in element.get("facts", [])]
        if element.get("type") == "Image":
            out.append(f"[image: {element.get('altText', '')}]")
        if element.get("type") == "ActionSet":
            out += [f"[{a.get('title', '')}]" for a in element.get("actions", [])]
        if element.get("type") == "Input.ChoiceSet":
            out += [f"({c['title']})" for c in element.get("choices", [])]
        out += _texts(element.get("items", []))
    return out


@dataclass
class Failure:
    status: int
    retry_after: str | None = None


@dataclass
class Issuer:
    """Plays login.microsoftonline.com / login.botframework.com: signing keys and tokens signed with them."""

    base: str
    kid: str = "huzzah-test-key"
    key: Any = field(default_factory=lambda: rsa.generate_private_key(public_exponent=65537, key_size=2048))
    nonce: str = field(default_factory=lambda: uuid.uuid4().hex)
    """Makes the metadata URL this issuer's own: botbuilder caches metadata and keys per URL for the whole
    process, and a later test's connector can get an earlier one's port (and with it the earlier key)."""

    @property
    def name(self) -> str:
        return f"{self.base}/issuer"

    @property
    def metadata_url(self) -> str:
        return f"{self.base}/.well-known/openid-configuration?issuer={self.nonce}"

    def jwks(self) -> dict[str, Any]:
        public = json.loads(RSAAlgorithm.to_jwk(self.key.public_key()))
        return {"keys": [{**public, "kid": self.kid, "use": "sig", "endorsements": ["msteams", "emulator"]}]}

    def token(self, audience: str, service_url: str, *, key: Any = None, issuer: str | None = None,
              lifetime: int = 3600) -> str:
        now = int(time.time())
        claims = {"iss": issuer or self.name, "aud": audience, "serviceurl": service_url,
                  "nbf": now - 60, "iat": now - 60, "exp": now + lifetime}
        return jwt.encode(claims, key or self.key, algorithm="RS256", headers={"kid": self.kid})


class FakeBotConnector:
    def __init__(self) -> None:
        self.sent: list[Sent] = []
        self.updates: list[Sent] = []
        self.deleted: list[tuple[str, str]] = []
        """(conversation, activity id) of every activity the bot deleted."""
        self.created: list[dict[str, Any]] = []
        self.members: dict[str, list[dict[str, Any]]] = {}
        self.calls: list[tuple[str, str, int]] = []
        self.failures: deque[Failure] = deque()
        self._ids = itertools.count(1000)
        self._runner: web.AppRunner | None = None
        self.url = ""
        self.issuer: Issuer | None = None

    def fail_next(self, count: int, status: int, retry_after: str | None = None) -> None:
        """The next `count` Bot Framework calls are answered with this error instead."""
        self.failures.extend(Failure(status, retry_after) for _ in range(count))

    async def start(self) -> str:
        app = web.Application(middlewares=[self._scripted])
        app.router.add_post("/v3/conversations", self._create)
        app.router.add_post("/v3/conversations/{conversation}/activities", self._send)
        app.router.add_post("/v3/conversations/{conversation}/activities/{activity}", self._send)
        app.router.add_put("/v3/conversations/{conversation}/activities/{activity}", self._update)
        app.router.add_delete("/v3/conversations/{conversation}/activities/{activity}", self._delete)
        app.router.add_get("/v3/conversations/{conversation}/pagedmembers", self._paged_members)
        app.router.add_get("/v3/conversations/{conversation}/members", self._all_members)
        app.router.add_get("/v3/conversations/{conversation}/members/{member}", self._one_member)
        app.router.add_get("/.well-known/openid-configuration", self._openid)
        app.router.add_get("/keys", self._keys)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}"
        self.issuer = Issuer(self.url)
        return self.url

    async def close(self) -> None:
        if self._runner:
            await self._runner.cleanup()

    def to(self, conversation: str) -> list[Sent]:
        return [s for s in self.sent if s.conversation == conversation]

    @web.middleware
    async def _scripted(self, request: web.Request, handler: Any) -> web.StreamResponse:
        if request.path.startswith("/v3/") and self.failures:
            failure = self.failures.popleft()
            self.calls.append((request.method, request.path, failure.status))
            headers = {"Retry-After": failure.retry_after} if failure.retry_after is not None else {}
            body = {"error": {"code": "Throttled" if failure.status == 429 else "ServiceError",
                              "message": f"scripted {failure.status}"}}
            return web.json_response(body, status=failure.status, headers=headers)
        response = await handler(request)
        self.calls.append((request.method, request.path, response.status))
        return response

    async def _create(self, request: web.Request) -> web.Response:
        params = await request.json()
        self.created.append(params)
        member = (params.get("members") or [{}])[0].get("id", "")
        return web.json_response({"id": personal_chat_id(member), "activityId": None}, status=201)

    async def _send(self, request: web.Request) -> web.Response:
        activity = await request.json()
        sent = Sent(request.match_info["conversation"], activity, str(next(self._ids)),
                    request.match_info.get("activity"), request.headers.get("Authorization", ""))
        self.sent.append(sent)
        return web.json_response({"id": sent.id}, status=201)

    async def _update(self, request: web.Request) -> web.Response:
        activity = await request.json()
        edit = Sent(request.match_info["conversation"], activity, request.match_info["activity"],
                    authorization=request.headers.get("Authorization", ""))
        self.updates.append(edit)
        return web.json_response({"id": edit.id}, status=200)

    async def _delete(self, request: web.Request) -> web.Response:
        self.deleted.append((request.match_info["conversation"], request.match_info["activity"]))
        return web.Response(status=200)

    async def _paged_members(self, request: web.Request) -> web.Response:
        everyone = self.members.get(request.match_info["conversation"], [])
        size = int(request.query.get("pageSize", "500"))
        start = int(request.query.get("continuationToken", "0"))
        page = everyone[start:start + size]
        body: dict[str, Any] = {"members": page}
        if start + size < len(everyone):
            body["continuationToken"] = str(start + size)
        return web.json_response(body)

    async def _all_members(self, request: web.Request) -> web.Response:
        return web.json_response(self.members.get(request.match_info["conversation"], []))

    async def _one_member(self, request: web.Request) -> web.Response:
        """One member, by Bot Framework id or Entra object id, from any roster set up for the test."""
        wanted = request.match_info["member"]
        for roster in self.members.values():
            for member in roster:
                if wanted in (member.get("id"), member.get("aadObjectId")):
                    return web.json_response(member)
        return web.json_response({"error": {"code": "MemberNotFoundInConversation", "message": "not found"}},
                                 status=404)

    async def _openid(self, request: web.Request) -> web.Response:
        assert self.issuer
        return web.json_response({"issuer": self.issuer.name, "jwks_uri": f"{self.url}/keys",
                                  "id_token_signing_alg_values_supported": ["RS256"]})

    async def _keys(self, request: web.Request) -> web.Response:
        assert self.issuer
        return web.json_response(self.issuer.jwks())
