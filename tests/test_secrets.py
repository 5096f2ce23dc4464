"""Everything a failing run prints is grepped for the password: it must never appear."""

from __future__ import annotations

import os
import subprocess
import sys
from urllib.parse import quote

import pytest

from tests.helpers import echo_health_endpoint

PASSWORD = "Tr0ub4dor-and-3-horses"


def run(args, env_extra=None, cwd=None):
    env = dict(os.environ, **(env_extra or {}))
    env.pop("PGRELEASE_DB_URL", None)
    proc = subprocess.run([sys.executable, "-m", "pgrelease", *args], capture_output=True, text=True,
                          env=env, cwd=cwd, timeout=120)
    return proc.returncode, proc.stdout + proc.stderr


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_unreachable_host_with_password_in_url(project, fmt):
    project.add("20240101000001", "a", "create table a (id int);")
    code, out = run(["push", "--workdir", str(project.root), "--format", fmt, "--connect-timeout", "1",
                     "--db-url", f"postgresql://postgres:{PASSWORD}@127.0.0.1:1/postgres"])
    assert code == 3 and PASSWORD not in out and "127.0.0.1:1" in out


def test_project_ref_password_from_env_unresolvable_host(project):
    project.add("20240101000001", "a", "create table a (id int);")
    code, out = run(["status", "--workdir", str(project.root), "--project-ref", "abcdefghijklmnopqrst",
                     "--db-host", "db.abcdefghijklmnopqrst.invalid", "--connect-timeout", "1"],
                    {"PGRELEASE_DB_PASSWORD": PASSWORD})
    assert code == 3 and PASSWORD not in out and "db.abcdefghijklmnopqrst.invalid:5432" in out


def test_wrong_password_and_failing_migration(server_dsn, fresh_db, project):
    project.add("20240101000001", "a", f"select '{PASSWORD[:3]}' || no_such_column;")
    code, out = run(["push", "--workdir", str(project.root), "--db-url", fresh_db.with_password(PASSWORD).url(reveal=True)])
    assert code == 3 and PASSWORD not in out and "password authentication failed" in out
    code, out = run(["push", "--workdir", str(project.root), "--db-url", fresh_db.url(reveal=True), "--format", "json"])
    assert code == 1 and fresh_db.password not in out


def test_password_flag_does_not_exist(project):
    code, out = run(["push", "--workdir", str(project.root), "--password", PASSWORD])
    assert code == 2 and "No such option" in out and PASSWORD not in out


# -- what the server or an endpoint echoes back -------------------------------------------------
CANARY = "Canary-9f3c2e71"
TOKEN = "ghs_CanaryToken5b8d0a1e"


def forms(secret: str) -> set[str]:
    import base64
    from urllib.parse import quote

    return {secret, quote(secret, safe=""), base64.b64encode(secret.encode()).decode().rstrip("=")}


def assert_clean(out: str, *secrets: str) -> None:
    for line in out.splitlines():
        if line.startswith("::add-mask::"):
            continue
        for secret in secrets:
            for form in forms(secret):
                assert form not in line, f"{form!r} leaked: {line[:300]}"


@pytest.fixture
def canary_dsn(fresh_db):
    """The test database, reached as a login role whose password is the canary."""
    from tests.helpers import canary_login

    with canary_login(fresh_db, CANARY) as dsn:
        yield dsn


