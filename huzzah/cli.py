"""`huzzah`: run the bot, try it in a terminal, or look after its database."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
import tempfile
from pathlib import Path

from bot.config import ConfigError, Settings, database_url, load_settings


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="huzzah",
        description="Kudos, anonymous check-ins, micro-polls and a weekly digest for support teams.",
    )
    parser.add_argument("--config", help="path to app.yaml (default: $HUZZAH_CONFIG or ./app.yaml)")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    demo = commands.add_parser("demo", help="watch a simulated team use Huzzah for a week (SQLite, no workspace)")
    demo.add_argument("--db", help="SQLite file to use (default: a fresh one in a temporary folder)")

    chat = commands.add_parser("chat", help="talk to Huzzah in this terminal as anyone in a pretend team")
    chat.add_argument("--as", dest="who", default="alice", help="who you are to start with (default: alice)")

    serve = commands.add_parser("serve", help="run the bot's web server for Slack and Teams")
    serve.add_argument("--host", default="0.0.0.0")
    serve.add_argument("--port", type=int, default=3000)

    db = commands.add_parser("db", help="database maintenance")
    db_commands = db.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    db_commands.add_parser("upgrade", help="apply every pending migration to $DATABASE_URL")
    return parser


async def _demo(settings: Settings, db_path: str | None) -> int:
    from huzzah.demo import run_demo

    folder = Path(db_path).parent if db_path else Path(tempfile.mkdtemp(prefix="huzzah-demo-"))
    path = Path(db_path) if db_path else folder / "huzzah.db"
    print(f"Demo database: {path}\n")
    await run_demo(settings, f"sqlite+aiosqlite:///{path}")
    return 0


async def _chat(settings: Settings, who: str) -> int:
    from adapters.console.repl import chat
    from adapters.console.session import ConsoleSession, Directory
    from huzzah.demo import TEAM, _team_channel
    from huzzah.wiring import running_core

    async with running_core(settings) as core:
        session = ConsoleSession(core, Directory(TEAM), channel=_team_channel(settings))
        if session.directory.get(who) is None:
            print(f"huzzah: no one called {who}; pick one of {', '.join(TEAM)}", file=sys.stderr)
            return 2
        return await chat(session, who)


async def _db_upgrade() -> int:
    from storage.db import Database

    db = Database(database_url())
    try:
        await db.migrate()
    finally:
        await db.close()
    print("Database is up to date.")
    return 0


async def _serve(settings: Settings, host: str, port: int) -> int:
    from huzzah.server import serve

    return await serve(settings, host, port)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("alembic").setLevel(logging.WARNING)
    try:
        settings = load_settings(args.config)
        match args.command:
            case "demo":
                return asyncio.run(_demo(settings, args.db))
            case "chat":
                return asyncio.run(_chat(settings, args.who))
            case "serve":
                return asyncio.run(_serve(settings, args.host, args.port))
            case "db":
                return asyncio.run(_db_upgrade())
    except ConfigError as exc:
        print(f"huzzah: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
