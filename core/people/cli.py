"""``flask journey import-people``: the CSV import from the command line (same checks as the web)."""
from __future__ import annotations

import click
from flask.cli import with_appcontext

from core.cli_foundation import foundation_by_slug
from core.i18n import in_english
from core.people.csv_import import import_people


@click.command("import-people")
@click.argument("file", type=click.File("rb"))
@click.option("--foundation", "slug", required=True, help="Slug of the foundation the people join.")
@click.option("--dry-run", is_flag=True, help="Check the file and report; import nothing.")
@with_appcontext
@in_english
def import_people_command(file, slug, dry_run):
    """Import people from CSV FILE. A file with any problem imports nobody."""
    foundation = foundation_by_slug(slug)
    result = import_people(foundation.id, file.read(), dry_run=dry_run)
    for problem in result.problems():
        click.echo(problem, err=True)
    if not result.ok:
        raise click.ClickException(f"{len(result.problems())} problem(s) in {file.name}; nobody is imported")
    if dry_run:
        click.echo(f"dry run: {len(result.rows)} people can be imported into {slug}; nothing changed")
    else:
        click.echo(f"imported {result.imported} people into {slug}")
