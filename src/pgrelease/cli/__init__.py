"""The `pgrelease` command line: parse options, call one library function, render, exit.

One module per command group, each loaded only when its command runs (`pgrelease lint`
does not pay for psycopg, `pgrelease push` does not pay for pglast):

- ``migrations``: push, status, new, repair, shadow
- ``lint``: lint
- ``drift``: drift, diff
- ``ops``: guard, flags, health
- ``gate``: the PR gate
- ``promote``: the production promotion
- ``impact``: the lock and rewrite report

Exit codes: 0 passed; 1 a check or migration failed; 2 usage or configuration error;
3 the environment failed (cannot connect, lock not acquired, server cannot start)."""

from __future__ import annotations

import importlib

import click

_GROUPS = {
    "migrations": ("push", "status", "new", "repair", "shadow"),
    "lint": ("lint",),
    "drift": ("diff", "drift"),
    "ops": ("guard", "flags", "health"),
    "gate": ("gate",),
    "promote": ("promote",),
    "impact": ("impact",),
}
LAZY_COMMANDS = {command: f"pgrelease.cli.{module}" for module, commands in _GROUPS.items() for command in commands}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(super().list_commands(ctx)) | set(LAZY_COMMANDS))

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in self.commands and name in LAZY_COMMANDS:
            importlib.import_module(LAZY_COMMANDS[name])  # the module registers its commands on `main`
        return super().get_command(ctx, name)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="pgrelease")
def main() -> None:
    """Safe PostgreSQL / Supabase migration releases: replay, push, verify, report."""
