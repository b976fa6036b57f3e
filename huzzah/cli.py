"""`huzzah`: run the bot, try it in a terminal, or look after its database."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
import tempfile
from datetime import date
from importlib import metadata
from pathlib import Path
from typing import NoReturn

from bot.config import ConfigError, Settings, database_url
from bot.settings import load_settings
from huzzah import logs
from huzzah.binding import LOOPBACK
from huzzah.lifecycle import shutdown_timeout
from huzzah.logs import FORMATS, LEVELS
from huzzah.platforms import PLATFORM_NAMES


class Parser(argparse.ArgumentParser):
    """A usage mistake is one line too, like every other start-up problem, and says where the options are."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {message} — see {self.prog} --help\n")


def version() -> str:
    try:
        return metadata.version("huzzah")
    except metadata.PackageNotFoundError:  # run from a source tree that was never installed
        return "unknown (not installed)"


def port_number(text: str) -> int:
    """A TCP port, checked here: the OS would otherwise answer 99999 with an OverflowError traceback."""
    try:
        port = int(text)
    except ValueError:
        port = -1
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number (1 to 65535, or 0 for any free one)")
    return port


def iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date — write YYYY-MM-DD, e.g. 2026-01-01") from None


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="huzzah",
        description="Kudos, anonymous check-ins, micro-polls and a weekly digest for support teams.",
    )
    parser.add_argument("--version", action="version", version=f"huzzah {version()}")
    parser.add_argument("--config", help="path to app.yaml (default: $HUZZAH_CONFIG or ./app.yaml)")
    parser.add_argument("--log-format", choices=FORMATS, metavar="FMT",
                        help="text (default) or json, one object a line ($LOG_FORMAT)")
    parser.add_argument("--log-level", type=str.upper, choices=LEVELS, metavar="LEVEL",
                        help="DEBUG, INFO (default), WARNING, ERROR; ERROR beside the demo and chat ($LOG_LEVEL)")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    demo = commands.add_parser("demo", help="watch a simulated team's week with Huzzah (no workspace)")
    demo.add_argument("--db", help="SQLite file to use (default: a fresh one in a temporary folder)")

    init = commands.add_parser("init", help="write a commented app.yaml to start your own from")
    init.add_argument("--output", default="app.yaml", help="where to write it (default: ./app.yaml)")
    init.add_argument("--force", action="store_true", help="replace the file if it already exists")

    chat = commands.add_parser("chat", help="talk to Huzzah here as anyone in a pretend team")
    chat.add_argument("--as", dest="who", default="alice", help="who you are to start with (default: alice)")

    serve = commands.add_parser("serve", help="run the bot's web server for Slack and Teams")
    serve.add_argument("--host", default=LOOPBACK,
                       help=f"address to listen on (default: {LOOPBACK}, this machine only; 0.0.0.0 for every "
                            "interface, e.g. in a container or behind a proxy on another host)")
    serve.add_argument("--port", type=port_number, default=3000, help="port to listen on (default: 3000)")
    serve.add_argument("--socket-mode", action="store_true",
                       help="receive Slack over Socket Mode (needs SLACK_APP_TOKEN; no public URL needed)")
    serve.add_argument("--no-metrics", dest="metrics", action="store_false",
                       help="do not answer GET /metrics (Prometheus counts; see docs/OPERATIONS.md)")
    serve.add_argument("--teams-emulator", action="store_true",
                       help="switch Teams on WITHOUT authentication, for the Bot Framework Emulator on this "
                            f"machine: only with no MICROSOFT_APP_ID, and listening on {LOOPBACK} only")
    _shutdown_option(serve)

    digest = commands.add_parser("digest", help="preview a team's weekly digest, or post it now (once)")
    digest.add_argument("--team", help="one team from app.yaml (default: every team)")
    digest.add_argument("--week", help="ISO week such as 2026-W47 (default: the week just ended)")
    digest_mode = digest.add_mutually_exclusive_group()
    digest_mode.add_argument("--print", dest="post", action="store_false",
                             help="show it in this terminal and save its chart as a PNG (the default)")
    digest_mode.add_argument("--post", dest="post", action="store_true",
                             help="queue it now for digest.channels and digest.managers — never twice per week")
    digest.add_argument("--chart-dir", default=".", help="folder for the chart PNG (default: the current folder)")
    digest.add_argument("--rollup", action="store_true", help="preview the executive roll-up of every team instead")
    digest.set_defaults(post=False)

    metrics = commands.add_parser("import-metrics", help="import teams' weekly CSAT, FCR, … from a CSV")
    metrics.add_argument("file", help="CSV with columns team,week then any named numeric columns (e.g. csat,fcr)")
    export = commands.add_parser("export", help="export kudos or the roll-up's figures (CSV, JSON)")
    export.add_argument("what", choices=("kudos", "figures"), help="kudos: every kudos; figures: the roll-up's")
    export.add_argument("--since", type=iso_date, help="kudos from this date (YYYY-MM-DD; default: all)")
    export.add_argument("--week", help="figures of this ISO week, e.g. 2026-W47 (default: the week just ended)")
    export.add_argument("--format", choices=("csv", "json"), default="csv", help="csv (default) or json")
    export.add_argument("--output", help="file to write (default: this terminal)")

    _shutdown_option(commands.add_parser("scheduler", help="run the scheduled work on its own (no web server)"))

    package = commands.add_parser("teams-package", help="write the Teams app zip to upload in Teams admin")
    package.add_argument("--app-id", default=os.environ.get("MICROSOFT_APP_ID", ""),
                         help="your Azure bot's Microsoft App ID (default: $MICROSOFT_APP_ID)")
    package.add_argument("--website", help="https:// page about Huzzah at your company, shown in Teams")
    package.add_argument("--privacy-url", default="", help="https:// privacy statement (default: --website)")
    package.add_argument("--terms-url", default="", help="https:// terms of use (default: --website)")
    package.add_argument("--developer", default="Huzzah", help="who publishes the app, shown in Teams")
    package.add_argument("--name", default="Huzzah", help="the app's name in Teams (at most 30 characters)")
    package.add_argument("--version", default="1.0.0", help="the package version; raise it for every re-upload")
    package.add_argument("--output", default="huzzah-teams.zip", help="where to write the zip")

    privacy = commands.add_parser("privacy", help="print everything stored about a person (subject access)")
    privacy.add_argument("person", help="@name, a platform user id, or platform:user_id")
    forget = commands.add_parser("forget", help="erase everything stored about a person")
    forget.add_argument("person", help="@name, a platform user id, or platform:user_id")
    forget.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    commands.add_parser("audit", help="the moderation log: who removed which kudos, when, why")
    db = commands.add_parser("db", help="database maintenance")
    db_commands = db.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    db_commands.add_parser("upgrade", help="apply every pending migration to $DATABASE_URL")
    return parser


