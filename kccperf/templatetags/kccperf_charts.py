"""``{{ chart.figure_json|figure_script:chart.json_id }}``: a chart's figure as compact JSON
(``kccperf.charts.figure_script``)."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from kccperf.charts import figure_script as _figure_script

register = template.Library()


@register.filter
def figure_script(figure_json: dict, element_id: str) -> SafeString:
    return _figure_script(figure_json, element_id)