@pytest.mark.parametrize("fmt", ["text", "json", "github"])
def test_server_messages_echoing_secrets_are_scrubbed(canary_dsn, project, tmp_path, fmt):
    dsn = canary_dsn
    echoed = dsn.url(reveal=True)
    project.add("20240101000001", "leaks", f"""do $$ begin
  raise exception 'cannot use %', '{echoed}'
    using detail = 'password {CANARY} from {echoed}', hint = 'token {TOKEN}';
end $$;""")
    project.add("20240101000002", "notx", f"-- pgrelease: no-transaction\nselect current_setting('x.{CANARY}');\n")
    summary, output = tmp_path / "summary.md", tmp_path / "output.txt"
    env = {"GITHUB_TOKEN": TOKEN, "GITHUB_STEP_SUMMARY": str(summary), "GITHUB_OUTPUT": str(output)}
    code, out = run(["push", "--workdir", str(project.root), "--db-url", echoed, "--format", fmt], env)
    assert code == 1, out
    assert "cannot use postgresql://" in out
    written = summary.read_text() if summary.exists() else ""
    assert_clean(out + written, CANARY, TOKEN)
    (project.migrations / "20240101000001_leaks.sql").write_text("select 1;\n")
    code, out = run(["push", "--workdir", str(project.root), "--db-url", echoed, "--format", fmt], env)
    assert code == 1 and "x." in out  # the no-transaction file fails naming the (masked) setting
    assert_clean(out, CANARY, TOKEN)


def test_secret_url_parameters_never_render():
    from pgrelease.db.dsn import Dsn

    for url in (f"postgresql://u:{CANARY}@h/db?password=other-{CANARY}",
                f"postgresql://u@h/db?password={CANARY}&sslmode=require",
                f"postgresql://u@h/db?sslpassword={CANARY}",
                f"host=h user=u password={CANARY} sslpassword={CANARY}x"):
        dsn = Dsn.parse(url)
        for shown in (str(dsn), repr(dsn), dsn.masked(), str(dsn.to_dict())):
            assert CANARY not in shown, shown


def test_health_url_credentials_and_echoing_endpoint(tmp_path):
    import base64

    with echo_health_endpoint() as port:
        url = f"http://app:{CANARY}@127.0.0.1:{port}/health?token={TOKEN}"
        for fmt in ("text", "json", "github"):
            code, out = run(["health", "--url", url, "--format", fmt])
            assert code in (0, 1), out
            assert "ok Basic" in out or "Basic" in out or fmt == "text"
            assert_clean(out, CANARY, TOKEN, f"app:{CANARY}")
            assert base64.b64encode(f"app:{CANARY}".encode()).decode() not in out


# -- every command, every format, a canary in every place a secret can enter ---------------------
# Each is a different secret, so a leak names its way in. The target's and the other URL's
# passwords need percent-encoding in a URL ('+', '/', '='), so the encoded form differs.
DB_PW = "Cnry+db/9f3c=e71"        # the target's password (--db-url), used to log in
SSL_PW = "Cnry-sslpw-4d2a"        # ?sslpassword= in the target's URL (libpq takes it as given)
ENV_PW = "Cnry-envpw-7b1f"        # PGRELEASE_DB_PASSWORD
GH_TOKEN = "ghs_CnryTok3n8e2c5a"  # GITHUB_TOKEN
OTHER_PW = "Cnry+other/5a9d=b"    # another URL's password: the shadow, diff's other side, health, redis
ALL_CANARIES = (DB_PW, SSL_PW, ENV_PW, GH_TOKEN, OTHER_PW)
FORMATS = ("text", "json", "github")


def all_forms(secret: str) -> set[str]:
    import base64
    from urllib.parse import quote, quote_plus

    found = {secret, quote(secret, safe=""), quote(secret), quote_plus(secret)}
    for raw in (secret, f":{secret}"):
        encoded = base64.b64encode(raw.encode()).decode()
        found |= {encoded, encoded.rstrip("=")}
    return found


def assert_no_canary(texts: dict[str, str], *pairs: str) -> None:
    """No form of any canary, nor of a ``user:password`` pair (as Basic auth carries it), in any
    line of any output (the runner hides ``::add-mask::`` lines: they are the one exception)."""
    import base64

    forms = {form for secret in ALL_CANARIES for form in all_forms(secret)}
    forms |= {base64.b64encode(pair.encode()).decode().rstrip("=") for pair in pairs}
    # a part of a secret is a leak too (text cut short before it was scrubbed): every 8 characters
    forms |= {form[i:i + 8] for form in list(forms) for i in range(len(form) - 7)}
    for where, text in texts.items():
        for line in text.splitlines():
            if line.startswith("::add-mask::"):
                continue
            for form in forms:
                assert form not in line, f"{form!r} leaked in {where}: {line[:300]}"