def _shutdown_option(command: argparse.ArgumentParser) -> None:
    command.add_argument("--shutdown-timeout", type=float, metavar="SECONDS",
                         help="on SIGTERM or SIGINT, how long to finish what was started before exiting "
                              "(default: $HUZZAH_SHUTDOWN_TIMEOUT or 10)")


async def _demo(settings: Settings | None, db_path: str | None) -> int:
    """`settings`: those of an explicit --config; None runs the demo's own team, whatever ./app.yaml holds."""
    from huzzah.demo import demo_settings, run_demo

    settings = settings or demo_settings()
    folder = Path(db_path).parent if db_path else Path(tempfile.mkdtemp(prefix="huzzah-demo-"))
    path = Path(db_path) if db_path else folder / "huzzah.db"
    print(f"Demo database: {path}\n")
    await run_demo(settings, f"sqlite+aiosqlite:///{path}")
    return 0


def _init(args: argparse.Namespace) -> int:
    from huzzah.init_command import write_template

    return write_template(Path(args.output), force=args.force)


async def _chat(settings: Settings, who: str) -> int:
    from adapters.console.directory import ConsoleDirectory
    from adapters.console.repl import chat
    from adapters.console.session import ConsoleSession
    from huzzah.demo import TEAM, _team_channel
    from huzzah.wiring import running_core

    async with running_core(settings) as core:
        session = ConsoleSession(core, ConsoleDirectory(TEAM), channel=_team_channel(settings))
        if session.directory.get(who) is None:
            print(f"huzzah: no one called {who}; pick one of {', '.join(TEAM)}", file=sys.stderr)
            return 2
        return await chat(session, who)


def _teams_package(args: argparse.Namespace) -> int:
    from adapters.msteams.package import PackageError, PackageInfo, write_package

    info = PackageInfo(app_id=args.app_id.strip(), website=args.website or "", privacy_url=args.privacy_url,
                       terms_url=args.terms_url, developer=args.developer, name=args.name, version=args.version)
    try:
        path = write_package(Path(args.output), info)
    except PackageError as exc:
        print(f"huzzah: {exc}", file=sys.stderr)
        return 2
    print(f"Wrote {path}. Upload it in the Teams admin center (Teams apps → Manage apps → Upload), "
          "then add Huzzah to your support team.")
    return 0


