"""A PostgreSQL server for the tests: an existing one, or a throwaway cluster.

``VOC_TEST_PG=postgresql://user@host:port/dbname`` points the tests at an existing
server (the user needs CREATEDB: every test gets a database of its own, dropped
afterwards). Without it, when PostgreSQL's server binaries are installed
(``/usr/lib/postgresql/*/bin``, or ``pg_config --bindir``), a cluster is made in a
temporary folder, listens only on a unix socket in that folder, and is stopped and
removed when the tests end. ``initdb`` refuses to run as root, so under root (CI) the
cluster belongs to the ``postgres`` system user. Otherwise the PostgreSQL tests skip,
saying why.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

ENV = "VOC_TEST_PG"
#: Speed over durability: the cluster is thrown away.
FAST = "-F -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c listen_addresses=''"


class Unavailable(Exception):
    """No PostgreSQL server for the tests (the reason is the message)."""


def _bindir() -> Path | None:
    for cand in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (cand / "initdb").exists() and (cand / "pg_ctl").exists():
            return cand
    exe = shutil.which("pg_config")
    if exe:
        try:
            out = subprocess.run([exe, "--bindir"], capture_output=True, text=True, timeout=10).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            out = ""
        if out and (Path(out) / "initdb").exists() and (Path(out) / "pg_ctl").exists():
            return Path(out)
    return None


class Server:
    """A server the tests may create databases on: ``admin_url`` reaches a database to
    run CREATE/DROP DATABASE from; :meth:`new_database` returns the URL of a new one."""

    def __init__(self, admin_url: str, cluster: Path | None = None, run_as: list[str] | None = None,
                 bindir: Path | None = None):
        self.admin_url = admin_url
        self.cluster = cluster
        self.run_as = run_as or []
        self.bindir = bindir
        self.databases: list[str] = []

    # -- databases ----------------------------------------------------------------------
    def _admin(self):
        import psycopg

        return psycopg.connect(self.admin_url, autocommit=True, connect_timeout=10)

    def new_database(self) -> str:
        name = "voc_test_" + uuid.uuid4().hex[:12]
        with self._admin() as conn:
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE template0 ENCODING \'UTF8\'')
        self.databases.append(name)
        return with_database(self.admin_url, name)

    def drop_database(self, url: str) -> None:
        name = urlsplit(url).path.lstrip("/")
        with self._admin() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if name in self.databases:
            self.databases.remove(name)

    # -- life cycle -------------------------------------------------------------------------
    @classmethod
    def start(cls, settings: str = "") -> Server:
        """The server of ``$VOC_TEST_PG``, else a new throwaway cluster (``settings``: more
        ``-c name=value`` options for it, such as a benchmark's ``-c shared_buffers=1GB``)."""
        url = os.environ.get(ENV)
        try:
            import psycopg  # noqa: F401
        except ImportError:
            raise Unavailable("psycopg is not installed (pip install -e '.[dev]')") from None
        if url:
            server = cls(url)
            try:
                server._admin().close()
            except Exception as e:  # noqa: BLE001
                raise Unavailable(f"{ENV} is set but its server cannot be reached: {e}") from None
            return server
        bindir = _bindir()
        if bindir is None:
            raise Unavailable(f"no PostgreSQL server binaries (initdb, pg_ctl) found and {ENV} is not set "
                              f"(set {ENV}=postgresql://user@host:port/dbname to use a server)")
        return cls._throwaway(bindir, settings)

    @classmethod
    def _throwaway(cls, bindir: Path, settings: str = "") -> Server:
        run_as: list[str] = []
        root = Path(tempfile.mkdtemp(prefix="voc-pg-"))
        if os.geteuid() == 0:  # initdb refuses root: the cluster belongs to the postgres user
            try:
                user = pwd.getpwnam("postgres")
            except KeyError:
                shutil.rmtree(root, ignore_errors=True)
                raise Unavailable("running as root and there is no 'postgres' user to run the server as") from None
            runuser = shutil.which("runuser")
            run_as = [runuser, "-u", "postgres", "--"] if runuser else ["su", "postgres", "-s", "/bin/sh", "-c"]
            os.chown(root, user.pw_uid, user.pw_gid)
        data = root / "data"
        log = root / "server.log"

        def run(*args: str) -> subprocess.CompletedProcess:
            cmd = [str(a) for a in args]
            if run_as and run_as[0] == "su":
                cmd = [*run_as, " ".join(_shell_quote(c) for c in cmd)]
            else:
                cmd = [*run_as, *cmd]
            return subprocess.run(cmd, capture_output=True, text=True, timeout=120, cwd=root)

        init = run(bindir / "initdb", "-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C",
                   "--no-sync", "--no-instructions")
        if init.returncode != 0:
            shutil.rmtree(root, ignore_errors=True)
            raise Unavailable(f"initdb failed: {(init.stderr or init.stdout).strip().splitlines()[-1:]}")
        start = run(bindir / "pg_ctl", "-D", data, "-l", log, "-w", "-t", "60", "-o", f"-k {root} -p 5432 {FAST} {settings}",
                    "start")
        if start.returncode != 0:
            tail = log.read_text(errors="replace").strip().splitlines()[-3:] if log.exists() else []
            shutil.rmtree(root, ignore_errors=True)
            raise Unavailable(f"the throwaway PostgreSQL cluster did not start: {start.stderr.strip()} {tail}")
        url = f"postgresql://postgres@/postgres?host={quote(str(root))}&port=5432"
        return cls(url, cluster=root, run_as=run_as, bindir=bindir)

    def stop(self) -> None:
        for name in list(self.databases):
            try:
                self.drop_database(with_database(self.admin_url, name))
            except Exception:  # noqa: BLE001 - the cluster goes anyway, or it is someone's server
                pass
        if self.cluster is None:
            return
        cmd = [str(self.bindir / "pg_ctl"), "-D", str(self.cluster / "data"), "-m", "immediate", "-w", "stop"]
        if self.run_as and self.run_as[0] == "su":
            cmd = [*self.run_as, " ".join(_shell_quote(c) for c in cmd)]
        else:
            cmd = [*self.run_as, *cmd]
        subprocess.run(cmd, capture_output=True, timeout=60)
        shutil.rmtree(self.cluster, ignore_errors=True)


def _shell_quote(s: str) -> str:
    import shlex

    return shlex.quote(s)


def with_database(url: str, name: str) -> str:
    """``url`` with its database replaced by ``name`` (query and credentials kept)."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))
