"""Who may talk to the bot: Bot Framework JWTs checked by botbuilder, hardened so a bad token is always a 401.

Settings come from the environment (`adapters.msteams.config`). Without an app id Teams is off, unless the server
was started for the Bot Framework Emulator (`--teams-emulator`): then authentication is off and the server says
so loudly.

botbuilder's own checks raise assorted exceptions for a forged or garbled token (a bad signature, an
unknown key id, undecodable base64) and fetch Microsoft's signing keys with a blocking HTTP call without
a timeout. `GuardedAuthentication` runs the check on a worker thread with a deadline and turns every
failure into a PermissionError, which the CloudAdapter answers with 401 before anything else happens.
"""

from __future__ import annotations

import asyncio
import logging

from botbuilder.integration.aiohttp import (
    ConfigurationBotFrameworkAuthentication,
    ConfigurationServiceClientCredentialFactory,
)
from botbuilder.schema import Activity
from botframework.connector.auth import (
    AuthenticateRequestResult,
    BotFrameworkAuthentication,
    ClaimsIdentity,
    ConnectorFactory,
    ServiceClientCredentialsFactory,
    UserTokenClient,
)
from botframework.connector.skills import BotFrameworkClient
from msrest.authentication import Authentication

from adapters.msteams.config import MsTeamsConfig
from adapters.msteams.limits import AUTH_TIMEOUT_SECONDS

log = logging.getLogger(__name__)

CHANNEL = "msteams"
"""The Bot Framework channel Huzzah serves: Microsoft's signing keys are endorsed per channel."""


class GuardedAuthentication(BotFrameworkAuthentication):
    """botbuilder's authentication with every failure made a PermissionError (401), never a 500 or a hang."""

    def __init__(self, inner: BotFrameworkAuthentication, *, required: bool) -> None:
        self._inner = inner
        self._required = required

    async def check_token(self, auth_header: str) -> None:
        """Refuse a request before its body is read: no token, or one that is not Microsoft's for this app
        (signature, issuer, audience, expiry). Whether it was issued for the activity's service URL can only
        be checked once the body is read, which `authenticate_request` does again with the real activity."""
        if not auth_header:
            raise PermissionError("no Authorization header")
        await self.authenticate_request(Activity(channel_id=CHANNEL), auth_header)

    async def authenticate_request(self, activity: Activity, auth_header: str) -> AuthenticateRequestResult:
        if not auth_header:
            if self._required:
                raise PermissionError("no Authorization header")
            return await self._inner.authenticate_request(activity, None)
        checking = asyncio.to_thread(asyncio.run, self._inner.authenticate_request(activity, auth_header))
        try:
            return await asyncio.wait_for(checking, AUTH_TIMEOUT_SECONDS)
        except PermissionError:
            log.warning("refused a Teams request: its token did not check out")
            raise
        except TimeoutError:
            log.error("refused a Teams request: checking its token took over %.0fs (signing keys unreachable?)",
                      AUTH_TIMEOUT_SECONDS)
            raise PermissionError("token check timed out") from None
        except Exception as exc:
            log.warning("refused a Teams request: its token could not be read (%s)", type(exc).__name__)
            raise PermissionError("invalid token") from None

    async def authenticate_streaming_request(
        self, auth_header: str, channel_id_header: str
    ) -> AuthenticateRequestResult:
        raise PermissionError("streaming connections are not supported")

    def create_connector_factory(self, claims_identity: ClaimsIdentity) -> ConnectorFactory:
        return self._inner.create_connector_factory(claims_identity)

    async def create_user_token_client(self, claims_identity: ClaimsIdentity) -> UserTokenClient:
        return await self._inner.create_user_token_client(claims_identity)

    def create_bot_framework_client(self) -> BotFrameworkClient:
        return self._inner.create_bot_framework_client()

    def get_originating_audience(self) -> str:
        return self._inner.get_originating_audience()

    async def authenticate_channel_request(self, auth_header: str) -> ClaimsIdentity:
        raise PermissionError("channel requests are not supported")


class ReusedCredentials(ServiceClientCredentialsFactory):
    """One set of credentials per audience instead of botbuilder's one per call.

    Each new credentials object brings a new MSAL client with an empty token cache, which would fetch a
    fresh token from Microsoft Entra for every message of a fan-out; reused, the token is fetched about
    once an hour.
    """

    def __init__(self, inner: ServiceClientCredentialsFactory) -> None:
        self._inner = inner
        self._made: dict[tuple[str, str, str, bool], Authentication] = {}

    async def is_valid_app_id(self, app_id: str) -> bool:
        return await self._inner.is_valid_app_id(app_id)

    async def is_authentication_disabled(self) -> bool:
        return await self._inner.is_authentication_disabled()

    async def create_credentials(self, app_id: str, oauth_scope: str, login_endpoint: str,
                                 validate_authority: bool) -> Authentication:
        key = (app_id or "", oauth_scope or "", login_endpoint or "", bool(validate_authority))
        if key not in self._made:
            self._made[key] = await self._inner.create_credentials(app_id, oauth_scope, login_endpoint,
                                                                   validate_authority)
        return self._made[key]


def authentication(
    config: MsTeamsConfig, credentials: ServiceClientCredentialsFactory | None = None
) -> GuardedAuthentication:
    """The Bot Framework authentication for these settings; `credentials` replaces how outbound tokens are got."""
    config.check()
    settings = config.botbuilder_settings()
    reused = ReusedCredentials(credentials or ConfigurationServiceClientCredentialFactory(settings))
    inner = ConfigurationBotFrameworkAuthentication(settings, credentials_factory=reused)
    return GuardedAuthentication(inner, required=config.authenticated)
