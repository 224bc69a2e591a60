"""The server commands of ``trygg``: ``serve`` (the reporting page, Open311 and the staff
pages, :mod:`trygg.maps.server`), ``staff`` (staff users of it) and ``users`` (database
users and organisations of a PostGIS project, :mod:`trygg.layers.roles`).

Added to the app by :func:`trygg.cli.make_app` through :func:`add_serve_commands`.
"""

import os
from pathlib import Path
from typing import Annotated

import typer

from trygg.geo.errors import ArgumentError

#: Environment variable with a new staff or database user's password, for scripts (else
#: the command asks for it without echo).
PASSWORD_ENV = "TRYGG_PASSWORD"


def _password(ui) -> str:
    given = os.environ.get(PASSWORD_ENV)
    if given is not None:
        return given
    import getpass
    import sys

    if not sys.stdin.isatty():
        raise ArgumentError(f"Ange lösenordet i miljövariabeln {PASSWORD_ENV} (ingen "
                            "terminal att fråga i).",
                            f"Give the password in the environment variable {PASSWORD_ENV} "
                            "(no terminal to ask in).")
    first = getpass.getpass(ui.pick("Lösenord: ", "Password: "))
    if getpass.getpass(ui.pick("Samma lösenord igen: ", "The same password again: ")) != first:
        raise ArgumentError("Lösenorden var olika; försök igen.",
                            "The passwords differed; try again.")
    return first


def add_serve_commands(app: typer.Typer, command, ui, h, arg, project_type) -> None:
    """Add ``serve``, ``staff`` and ``users`` to ``app`` (helpers as for
    :func:`trygg.cli_walks.add_walk_commands`)."""
    from trygg.cli import boundary, open_store

    @command("serve")
    @boundary
    def serve(project: project_type,
              host: Annotated[str, typer.Option(help=h("serve_host"))] = "127.0.0.1",
              port: Annotated[int, typer.Option(min=1, max=65535, help=h("serve_port"))] = 8000,
              rate: Annotated[int, typer.Option(min=0, help=h("serve_rate"))] = 10,
              from_: Annotated[Path | None, typer.Option(
                  "--from", help=h("serve_from"), metavar=arg("project"))] = None,
              background: Annotated[list[Path] | None,
                                    typer.Option(help=h("serve_background"))] = None,
              ) -> None:
        from trygg.cli import check_vector
        from trygg.maps.server import serve as run

        for path in background or []:
            check_vector(path, "--background")
        if from_ is not None:
            _fill_from(project, from_)
        store = open_store(project)
        ui.console.print(ui.m("serving", url=f"http://{host}:{port}/", project=str(store)),
                         markup=False)
        run(store.location, host=host, port=port, lang=ui.lang, rate=rate,
            background=background)

    def _fill_from(project, source_path: Path) -> None:
        """``serve --from``: copy ``source_path`` into the PostGIS database ``project``
        when it holds no project yet (as ``trygg migrate`` does, counts checked)."""
        from trygg.cli import copy_project
        from trygg.layers.store_postgis import has_project, is_url

        if not is_url(project):
            raise ArgumentError("--from fyller en PostGIS-databas: ange en "
                                "postgresql://…-adress som projekt.",
                                "--from fills a PostGIS database: give a postgresql://… "
                                "address as the project.")
        source = open_store(source_path)
        if has_project(project):
            ui.console.print(ui.m("serve_has_project", project=str(open_store(project)),
                                  source=str(source)), markup=False)
            return
        copy_project(ui, source, project)

    @command("staff")
    @boundary
    def staff(project: project_type,
              action: Annotated[str, typer.Argument(help=h("staff_action"),
                                                    metavar="add|remove|list")],
              user: Annotated[str | None, typer.Argument(help=h("staff_user"),
                                                         metavar=arg("user"))] = None,
              ) -> None:
        from trygg.layers.staff import add_staff, remove_staff, staff_names

        store = open_store(project)
        if action == "list":
            for name in staff_names(store):
                ui.console.print(name, markup=False)
            return
        if action not in ("add", "remove") or not user:
            raise ArgumentError(f"Skriv trygg staff PROJEKT add NAMN, remove NAMN eller list "
                                f"(inte '{action}').",
                                f"Write trygg staff PROJECT add NAME, remove NAME or list (not "
                                f"'{action}').")
        if action == "remove":
            remove_staff(store, user)
            ui.console.print(ui.m("staff_removed", user=user), markup=False)
            return
        add_staff(store, user, _password(ui))
        ui.console.print(ui.m("staff_added", user=user), markup=False)

    @command("users")
    @boundary
    def users(project: project_type,
              action: Annotated[str, typer.Argument(help=h("users_action"),
                                                    metavar="add|share")],
              name: Annotated[str, typer.Argument(help=h("users_name"), metavar=arg("user"))],
              role: Annotated[str, typer.Option(help=h("users_role"))] = "intern",
              organisation: Annotated[str | None, typer.Option(help=h("users_org"))] = None,
              with_: Annotated[str | None, typer.Option("--with", help=h("users_with"))] = None,
              ) -> None:
        from trygg.layers import roles

        store = open_store(project)
        if not hasattr(store, "url"):
            raise ArgumentError("Användare och organisationer finns bara i PostGIS-projekt "
                                "(postgresql://…); flytta projektet med trygg migrate.",
                                "Users and organisations exist only in PostGIS projects "
                                "(postgresql://…); move the project with trygg migrate.")
        if action == "share":
            if not with_:
                raise ArgumentError("Ange vem som får läsa: trygg users PROJEKT share ORG "
                                    "--with ANNAN_ORG.",
                                    "Say who may read: trygg users PROJECT share ORG --with "
                                    "OTHER_ORG.")
            roles.share(store, name, with_)
            ui.console.print(ui.m("shared", org=name, other=with_), markup=False)
            return
        if action != "add":
            raise ArgumentError(f"Skriv add eller share (inte '{action}').",
                                f"Write add or share (not '{action}').")
        roles.add_user(store, name, role, organisation=organisation, password=_password(ui))
        ui.console.print(ui.m("user_added", user=name, role=role,
                              org=organisation or "-"), markup=False)