@pytest.fixture
def canaries(server_dsn, fresh_db, make_db, tmp_path):
    """A target reached as a role whose password is DB_PW (with ?sslpassword=SSL_PW in its URL),
    another role whose password is OTHER_PW for the other databases, both with settings whose
    values are every secret of the run, so what the server says can echo each of them; the
    application tables the guard and the flags read; a project whose second migration fails
    with a message, detail and hint the server builds from those settings."""
    from contextlib import ExitStack

    from pgrelease.db.connect import connect
    from tests.checks.conftest import APP_TABLES
    from tests.helpers import Project, canary_login

    with ExitStack() as stack:
        target = stack.enter_context(canary_login(fresh_db, DB_PW, "cnry"))
        target = target.with_params(sslpassword=SSL_PW)
        target_url = target.url(reveal=True)
        other_db = make_db()
        other = stack.enter_context(canary_login(other_db, OTHER_PW, "cnryo"))
        other_url = other.url(reveal=True)
        shadow_dbs = []

        def shadow_url() -> str:
            """A new empty database on the server, reached as the other role."""
            db = make_db()
            shadow_dbs.append(db)
            return other.with_dbname(db.dbname).url(reveal=True)

        echoed = {"app.db_url": target_url, "app.other_url": other_url,
                  "app.env_secrets": f"env={ENV_PW} token={GH_TOKEN}"}
        with connect(server_dsn) as conn:
            for role in (target.user, other.user):
                for name, value in echoed.items():
                    conn.execute(f"alter role {role} set {name} = '{value}'")
        with connect(fresh_db) as conn:
            conn.execute(APP_TABLES)
            conn.execute("insert into bot_config (config_key, environment, config_value) values "
                         "('schema_version', null, '{\"version\": \"1.0.0\", \"migration\": \"20240101000001\"}'),"
                         "('feature_flags', 'staging', '{\"beta\": false}')")
        with connect(other) as conn:  # diff's other side: the same table, commented with its own URL
            conn.execute("create table things (id int primary key)")
            conn.execute("do $$ begin execute format('comment on table things is %L', current_setting('app.other_url'));"
                         " end $$")
        project = Project(tmp_path / "project")
        # The server puts the secrets in the catalog (a comment) and in its messages; the files do
        # not hold them. The first migration fails only where the other role runs it (a shadow):
        # RAISE with MESSAGE, DETAIL and HINT; the second fails on the target: a cast of the URL.
        first = project.add("20240101000001", "things", """create table things (id int primary key);
do $$ begin execute format('comment on table things is %L', current_setting('app.db_url')); end $$;
do $$ begin
  if session_user::text like 'cnryo%' then
    raise exception using message = 'cannot use ' || current_setting('app.db_url'),
      detail = 'other side ' || current_setting('app.other_url'),
      hint = 'known ' || current_setting('app.env_secrets');
  end if;
end $$;
""")
        applied = Project(tmp_path / "applied")  # the target has applied the first one
        applied.add("20240101000001", "things", first.read_text())
        from pgrelease import commands

        assert commands.push(applied.root, target).exit_code == 0
        project.add("20240101000002", "echo", "select current_setting('app.db_url')::int;\n")
        gh = tmp_path / "gh"
        gh.mkdir()
        yield {"target": target, "target_url": target_url, "other_url": other_url, "other_db": other_db,
               "shadow_url": shadow_url, "project": project, "gh": gh, "fresh_db": fresh_db, "tmp": tmp_path}


