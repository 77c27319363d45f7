"""Demo data for 考核评价: the current year's default weights and targets.

Nothing else: the values come from the other modules' demo records (that is
the point — they are never typed in). Idempotent.
"""

from django.utils import timezone

from fazhi.assessment import selectors, services


def load(stdout=None) -> None:
    year = timezone.localdate().year
    n = services.ensure_default_weights(year, by=None)
    if stdout is None:
        return None
    stdout.write(f"考核评价：{year}年度默认权重与目标 {n} 项（已有的保留）")
    table = selectors.all_units_values(year)
    empty = [ind["name"] for ind in table.indicators
             if all(r.by_code[ind["code"]]["value"] is None for r in table.rows)]
    with_data = len(table.indicators) - len(empty)
    stdout.write(f"考核评价：{len(table.indicators)} 项指标中 {with_data} 项有演示数据"
                 + (f"；无数据：{'、'.join(empty)}" if empty else ""))
