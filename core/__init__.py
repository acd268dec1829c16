"""Journey core: the app factory."""
from __future__ import annotations

from pathlib import Path

from flask import Flask

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(config: dict | None = None) -> Flask:
    app = Flask(__name__, instance_path=str(PROJECT_ROOT / "instance"), instance_relative_config=True)
    if config and config.get("INSTANCE_PATH"):
        app.instance_path = config["INSTANCE_PATH"]

    from core.config import load_config

    load_config(app, config)
    if app.config["TRUSTED_PROXIES"]:  # the client's address and scheme as the proxy saw them
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = int(app.config["TRUSTED_PROXIES"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)

    from core import builtin, input_guard, web
    from core.extensions import babel, csrf, db, login_manager, migrate
    from core.i18n import select_locale, translation_directories
    from core.plugins import PluginManager

    app.config["BABEL_TRANSLATION_DIRECTORIES"] = ""  # filled in once plugins are known
    db.init_app(app)
    csrf.init_app(app)
    login_manager.init_app(app)

    manager = PluginManager(builtin)
    app.extensions["journey.plugins"] = manager
    manager.load(app.config["PLUGINS_AUTOLOAD"], list(app.config["PLUGINS"]))

    app.config["BABEL_TRANSLATION_DIRECTORIES"] = ";".join(translation_directories(manager))
    babel.init_app(app, locale_selector=select_locale)
    import core.lineages  # noqa: F401  (adds the plugin lineages to Alembic's version locations)

    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"), compare_type=True, render_as_batch=True)

    input_guard.init_app(app)  # first: the <int:> converter must be in place before any route
    web.init_app(app)
    manager.init_app(app)

    from core.notifications import kinds

    kinds.init_app(app, manager)

    from core.cli import init_cli

    init_cli(app, manager)

    from core.scheduler import init_app as init_scheduler

    init_scheduler(app)  # the job registry; the in-process scheduler only under `flask run`
    return app
