"""Backups that restore: the PostgreSQL database as a ``pg_dump`` archive, the uploaded files
as a tar archive, and a manifest to check both against (docs/deployment.md, "Backups").

A backup is a folder ``kp-<date>-<time>/`` with

- ``database.dump``: ``pg_dump --format=custom`` of the whole database;
- ``media.tar.gz``: every file under ``MEDIA_ROOT``;
- ``manifest.json``: when and from which database it was made, the applied migrations, the
  number of rows of every table, the SHA-256 of both archives and of every media file.

The row counts are read in the same snapshot that ``pg_dump`` dumps (``pg_export_snapshot``),
so they describe exactly what the archive holds even while the site is being edited. The
manifest is written last and the folder only gets its final name when everything is in it:
a folder with a manifest is a complete backup.

A restore checks the archives against the manifest, refuses a database or media folder that
is not empty (unless ``force``, which empties them first), restores the archive in one
transaction (all or nothing), unpacks the files, checks every file and every table's count
against the manifest, and empties the cache, which may hold pages and counts of the content
that was there before. The search index is a table like any other and comes back with it.
"""

import hashlib
import json
import os
import shutil
import subprocess
import tarfile
from pathlib import Path

import psycopg
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from psycopg import sql

FORMAT = 1
DUMP = "database.dump"
MEDIA = "media.tar.gz"
MANIFEST = "manifest.json"


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why, in Dutch."""


def _sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for block in iter(lambda: file.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


def _database():
    """The connection parameters of the default database, which must be PostgreSQL."""
    if connection.vendor != "postgresql":
        raise BackupError(
            "Back-up en herstel werken met PostgreSQL (DATABASE_URL=postgres://…); "
            "een lokale SQLite-database is één bestand (db.sqlite3) dat u kunt kopiëren."
        )
    params = connection.settings_dict
    return {
        key: str(params[name])
        for key, name in [("host", "HOST"), ("port", "PORT"), ("user", "USER"), ("password", "PASSWORD")]
        if params.get(name)
    } | {"dbname": params["NAME"]}


def _tool_env(database):
    """The environment for ``pg_dump``/``pg_restore``: the password stays off the command line."""
    names = {
        "host": "PGHOST",
        "port": "PGPORT",
        "user": "PGUSER",
        "password": "PGPASSWORD",
        "dbname": "PGDATABASE",
    }
    return {**os.environ, **{names[key]: value for key, value in database.items()}}


def _tool(name):
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"{name} ontbreekt: installeer de PostgreSQL-clientprogramma's (postgresql-client)."
        )
    return path


def _run(command, database):
    # The program is found by ``_tool``; the arguments are paths and settings, no user input.
    result = subprocess.run(  # noqa: S603
        command, env=_tool_env(database), capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} mislukte:\n{result.stderr.strip()}")
    return result


def _tables(cursor):
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
    return [row[0] for row in cursor.fetchall()]


def _row_counts(cursor):
    counts = {}
    for table in _tables(cursor):
        cursor.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table)))
        counts[table] = cursor.fetchone()[0]
    return counts


def _media_files(root):
    """The files under ``root`` (relative POSIX paths), sorted; links are left out."""
    if not root.is_dir():
        return []
    return sorted(
        path.relative_to(root).as_posix()
        for path in root.rglob("*")
        if path.is_file() and not path.is_symlink()
    )


def backup_create(*, directory):
    """Write a backup of the database and the media files into a new folder under
    ``directory`` and return its path (module docstring)."""
    database = _database()
    pg_dump = _tool("pg_dump")
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    name = f"kp-{timezone.now():%Y%m%d-%H%M%S}"
    final = directory / name
    if final.exists():
        raise BackupError(f"{final} bestaat al.")
    partial = directory / f".{name}.bezig"
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir()
    try:
        with psycopg.connect(**database, autocommit=True) as db, db.cursor() as cursor:
            # One snapshot for the counts and the dump: the manifest describes the archive. The
            # transaction stays open while pg_dump reads the snapshot.
            cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            cursor.execute("SELECT pg_export_snapshot(), current_setting('server_version')")
            snapshot, server_version = cursor.fetchone()
            counts = _row_counts(cursor)
            cursor.execute("SELECT app, name FROM django_migrations ORDER BY id")
            migrations = [f"{app}.{migration}" for app, migration in cursor.fetchall()]
            _run([pg_dump, "--format=custom", f"--snapshot={snapshot}", f"--file={partial / DUMP}"], database)
            dump_version = _run([pg_dump, "--version"], database).stdout.strip()
            cursor.execute("COMMIT")
        media_root = Path(settings.MEDIA_ROOT)
        media = {}
        with tarfile.open(partial / MEDIA, "w:gz") as archive:
            for relative in _media_files(media_root):
                path = media_root / relative
                media[relative] = {"size": path.stat().st_size, "sha256": _sha256(path)}
                archive.add(path, arcname=relative, recursive=False)
        manifest = {
            "format": FORMAT,
            "created_at": timezone.now().isoformat(),
            "database": {
                "name": database["dbname"],
                "server_version": server_version,
                "pg_dump": dump_version,
            },
            "migrations": migrations,
            "tables": counts,
            "files": {DUMP: _sha256(partial / DUMP), MEDIA: _sha256(partial / MEDIA)},
            "media": media,
        }
        (partial / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
        partial.rename(final)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return final


def read_manifest(path):
    """The manifest of the backup in folder ``path``, after checking both archives."""
    path = Path(path)
    try:
        manifest = json.loads((path / MANIFEST).read_text())
    except (OSError, ValueError) as error:
        raise BackupError(
            f"Geen leesbare back-up in {path}: {MANIFEST} ontbreekt of is beschadigd."
        ) from error
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Onbekend back-upformaat {manifest.get('format')!r} in {path}.")
    for name, expected in manifest["files"].items():
        if not (path / name).is_file() or _sha256(path / name) != expected:
            raise BackupError(f"{name} in {path} ontbreekt of klopt niet met de manifest (SHA-256).")
    return manifest


def _empty_schema(database):
    with psycopg.connect(**database, autocommit=True) as db:
        db.execute("DROP SCHEMA public CASCADE")
        db.execute("CREATE SCHEMA public")


def _empty_folder(root):
    for child in root.iterdir():
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()


def backup_restore(*, path, force=False):
    """Restore the backup in folder ``path`` into the default database and ``MEDIA_ROOT``
    (module docstring). Both must be empty unless ``force``, which empties them first.
    Returns what was restored and what still needs doing (pending migrations)."""
    path = Path(path)
    manifest = read_manifest(path)
    database = _database()
    pg_restore = _tool("pg_restore")
    media_root = Path(settings.MEDIA_ROOT)
    with connection.cursor() as cursor:
        tables = _tables(cursor)
    files = _media_files(media_root)
    if (tables or files) and not force:
        raise BackupError(
            f"De database {database['dbname']} heeft al {len(tables)} tabellen en de mediamap "
            f"{media_root} {len(files)} bestanden. Herstel gaat alleen in een lege database en "
            "een lege mediamap; met --force wordt wat er staat eerst verwijderd."
        )
    # pg_restore and the schema change need the database to themselves.
    connection.close()
    if tables:
        _empty_schema(database)
    _run(
        [
            pg_restore,
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            f"--dbname={database['dbname']}",
            str(path / DUMP),
        ],
        database,
    )

    media_root.mkdir(parents=True, exist_ok=True)
    if files:
        _empty_folder(media_root)
    with tarfile.open(path / MEDIA, "r:gz") as archive:
        # The "data" filter refuses absolute paths, "..", links out of the folder and devices.
        archive.extractall(media_root, filter="data")
    wrong = [
        name
        for name, expected in manifest["media"].items()
        if not (media_root / name).is_file() or _sha256(media_root / name) != expected["sha256"]
    ]
    if wrong:
        raise BackupError(f"Mediabestanden kloppen niet met de manifest: {', '.join(wrong[:20])}")

    with connection.cursor() as cursor:
        counts = _row_counts(cursor)
    differences = {
        table: (manifest["tables"].get(table), counts.get(table))
        for table in sorted(set(manifest["tables"]) | set(counts))
        if manifest["tables"].get(table) != counts.get(table)
    }
    if differences:
        listed = ", ".join(
            f"{table}: {want} verwacht, {got} hersteld" for table, (want, got) in differences.items()
        )
        raise BackupError(f"Aantallen rijen kloppen niet met de manifest: {listed}")

    try:
        cache.clear()
        cache_cleared = True
    except Exception:
        # Redis down: the cached pages expire by themselves (content_cache.TIMEOUT).
        cache_cleared = False
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return {
        "tables": len(counts),
        "rows": sum(counts.values()),
        "media_files": len(manifest["media"]),
        "cache_cleared": cache_cleared,
        "pending_migrations": [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan],
    }