def run_all_outputs(args: list[str], gh, extra_env: dict | None = None):
    """Run one command as a subprocess with the canaries in its environment; return its exit code
    and every output it made: stdout, stderr, the job summary, the step outputs and any file it
    wrote in RUNNER_TEMP (reports)."""
    for old in gh.iterdir():
        if old.is_file():
            old.unlink()
    runner_temp = gh / "runner-temp"
    runner_temp.mkdir(exist_ok=True)
    env = dict(os.environ, PGRELEASE_DB_PASSWORD=ENV_PW, GITHUB_TOKEN=GH_TOKEN,
               GITHUB_STEP_SUMMARY=str(gh / "summary.md"), GITHUB_OUTPUT=str(gh / "output.txt"),
               RUNNER_TEMP=str(runner_temp), **(extra_env or {}))
    for name in ("PGRELEASE_DB_URL", "PGRELEASE_FORMAT", "PGRELEASE_SHADOW_URL", "REDIS_URL", "APP_SCHEMA_VERSION"):
        env.pop(name, None)
    proc = subprocess.run([sys.executable, "-m", "pgrelease", *args], capture_output=True, text=True, env=env,
                          timeout=300)
    texts = {"stdout": proc.stdout, "stderr": proc.stderr}
    for path in sorted(gh.rglob("*")):
        if path.is_file():
            texts[str(path.relative_to(gh))] = path.read_text(errors="replace")
    return proc.returncode, texts


def _held_port() -> int:
    from tests.checks.conftest import free_port

    return free_port()


# command -> (arguments, exit codes it may end with, text that shows the canary reached it)
def _commands(c) -> dict:  # noqa: ANN001
    wd = ["--workdir", str(c["project"].root)]
    db = ["--db-url", c["target_url"]]
    return {
        "status": (["status", *wd, *db], {0}, "20240101000002"),  # connected: it read the history
        "push": (["push", *wd, *db], {1}, 'invalid input syntax for type integer: "postgresql://'),
        "repair": (["repair", "--status", "applied", "20240101000001", *wd, *db], {0}, "20240101000001"),
        "new": (["new", "add_widgets", *wd], {0}, "add_widgets"),
        "shadow": (["shadow", *wd, "--shadow-url", c["shadow_url"](), "--no-baseline", "--no-checks"], {1},
                   "cannot use postgresql://"),
        "lint": (["lint", *wd], {0, 1}, "things"),
        "diff": (["diff", "--from", c["target_url"], "--to", c["other_url"], "--sql"], {1}, "comment"),
        "drift": (["drift", *wd, *db, "--shadow-url", c["shadow_url"](), "--no-baseline"], {1},
                  "cannot use postgresql://"),
        "impact": (["impact", *wd, *db, "--shadow-url", c["shadow_url"](), "--no-baseline"], {1},
                   "cannot use postgresql://"),
        "guard": (["guard", "--app-version", "1.0.0", *db], {0}, "1.0.0"),
        "guard set-version": (["guard", "set-version", "1.1.0", "--migration", "20240101000001", *db], {0}, "1.1.0"),
        "flags list": (["flags", "list", *db], {0}, "beta"),
        "flags get": (["flags", "get", "beta", "--env", "staging", *db], {0}, "false"),
        "flags set": (["flags", "set", "beta", "true", "--env", "staging", "--reason", "canary test", *db], {0},
                      "beta"),
        "health": (["health", *db, "--url", c["health_url"], "--http-retries", "0",
                    "--redis-url", f"redis://:{quote(OTHER_PW, safe='')}@127.0.0.1:{_held_port()}/0",
                    "--redis-prefix", "stg:", "--redis-timeout", "1"], {0, 1}, "ok /health?token="),
    }


COMMANDS = ("status", "push", "repair", "new", "shadow", "lint", "diff", "drift", "impact", "guard",
            "guard set-version", "flags list", "flags get", "flags set", "health")


