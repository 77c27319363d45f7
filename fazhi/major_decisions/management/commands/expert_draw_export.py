"""Export the revealed expert draws of major decisions for independent verification.

    python manage.py expert_draw_export --all DIR
    python manage.py expert_draw_export --draw 7 DIR

Writes ``DIR/expert-draw-<id>/`` (receipt.json, params.json and the pool
files), the same layout as ``draw_export``: ``manage.py draw_verify
DIR/expert-draw-<id>`` recomputes the panel with no database (MDEC-06).
"""

from fazhi.core.draw_export import DrawExportCommand
from fazhi.major_decisions import expert_draw
from fazhi.major_decisions.models import ExpertDraw


class Command(DrawExportCommand):
    help = "导出重大行政决策专家随机抽取的凭证，供 draw_verify 独立验证"
    model = ExpertDraw
    prefix = "expert-draw"
    noun = "专家抽取"

    def revealed(self, draw) -> bool:
        return bool(draw.receipt)

    def export(self, draw, folder: str) -> str:
        return expert_draw.write_folder(draw, folder)