async def _db_upgrade() -> int:
    """Names the database it upgraded: without DATABASE_URL it is a SQLite file in the current folder, which
    someone expecting their PostgreSQL must be able to tell from the answer."""
    from storage.db import Database

    db = Database(database_url())
    try:
        before, after = await db.migrate()
    finally:
        await db.close()
    default = "" if os.environ.get("DATABASE_URL") else " (DATABASE_URL is not set, so this is the default)"
    if before == after:
        print(f"{db.described}{default} was already up to date (revision {after}).")
    else:
        print(f"Upgraded {db.described}{default} from {before or 'an empty database'} to revision {after}; "
              "it is up to date.")
    return 0


async def _digest(settings: Settings, args: argparse.Namespace) -> int:
    from huzzah.digest_command import choose, post_now, preview, preview_rollup
    from huzzah.wiring import running_core

    async with running_core(settings) as core:
        chosen = choose(core, args.team, args.week)
        if isinstance(chosen, str):
            print(f"huzzah: {chosen}", file=sys.stderr)
            return 2
        teams, week = chosen
        if args.rollup:
            return await preview_rollup(core, week, Path(args.chart_dir))
        return await (post_now(core, teams, week) if args.post else preview(core, teams, week, Path(args.chart_dir)))


async def _org(settings: Settings, args: argparse.Namespace) -> int:
    from huzzah.org_command import export, import_metrics
    from huzzah.wiring import running_core

    async with running_core(settings) as core:
        return await (import_metrics(core, Path(args.file)) if args.command == "import-metrics" else export(core, args))


async def _scheduler(settings: Settings, grace: float) -> int:
    """Like `serve` without the web server; on SIGTERM or SIGINT it stops the same way (`huzzah.server`)."""
    from huzzah.lifecycle import StopSignals, stop_in_order
    from huzzah.platforms import configured, connect
    from huzzah.scheduler import Background
    from huzzah.server import stopping_steps
    from huzzah.wiring import running_core

    chosen = configured(os.environ, "none")
    with StopSignals() as signals:
        async with running_core(settings) as core:
            platforms = connect(core, chosen)
            background = Background(core)
            try:
                if not signals.requested.is_set():
                    background.start()
                    await signals.requested.wait()
                    logging.getLogger(__name__).info("%s received: stopping within %gs", signals.name, grace)
            finally:
                await stop_in_order(stopping_steps(platforms, background), grace, signals.hurry, background.cancel)
    return 0


async def _serve(settings: Settings, args: argparse.Namespace, grace: float) -> int:
    from huzzah.server import serve

    return await serve(settings, args.host, args.port, socket_mode=args.socket_mode, expose_metrics=args.metrics,
                       teams_emulator=args.teams_emulator, shutdown_timeout=grace)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    # The demo and the chat print a transcript: only errors belong beside it. The server logs its work.
    quiet = args.command in ("demo", "chat")
    try:
        logs.from_environment(args.log_level, args.log_format, "ERROR" if quiet else "INFO")
    except ValueError as exc:
        print(f"huzzah: {exc} (set LOG_LEVEL / LOG_FORMAT, or --log-level / --log-format)", file=sys.stderr)
        return 2
    try:
        match args.command:  # the demo plays its own team unless told otherwise; init needs no settings
            case "demo":
                given = load_settings(args.config, platforms=PLATFORM_NAMES) if args.config else None
                return asyncio.run(_demo(given, args.db))
            case "init":
                return _init(args)
        if args.command == "chat" and not (args.config or os.environ.get("HUZZAH_CONFIG") or Path("app.yaml").exists()):
            from huzzah.demo import demo_settings

            settings = demo_settings()  # nothing configured here: chat with the demo's pretend team
        else:
            settings = load_settings(args.config, platforms=PLATFORM_NAMES)
        match args.command:
            case "chat":
                return asyncio.run(_chat(settings, args.who))
            case "serve":
                grace = shutdown_timeout(args.shutdown_timeout, os.environ)
                return asyncio.run(_serve(settings, args, grace))
            case "digest":
                return asyncio.run(_digest(settings, args))
            case "import-metrics" | "export":
                return asyncio.run(_org(settings, args))
            case "scheduler":
                return asyncio.run(_scheduler(settings, shutdown_timeout(args.shutdown_timeout, os.environ)))
            case "teams-package":
                return _teams_package(args)
            case "privacy":
                from huzzah.privacy import show

                return asyncio.run(show(settings, args.person))
            case "forget":
                from huzzah.privacy import erase

                return asyncio.run(erase(settings, args.person, yes=args.yes))
            case "audit":
                from huzzah.audit import audit

                return asyncio.run(audit())
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
