"""Backups restore: ``manage.py backup`` then ``manage.py restore`` into a fresh PostgreSQL
database gives the same rows, public pages, media files and search results, and a restore
never writes over a database or media folder that is not empty unless told to."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection
from wagtail.documents.models import Document

from portal import backups
from tests.factories import FindingFactory, StudyFactory, ThemeFactory, make_country, make_fact

ROOT = Path(__file__).resolve().parents[2]
PROBE = Path(__file__).with_name("backup_probe.py")

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def postgres():
    """The test database's connection parameters; skips on SQLite."""
    if connection.vendor != "postgresql":
        pytest.skip("Backups are pg_dump archives of PostgreSQL: run with make test-services.")
    if not (shutil.which("pg_dump") and shutil.which("pg_restore")):
        if os.environ.get("REQUIRE_SERVICES"):
            pytest.fail("REQUIRE_SERVICES is set but pg_dump/pg_restore are missing (postgresql-client)")
        pytest.skip("pg_dump and pg_restore are not installed (postgresql-client).")
    return connection.settings_dict


def _url(params, name):
    user = params.get("USER") or ""
    password = f":{params['PASSWORD']}" if params.get("PASSWORD") else ""
    host = params.get("HOST") or "127.0.0.1"
    port = params.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{name}"


@pytest.fixture
def fresh_database(postgres):
    """The name of a new, empty database next to the test database, dropped afterwards."""
    name = f"{postgres['NAME']}_hersteld"
    connect = {
        "host": postgres.get("HOST") or "127.0.0.1",
        "port": postgres.get("PORT") or 5432,
        "user": postgres.get("USER"),
        "password": postgres.get("PASSWORD") or None,
        "dbname": postgres["NAME"],
        "autocommit": True,
    }
    with psycopg.connect(**connect) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        db.execute(f'CREATE DATABASE "{name}"')
    yield name
    with psycopg.connect(**connect) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _env(postgres, database, media_root):
    env = {
        key: value for key, value in os.environ.items() if key not in {"REDIS_URL", "DJANGO_SETTINGS_MODULE"}
    }
    return {
        **env,
        "DJANGO_SETTINGS_MODULE": "portal.settings.dev",
        "DEBUG": "false",
        "ALLOWED_HOSTS": "testserver",
        "DATABASE_URL": _url(postgres, database),
        "MEDIA_ROOT": str(media_root),
    }


def _manage(env, *args):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )


def _probe(env):
    result = subprocess.run(
        [sys.executable, str(PROBE)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout)


@pytest.fixture
def content(site_tree, settings, tmp_path):
    """Profiles with facts, themes, studies (one a draft), findings and an uploaded document."""
    settings.MEDIA_ROOT = tmp_path / "media-bron"
    quality = ThemeFactory(name="Kwaliteit van begeleiding", slug="kwaliteit")
    finland = make_country("FI", title="Finland", summary="Finland werkt met een netwerk van centra.")
    make_country("NO", title="Noorwegen", summary="Noorwegen kent regionale loopbaancentra.")
    make_fact(finland, value="Ja")
    for number in range(6):
        study = StudyFactory(
            title=f"Loopbaanbegeleiding in Finland, deel {number}",
            summary="Kwaliteit van loopbaanbegeleiding in een netwerk van centra.",
            themes=[quality],
        )
        study.countries.add(finland)
        FindingFactory(study=study, statement=f"Een netwerk helpt de kwaliteit ({number}).")
    StudyFactory(title="Concept over loopbaanbegeleiding", live=False)
    document = Document(title="Rapport")
    document.file.save("rapport.pdf", ContentFile(b"%PDF-1.4 een klein rapport"), save=True)
    return settings.MEDIA_ROOT


def test_backup_restores_into_a_fresh_database_with_the_same_content(
    postgres, fresh_database, content, tmp_path
):
    """Restored into an empty database and media folder, the portal has the same rows in
    every table, the same public pages (status and content), the same media files and the
    same top search results."""
    backup = backups.backup_create(directory=tmp_path / "back-ups")
    manifest = json.loads((backup / "manifest.json").read_text())
    assert manifest["tables"]["knowledgebase_study"] == 7
    assert list(manifest["media"]) == [Document.objects.get().file.name]
    assert sorted(path.name for path in backup.iterdir()) == [
        "database.dump",
        "manifest.json",
        "media.tar.gz",
    ]

    source = _probe(_env(postgres, postgres["NAME"], content))
    target_env = _env(postgres, fresh_database, tmp_path / "media-hersteld")
    result = _manage(target_env, "restore", str(backup))
    assert result.returncode == 0, result.stderr
    assert "aantallen en controlegetallen kloppen" in result.stdout
    restored = _probe(target_env)

    assert restored["tables"] == source["tables"] == manifest["tables"]
    assert len(source["pages"]) > 20
    assert "/onderzoek/" in source["pages"] and "/landen/fi/" in source["pages"]
    assert restored["pages"] == source["pages"]
    assert all(status == 200 for status, _digest in source["pages"].values())
    assert source["search"]["loopbaanbegeleiding"][:3]
    assert restored["search"] == source["search"]
    assert restored["media"] == source["media"] != {}


def test_restore_refuses_a_database_that_is_not_empty_unless_forced(
    postgres, fresh_database, content, tmp_path
):
    """A second restore into the restored database is refused and changes nothing; with
    ``--force`` the database and media folder are emptied and restored again."""
    backup = backups.backup_create(directory=tmp_path / "back-ups")
    target_env = _env(postgres, fresh_database, tmp_path / "media-hersteld")
    assert _manage(target_env, "restore", str(backup)).returncode == 0
    (tmp_path / "media-hersteld" / "ander-bestand.txt").write_text("blijft staan")

    refused = _manage(target_env, "restore", str(backup))
    assert refused.returncode != 0
    assert "Herstel gaat alleen in een lege database" in refused.stderr
    assert (tmp_path / "media-hersteld" / "ander-bestand.txt").exists()

    forced = _manage(target_env, "restore", str(backup), "--force")
    assert forced.returncode == 0, forced.stderr
    assert not (tmp_path / "media-hersteld" / "ander-bestand.txt").exists()
    restored = _probe(target_env)
    assert restored["tables"]["knowledgebase_study"] == 7


def test_a_damaged_backup_is_refused_before_anything_is_touched(postgres, fresh_database, content, tmp_path):
    """A backup whose archive does not match its manifest is refused; the database stays
    empty."""
    backup = backups.backup_create(directory=tmp_path / "back-ups")
    with open(backup / "database.dump", "ab") as dump:
        dump.write(b"beschadigd")
    result = _manage(_env(postgres, fresh_database, tmp_path / "media-hersteld"), "restore", str(backup))
    assert result.returncode != 0
    assert "database.dump" in result.stderr and "SHA-256" in result.stderr
    with psycopg.connect(_url(postgres, fresh_database)) as db:
        assert db.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").fetchone()[0] == 0


def test_backup_needs_postgresql_and_says_so(tmp_path):
    """On SQLite the commands stop with a message instead of writing half a backup."""
    if connection.vendor == "postgresql":
        pytest.skip("The message is for SQLite.")
    with pytest.raises(Exception, match="PostgreSQL"):
        call_command("backup", output=str(tmp_path))
    assert not any(tmp_path.iterdir())
