"""``flask journey …`` commands."""
from __future__ import annotations

import sys

import click
from flask import Flask
from flask.cli import AppGroup
from sqlalchemy import select

from core.cli_foundation import foundation_by_slug
from core.extensions import db
from core.i18n import in_english
from core.models import Foundation


def init_cli(app: Flask, manager) -> None:
    journey = AppGroup("journey", help="Journey administration.")
    plugins = AppGroup("plugins", help="Installed plugins and their switches per foundation.")
    journey.add_command(plugins)

    @plugins.command("list")
    @in_english
    def plugins_list():
        """Installed plugins and the foundations they are on for."""
        foundations = db.session.scalars(select(Foundation).order_by(Foundation.slug)).all()
        if not manager.plugins:
            click.echo("no plugins installed")
        for key, info in sorted(manager.plugins.items()):
            on = [f.slug for f in foundations if manager.is_enabled(key, f.id)]
            requires = f" requires={','.join(info.requires)}" if info.requires else ""
            click.echo(f"{key} {info.version}{requires} on: {', '.join(on) or '-'}")

    @plugins.command("enable")
    @click.argument("key")
    @click.option("--foundation", "slug", required=True, help="Foundation slug.")
    @click.option("--with-requirements", is_flag=True, help="Also switch on the plugins it requires.")
    @in_english
    def plugins_enable(key, slug, with_requirements):
        """Switch plugin KEY on for a foundation."""
        from core.plugin_switch import SwitchRefused, enable

        try:
            switched = enable(manager, foundation_by_slug(slug), key, with_requirements=with_requirements)
        except SwitchRefused as refused:
            raise click.ClickException(str(refused)) from None
        click.echo(f"on for {slug}: {', '.join(switched)}" if switched else f"{key} was already on for {slug}")

    @plugins.command("disable")
    @click.argument("key")
    @click.option("--foundation", "slug", required=True, help="Foundation slug.")
    @in_english
    def plugins_disable(key, slug):
        """Switch plugin KEY off for a foundation (its data is kept)."""
        from core.plugin_switch import SwitchRefused, disable

        try:
            changed = disable(manager, foundation_by_slug(slug), key)
        except SwitchRefused as refused:
            raise click.ClickException(str(refused)) from None
        click.echo(f"{key} off for {slug}" if changed else f"{key} was already off for {slug}")

    @journey.command("create-admin")
    @click.option("--email", required=True)
    @click.option("--first-name", default="Admin")
    @click.option("--last-name", default="Journey")
    @click.option("--foundation", "slug", required=True, help="Foundation the admin belongs to.")
    @click.password_option()
    @in_english
    def create_admin(email, first_name, last_name, slug, password):
        """Create a group administrator (or make an existing person one)."""
        from core.people.accounts import make_group_admin

        try:
            person = make_group_admin(foundation_by_slug(slug), email, first_name, last_name, password)
        except ValueError as problem:
            raise click.ClickException(str(problem)) from None
        click.echo(f"group admin: {person.email}")

    @journey.command("demo")
    @click.option("--force", is_flag=True, help="Seed even when the database already has foundations.")
    def demo(force):
        """Create the demo organisation (only on an empty database unless --force)."""
        from core.demo import seed_demo_organisation

        if db.session.scalar(select(Foundation.id).limit(1)) is not None and not force:
            click.echo("the database already holds data; demo not seeded (use --force)")
            return
        for line in seed_demo_organisation(manager):
            click.echo(line)

    @journey.command("generate")
    @click.option("--people", "count", type=click.IntRange(1), required=True, help="How many people.")
    @click.option("--seed", type=int, default=1, show_default=True)
    def generate(count, seed):
        """Generate a synthetic organisation at scale, for benchmarks."""
        from core.generate import generate_organisation

        # On a terminal a progress bar (on stderr); in logs only its label.
        with click.progressbar(length=2 * count, label="generating", file=sys.stderr) as bar:
            lines = generate_organisation(manager, count, seed, progress=bar.update)
        for line in lines:
            click.echo(line)

    manager.pm.hook.register_cli_commands(cli=journey)  # core.builtin and the plugins add theirs
    app.cli.add_command(journey)
    app.extensions["journey.cli"] = journey
