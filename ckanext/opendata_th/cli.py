"""``ckan opendata-th ...`` commands."""
from __future__ import annotations

import click
import ckan.plugins.toolkit as tk

__all__ = ["opendata_th"]


@click.group("opendata-th", short_help="Thai open-data playbook commands")
def opendata_th():
    """ckanext-opendata-th: the Thai open-data disclosure playbook."""


@opendata_th.command()
@click.option("--org", "org_name", default=None,
              help="Organization to create (default: "
                   "ckanext.opendata_th.demo.organization)")
def demo(org_name: str | None):
    """Load a demo agency with realistic Thai datasets and CSV resources."""
    from ckanext.opendata_th.demo.load import load_demo

    org_name = org_name or tk.config.get("ckanext.opendata_th.demo.organization")
    result = load_demo(org_name)
    for name in result["created"]:
        click.echo(f"created  {name}")
    for name in result["existing"]:
        click.echo(f"exists   {name}")
