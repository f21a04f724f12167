"""A chart's table alternative: every cell localised and escaped as the template would, absent ones "—"."""

from datetime import date

from django.utils import translation

from insights.charts import Chart


def test_the_table_rows_are_localised_escaped_and_show_absent_figures_as_a_dash():
    chart = Chart(
        title="t", summary="s", headers=["a", "b", "c", "d"], rows=[["<b>Musée</b>", 2.5, None, date(2026, 11, 2)]]
    )
    with translation.override("fr"):
        assert chart.body == "<tr><td>&lt;b&gt;Musée&lt;/b&gt;</td><td>2,5</td><td>—</td><td>2 novembre 2026</td></tr>"
