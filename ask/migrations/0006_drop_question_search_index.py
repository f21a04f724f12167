"""Searches read `ask_search` (0005): the question table's own search index only slowed its writes."""

from django.db import migrations

import ask.search


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(ask.search.DROP_INDEX)


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(ask.search.CREATE_INDEX)


class Migration(migrations.Migration):
    dependencies = [("ask", "0005_searched_answers")]

    operations = [migrations.RunPython(drop_index, create_index)]