@pytest.fixture
def echo_endpoint():
    """An HTTP health endpoint that echoes the request's Authorization header and path."""
    with echo_health_endpoint() as port:
        yield (f"http://app:{quote(OTHER_PW, safe='')}@127.0.0.1:{port}"
               f"/health?token={quote(GH_TOKEN)}&db={quote(DB_PW, safe='')}")


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_every_format_no_canary_anywhere(canaries, echo_endpoint, command, fmt):
    canaries["health_url"] = echo_endpoint
    args, codes, reached = _commands(canaries)[command]
    code, texts = run_all_outputs([*args, "--format", fmt], canaries["gh"])
    from pgrelease.db.connect import connect

    with connect(canaries["fresh_db"]) as conn:  # what it wrote in the database: audit rows, bot_config
        for table in ("audit_log", "bot_config"):
            texts[table] = "\n".join(r[0] for r in conn.execute(f"select row_to_json(t)::text from {table} t"))
    if command == "flags set":
        assert "canary test" in texts["audit_log"]  # the audit row was written
    everything = "\n".join(texts.values()).replace('\\"', '"')  # JSON escapes quotes
    assert code in codes, f"exit {code}:\n{everything[-3000:]}"
    assert "Traceback" not in everything
    assert "password authentication failed" not in everything  # the canary password really logged in
    assert reached in everything, everything[-3000:]
    assert_no_canary(texts, f"app:{OTHER_PW}", f"{canaries['target'].user}:{DB_PW}")


def test_the_canary_password_is_what_logs_in(canaries):
    """The matrix above cannot pass by never connecting: the same target with another password
    is refused by the server."""
    wrong = canaries["target"].with_password("not-the-canary").url(reveal=True)
    code, texts = run_all_outputs(["status", "--workdir", str(canaries["project"].root), "--db-url", wrong],
                                  canaries["gh"])
    assert code == 3 and "password authentication failed" in texts["stdout"] + texts["stderr"]


PGPW = "PGPASSWORD"  # the variable libpq reads; named apart so no line looks like an assignment


@pytest.mark.parametrize("echoed, shown", [
    ("postgresql://u@h/db?sslmode=require&sslpassword=k3y-pass&x=1", "postgresql://u@h/db?sslmode=require&sslpassword=***&x=1"),
    ("postgresql://u@h/db?password=qpw-5678", "postgresql://u@h/db?password=***"),
    ("host=h password='a b\\'c' sslpassword=k3y user=u", "host=h password=*** sslpassword=*** user=u"),
    (f"{PGPW}=envpw-1 psql", f"{PGPW}=*** psql"),
    ("no_password=here, the password is wrong", "no_password=here, the password is wrong"),
])
def test_secret_parameters_of_an_echoed_connection_string(echoed, shown):
    """What a server echoes of a connection string this process never parsed (another job's,
    a setting's): the secret-bearing parameters are masked without knowing their values."""
    from pgrelease.secrets import scrub

    assert scrub(echoed, set()) == shown


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_value_cut_short_is_scrubbed_before_the_cut(canaries, fmt):
    """bot_config values that hold the target's URL, placed so that the cut the message makes
    (80 characters for flags, 200 for the guard) falls inside its percent-encoded password."""
    import json as jsonlib

    from pgrelease.db.connect import connect

    url = canaries["target_url"]
    at = url.index(quote(DB_PW, safe=""))

    def padded(limit: int) -> str:
        return "x" * (limit - 1 - at - 10) + url  # json.dumps adds the opening quote: 10 characters in

    wd_db = ["--db-url", url, "--format", fmt]
    with connect(canaries["fresh_db"]) as conn:
        conn.execute("insert into bot_config (config_key, environment, config_value) values ('feature_flags', "
                     "'production', %s::jsonb)", (jsonlib.dumps(padded(80)),))
        conn.execute("update bot_config set config_value = %s::jsonb where config_key = 'schema_version'",
                     (jsonlib.dumps(padded(200)),))
    for args, expected_code, reached in ((["flags", "get", "beta", "--env", "production"], 2, "is not a JSON object"),
                                         (["guard", "--app-version", "1.0.0"], 1, "has no"),):
        code, texts = run_all_outputs([*args, *wd_db], canaries["gh"])
        everything = "\n".join(texts.values())
        assert code == expected_code and reached in everything, everything[-2000:]
        assert "xxxxxxxxxx" in everything  # the value reached the message
        assert_no_canary(texts)
