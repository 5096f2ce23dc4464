"""file-name: a file in supabase/migrations whose name is not <digits>_<name>.sql."""

from __future__ import annotations

from ...migrations.files import FILE_PATTERN
from ..rule import ERROR, HYGIENE, Bad, FileContext, Hit, Rule


class FileName(Rule):
    id = "file-name"
    category = HYGIENE
    severity = ERROR
    doc = """\
The runner (like the Supabase CLI) only applies files named `<version>_<name>.sql`, the
version being the leading digits (usually a UTC timestamp, `pgrelease new NAME` makes one).
Any other `.sql` file in `supabase/migrations` is silently never applied - a migration
that reviewers approved and that will never run.

Safe alternative: rename the file to `<YYYYMMDDHHMMSS>_<name>.sql`, newer than every
applied migration."""
    help = "rename it to <YYYYMMDDHHMMSS>_<name>.sql (pgrelease new NAME makes one)"
    bad = [
        Bad({"files": {"add_profiles.sql": "create table profiles (id bigint);"}},
            [(1, "add_profiles.sql is not named <digits>_<name>.sql: the runner will never apply it")]),
        Bad({"files": {"2024-01-01_profiles.sql": "select 1;"}},
            [(1, "2024-01-01_profiles.sql is not named <digits>_<name>.sql: the runner will never apply it")]),
        Bad({"files": {"20240101000000-profiles.sql": "select 1;"}},
            [(1, "20240101000000-profiles.sql is not named <digits>_<name>.sql: the runner will never apply it")]),
    ]
    good = [
        {"files": {"20240101000000_profiles.sql": "select 1;"}},
        {"files": {"0001_baseline.sql": "select 1;"}},
        {"files": {"scripts/smoke.sql": "select 1;"}},
    ]

    def finish_file(self, ctx: FileContext) -> list[Hit]:
        source = ctx.source
        if not source.in_migrations or FILE_PATTERN.match(source.name):
            return []
        return [Hit(f"{source.name} is not named <digits>_<name>.sql: the runner will never apply it", line=1)]
