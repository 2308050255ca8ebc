"""Operator commands: python -m lib.cli migrate | seed-demo | create-admin | run-jobs."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import socket
import sys
import time
from collections.abc import Sequence

from lib.adapters.db import migrate as migrations
from lib.bootstrap import StartupError, build_context, connect, prepare_schema
from lib.config import ConfigError, Settings, load_settings
from lib.domain.errors import DomainError
from lib.i18n import translate
from lib.services import jobs
from lib.services.accounts import admin
from lib.services.context import AppContext
from lib.services.demo import seed


def _context(settings: Settings) -> AppContext:
    engine = connect(settings)
    prepare_schema(settings, engine)
    return build_context(settings, engine)


def cmd_migrate(settings: Settings, _args: argparse.Namespace) -> int:
    migrations.upgrade(connect(settings))
    print("database schema is up to date")
    return 0


def cmd_seed_demo(settings: Settings, args: argparse.Namespace) -> int:
    ctx = _context(settings)
    if not args.force and not seed.seed_if_empty(ctx):
        print("the database already has ideas; nothing seeded (use --force to add the demo anyway)")
        return 0
    if args.force:
        seed.seed(ctx)
    print("demo marketplace seeded; demo sign-ins:")
    for role, email, password in seed.demo_accounts():
        print(f"  {role:<10} {email}  {password}")
    return 0


def cmd_create_admin(settings: Settings, args: argparse.Namespace) -> int:
    password = os.environ.get("COCREATE_ADMIN_PASSWORD") or (
        sys.stdin.readline().rstrip("\n") if args.password_stdin else getpass.getpass("Password: "))
    ctx = _context(settings)
    user = admin.create_admin(ctx, email=args.email, display_name=args.name, password=password)
    print(f"admin ready: {user.email} (id {user.id})")
    return 0


def cmd_run_jobs(settings: Settings, args: argparse.Namespace) -> int:
    ctx = _context(settings)
    holder = f"cli:{socket.gethostname()}:{os.getpid()}"
    while True:
        report = jobs.run_due_jobs(ctx, holder)
        print(json.dumps({"ran": report is not None, **(report or {})}), flush=True)
        failed = report.get("failed") if report else None
        if isinstance(failed, list) and failed:
            print(f"error: due jobs failed: {', '.join(failed)} (see the log; each is retried later)",
                  file=sys.stderr, flush=True)
        if not args.every:
            return 1 if failed else 0
        time.sleep(args.every)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m lib.cli", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)
    sub.add_parser("migrate", help="apply database migrations").set_defaults(run=cmd_migrate)
    demo = sub.add_parser("seed-demo", help="create the demo marketplace")
    demo.add_argument("--force", action="store_true", help="seed even if ideas exist")
    demo.set_defaults(run=cmd_seed_demo)
    create = sub.add_parser("create-admin", help="create an admin (or promote an account)")
    create.add_argument("--email", required=True)
    create.add_argument("--name", default="Admin")
    create.add_argument("--password-stdin", action="store_true",
                        help="read the password from standard input (else COCREATE_ADMIN_PASSWORD or a prompt)")
    create.set_defaults(run=cmd_create_admin)
    run = sub.add_parser("run-jobs", help="run due jobs once (or every N seconds); exit 1 when a job failed")
    run.add_argument("--every", type=int, default=0, metavar="SECONDS")
    run.set_defaults(run=cmd_run_jobs)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return int(args.run(load_settings(), args))
    except (ConfigError, StartupError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except DomainError as exc:
        print(f"error: {translate('en', exc.key, **exc.params)}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
