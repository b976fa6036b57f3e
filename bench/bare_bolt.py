"""The yardstick: a bare slack-bolt `AsyncApp` that verifies each request and only acks, on the same aiohttp stack
Huzzah serves on. Started by `bench.requests` as its own process (as `huzzah serve` is).

    python -m bench.bare_bolt --api http://127.0.0.1:PORT/api/ --secret SECRET
"""

from __future__ import annotations

import argparse
import logging

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.web.async_client import AsyncWebClient


def bare_app(api_url: str, secret: str) -> web.Application:
    bolt = AsyncApp(client=AsyncWebClient(token="xoxb-bench", base_url=api_url), signing_secret=secret,
                    logger=logging.getLogger("bench.bolt"))

    @bolt.command("/huzzah")
    async def ack_only(ack: AsyncAck) -> None:
        await ack()

    async def events(request: web.Request) -> web.Response:
        return await to_aiohttp_response(await bolt.async_dispatch(await to_bolt_request(request)))

    app = web.Application()
    app.router.add_post("/slack/events", events)
    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--api", required=True)
    parser.add_argument("--secret", required=True)
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    web.run_app(bare_app(args.api, args.secret), host="127.0.0.1", port=0, access_log=None,
                print=lambda line: print(line, flush=True))


if __name__ == "__main__":
    main()
