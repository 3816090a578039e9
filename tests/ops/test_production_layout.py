"""The README's "Production" section is what e2e/production runs: the same commands (deploy/Procfile), the same
settings, the same one-time set-up, the same nginx site (deploy/nginx-site.conf), so neither can drift. And the
set-up's `create-package` command, which production needs for the wizard."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from sqlalchemy import func, select

from e2e.production import topology

ROOT = Path(__file__).resolve().parents[2]


def _section() -> str:
    readme = (ROOT / "README.md").read_text()
    start = readme.index("\n## Production\n")
    end = readme.index("\n## ", start + 1)
    return readme[start:end]


def _blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", _section(), re.DOTALL)


def _logical_lines(block: str) -> list[list[str]]:
    """Each command of a shell block, continuation lines joined, comments dropped, split as the shell does."""
    joined = block.replace("\\\n", " ")
    return [words for line in joined.splitlines() if (words := shlex.split(line, comments=True))]


def test_the_commands_are_the_procfile_in_order():
    lines = _logical_lines(_blocks("sh")[0])
    commands = [words for words in lines if words[0] != "export"]
    assert commands == list(topology.procfile().values())
    assert list(topology.procfile()) == ["release", "web", "mail"]
    assert commands[1][:3] == ["gunicorn", "--config", "deploy/gunicorn.conf.py"]


def test_the_settings_are_those_the_run_sets():
    exported: dict[str, str] = {}
    for words in _logical_lines(_blocks("sh")[0]):
        if words[0] == "export":
            exported.update(word.split("=", 1) for word in words[1:])  # type: ignore[misc]
    run = topology.production_environment(database_url="postgresql://x/y", base_url="https://127.0.0.1:1",
                                          smtp_port=1, redis_url="redis://127.0.0.1:6379/12", secret_key="k")
    assert set(exported) == set(run) | set(topology.GUNICORN_SETTINGS)
    # What is not the site's own address, secret or servers is the same value in both.
    for name in ("USERHUB_ENV", "USERHUB_TRUSTED_PROXIES"):
        assert exported[name] == run[name], name
    assert exported["WEB_CONCURRENCY"] == "2"


def test_the_one_time_set_up_is_what_the_run_does():
    readme = _logical_lines(_blocks("sh")[1])
    # The run's own organization, site address and administrator in the README's place: then all the same.
    run = topology.first_organization_commands("Acme", "https://hub.example.com", "admin@acme.example.com")
    assert [words[:3] for words in readme] == [["flask", "--app", "userhub"]] * len(run)
    assert [words[3:] for words in readme] == run


def test_the_nginx_site_is_the_file_the_run_fills_in():
    assert _blocks("nginx") == [(ROOT / "deploy" / "nginx-site.conf").read_text()]
    install = " ".join(words for line in _logical_lines(_blocks("sh")[2]) for words in line)
    listed = set(re.findall(r"\$\{([A-Z_]+)\}", install))
    assert listed == topology.nginx_placeholders() == {"LISTEN", "SERVER_NAME", "CERTIFICATE", "CERTIFICATE_KEY",
                                                        "UPSTREAM", "ACCESS_LOG", "ERROR_LOG"}
    rendered = topology.render_nginx_site({name: "x" for name in listed})
    assert "${" not in rendered and "$http_host" in rendered and "$scheme" in rendered
    with pytest.raises(RuntimeError, match="LISTEN"):
        topology.render_nginx_site({})


def test_create_package_adds_a_package_once(app):  # type: ignore[no-untyped-def]
    from userhub.extensions import db
    from userhub.organizations.models import Package

    runner = app.test_cli_runner()
    first = runner.invoke(args=["create-package", "webex_calling", "Webex Calling"])
    again = runner.invoke(args=["create-package", "webex_calling", "Webex Calling"])
    assert first.exit_code == 0 and again.exit_code == 0, first.output + again.output
    assert db.session.scalar(select(func.count()).select_from(Package).where(Package.code == "webex_calling")) == 1
    refused = runner.invoke(args=["create-package", " ", "Webex Calling"])
    assert refused.exit_code != 0 and "needs a code and a name" in refused.output


def test_create_organization_refuses_a_name_taken(app):  # type: ignore[no-untyped-def]
    from userhub.extensions import db
    from userhub.organizations.models import Organization

    runner = app.test_cli_runner()
    first = runner.invoke(args=["create-organization", "Initech  Corp"])
    assert first.exit_code == 0, first.output
    for spelling in ("Initech  Corp", " initech corp", "INITECH CORP"):
        again = runner.invoke(args=["create-organization", spelling])
        assert again.exit_code != 0 and "An organization named" in again.output, again.output
    names = db.session.scalars(select(Organization.name).where(Organization.name_key == "initech corp")).all()
    assert names == ["Initech  Corp"]


def test_the_database_refuses_a_name_taken(app):  # type: ignore[no-untyped-def]
    """Two processes that both checked before either wrote: the unique constraint decides."""
    from sqlalchemy.exc import IntegrityError

    from userhub.extensions import db
    from userhub.organizations.models import Organization

    db.session.add(Organization(name="Umbrella"))
    db.session.commit()
    db.session.add(Organization(name="UMBRELLA "))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
